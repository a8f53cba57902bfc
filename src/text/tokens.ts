// Chinese keyword tokens for the keyword index and for queries: jieba words
// (search mode, so 党委书记 also yields 党委 and 书记) plus character bigrams,
// which catch names and terms jieba's dictionary does not know.
import { Lru } from '../lru.js';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { toSimplified } from './text.js';

let jieba: Jieba | null = null;
export function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Question words and particles: they say what is asked, not what it is about. */
const STOP_WORDS = new Set([
  '的', '了', '是', '和', '与', '及', '在', '有', '对', '把', '被', '让', '给', '为', '从', '向', '到', '也', '都', '就', '还', '又',
  '吗', '呢', '吧', '啊', '么', '呀', '嘛', '哪', '哪些', '哪个', '哪里', '哪儿', '哪天', '什么', '多少', '几', '几个', '怎么', '怎样', '怎么样',
  '如何', '为何', '为什么', '谁', '是谁', '是否', '有没有', '没有', '是不是', '那边', '这边', '那个', '这个', '那些', '这些', '一个', '个',
  '之', '其', '或', '等', '以及', '并', '而', '但', '说', '叫', '要', '这', '那', '我', '你', '他', '她', '它', '们', '具体', '一下', '一共', '分别',
  'the', 'a', 'an', 'of', 'in', 'on', 'for', 'to', 'and', 'or', 'is', 'are', 'was', 'were', 'what', 'which', 'who', 'how', 'did', 'does', 'do',
]);

const WORD = /[\p{L}\p{N}]/u;
const HAN_RUN = /^[\u3400-\u9fff\uf900-\ufaff]+$/;

function isUseful(token: string): boolean {
  return WORD.test(token) && !STOP_WORDS.has(token);
}

/** Matching form of a text: simplified characters, lower-case, full-width letters and digits folded. */
export function matchingForm(text: string): string {
  let form = forms.get(text);
  if (form === undefined) forms.set(text, (form = toSimplified(text.normalize('NFKC')).toLowerCase()));
  return form;
}

/** The same passages are matched again and again while answering: their forms are kept (a bounded cache). */
const forms = new Lru<string, string>(4096);

export function tokenize(text: string): string[] {
  const form = matchingForm(text);
  const tokens = segmenter().cutForSearch(form, true).filter(isUseful);
  // Bigrams run across words but not across punctuation or stop words, whose
  // bigrams ("是哪", "开的") would match passages at random.
  let run = '';
  const flush = () => {
    for (let i = 0; i + 1 < run.length; i++) tokens.push(`#${run.slice(i, i + 2)}`);
    run = '';
  };
  for (const word of segmenter().cut(form, true)) {
    if (isUseful(word) && HAN_RUN.test(word)) run += word;
    else flush();
  }
  flush();
  return tokens;
}

/**
 * jieba's dictionary entries (frequency, part of speech) for some words. One scan over the dictionary that
 * splits only the lines of the words asked for: parsing all 350k lines would take seconds.
 */
export function dictionaryEntries(words: Iterable<string>): Map<string, { frequency: number; tag: string }> {
  const wanted = new Set(words);
  const out = new Map<string, { frequency: number; tag: string }>();
  const text = new TextDecoder().decode(dict);
  for (let at = 0; at < text.length; ) {
    const space = text.indexOf(' ', at);
    const end = text.indexOf('\n', at);
    const lineEnd = end === -1 ? text.length : end;
    if (space !== -1 && space < lineEnd) {
      const word = text.slice(at, space);
      if (wanted.has(word)) {
        const [frequency, tag] = text.slice(space + 1, lineEnd).trim().split(' ');
        out.set(word, { frequency: Number(frequency), tag: tag ?? '' });
      }
    }
    at = lineEnd + 1;
  }
  return out;
}
