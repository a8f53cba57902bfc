// Whether the retrieved passages answer the question, graded:
//   answer  — a passage about what the question names holds an answer of the kind asked;
//   related — the reports discuss the subject, but no passage gives the detail asked for;
//   none    — the reports say nothing about it.
// Similarity scores do not separate these (measured: they overlap), so the
// decision checks what the question names — places, people, its content
// words, the office it asks about — against what the reports contain, and
// whether the kind of answer asked for (a number, a date, a name …) stands
// next to the question's words in the passages about its subject.
import { findRegionMentions } from '../places/lookup.js';
import { splitSentences } from '../text/text.js';
import { matchingForm, segmenter } from '../text/tokens.js';
import type { AskedFor } from './answer-kind.js';
import { rankedCandidates, spanForm, type SpanQuestion } from './answer-span.js';
import { personNames } from './people.js';
import type { PreparedQuery } from './query.js';
import type { Hit, Span, VerdictKind } from './types.js';

export interface Verdict {
  verdict: VerdictKind;
  /** True only for `answer`. */
  answerable: boolean;
  /** Why the verdict is not `answer`, in plain words (null for `answer`). */
  reason: string | null;
}

export interface VerdictContext {
  /** Every place some passage is about. */
  corpusPlaces: Set<string>;
  /** Whether a word (matching form) occurs anywhere in the reports. */
  inCorpus: (word: string) => boolean;
  /** Whether some passage about `place` contains `word` (matching form). */
  saysAbout: (place: string, word: string) => boolean;
  /** Whether a hit is about `place`. */
  hitAbout: (hit: Hit, place: string) => boolean;
  /** In how many passages a word occurs (its rarest bigram's count when not a keyword token). */
  documentFrequency: (word: string) => number;
  documentCount: number;
}

export const VERDICT_OPTIONS = {
  /** A word in at most this share of passages says what a passage is about (not 主题教育): it can vouch for a paraphrase. */
  specificShare: 0.1,
  /** An answer span must stand near a question word in at most this share of passages. */
  backingShare: 0.4,
  /** A number or date stands this close (characters) to the question words it answers. */
  backingWindow: 40,
  /** This many words the reports never use make a question about something else. */
  missingWords: 3,
};

export interface VerdictInput {
  query: PreparedQuery;
  asked: AskedFor;
  /** Ranked hits, each with its answer span. */
  hits: Hit[];
  /** How many of them the reply lists. */
  shown: number;
  /** The question as the span finder reads it (kind, weighted terms, named places). */
  question: SpanQuestion;
}

/**
 * Offices and meetings: a question pairing one with a place ("上海市委书记…",
 * "浙江的部署会议…") is about a person or event the reports must name for
 * that place. Longer forms first; matching is by substring.
 */
const FOCUS_TERMS = [
  '书记', '省长', '市长', '县长', '区长', '州长', '旗长', '乡长', '镇长', '主席', '厅长', '局长', '部长', '处长', '主任', '所长', '校长', '院长', '队长', '村支书',
  '董事长', '总经理', '组长', '会长', '馆长', '站长',
  '部署会', '座谈会', '常委会', '推进会', '动员会', '现场会', '研讨会', '读书班', '培训班', '发布会', '全会', '代表大会',
];

/** Words that say what is asked or how, not what it is about. */
const QUESTION_WORDS = new Set([
  '什么', '多少', '哪些', '哪个', '哪里', '哪儿', '哪天', '哪位', '哪几', '怎么', '怎样', '怎么样', '如何', '为何', '为什么', '是否', '有没有', '是不是', '没有',
  '具体', '一下', '一共', '总共', '分别', '那个', '这个', '那些', '这些', '那边', '这边', '当时', '那次', '这次', '这轮', '一个', '一些', '大约', '大概', '左右',
  '时候', '地方', '名字', '叫什么', '是谁', '有何', '多久', '多长', '主要', '专门', '期间', '最后', '当年', '之外', '除了', '还有', '自己', '大家',
  '出来', '下来', '起来', '进去', '过来', '有个', '搞', '做', '开', '发生', '进行',
]);

/** In how many passages a word occurs: as a keyword token, or (segmented differently there) at most as often as its rarest bigram. */
export function wordFrequency(df: (term: string) => number): (word: string) => number {
  return (word) => {
    const direct = df(word);
    if (direct > 0 || word.length < 2) return direct;
    let rarest = Infinity;
    for (let i = 0; i + 1 < word.length; i++) rarest = Math.min(rarest, df(`#${word.slice(i, i + 2)}`));
    return rarest;
  };
}

/** A word occurs in the reports as a keyword token, or (segmented differently there) as all of its character bigrams. */
export function wordInCorpus(df: (term: string) => number): (word: string) => boolean {
  const frequency = wordFrequency(df);
  return (word) => frequency(word) > 0;
}

/** Part-of-speech tags of words that say what a question is about: nouns, verbs, adjectives, idioms, abbreviations. */
const CONTENT_TAG = /^(n|v|a|i|l|j|eng)/;

/**
 * The question's content words: jieba words of two or more Chinese
 * characters tagged as nouns, verbs, adjectives or idioms, without question
 * words and without the places it names (those are checked as places).
 * English questions use their Chinese translations.
 */
export function contentWords(query: PreparedQuery): string[] {
  const text = query.english ? query.translations.join('，') : query.matching;
  const places = findRegionMentions(text);
  const words: string[] = [];
  let at = 0;
  for (const { word, tag } of segmenter().tag(text, true)) {
    const start = text.indexOf(word, at);
    at = start + word.length;
    if (!/^[\u4e00-\u9fff]{2,}$/.test(word) || !CONTENT_TAG.test(tag) || QUESTION_WORDS.has(word) || /[哪几]/.test(word)) continue;
    if (places.some((p) => p.start < at && start < p.end)) continue;
    words.push(word);
  }
  return [...new Set(words)];
}

const KIND_NOUN: Record<string, [string, string]> = {
  money: ['金额', 'the amount'],
  percent: ['比例', 'the share'],
  time: ['时长', 'how long'],
  size: ['具体数字', 'the figure'],
  number: ['具体数字', 'the number'],
  date: ['时间', 'the date'],
  person: ['人名', 'the name'],
  place: ['地点', 'the place'],
  list: ['具体各项', 'the items'],
};

function askedNoun(asked: AskedFor): [string, string] {
  if (asked.kind === 'number' && asked.measure && KIND_NOUN[asked.measure]) return KIND_NOUN[asked.measure]!;
  return KIND_NOUN[asked.kind] ?? ['答案', 'the answer'];
}

/**
 * The stretch of the question that names its subject: from the first to the
 * last of its known words ("灵川县新建的那个主题教育馆"), within one clause
 * and a short phrase; empty when there is none.
 */
export function subjectPhrase(question: string, known: string[]): string {
  let best = '';
  for (const clause of question.split(/[，。？！?!,;；：:]/)) {
    let start = Infinity;
    let end = -1;
    for (const w of known) {
      if (!w) continue;
      const at = clause.indexOf(w);
      if (at < 0) continue;
      start = Math.min(start, at);
      end = Math.max(end, at + w.length);
    }
    const phrase = end > start ? clause.slice(start, end) : '';
    if (phrase.length > best.length && phrase.length <= 24) best = phrase;
  }
  return best;
}

/**
 * Whether the answer span stands next to one of `terms`: a number or date
 * within a few characters, a name or place in the same sentence or right
 * after it ("…”容城县委负责同志说").
 */
function spanBacked(text: string, span: Span, terms: string[], kind: AskedFor['kind']): boolean {
  const hit = { text };
  if (kind === 'number' || kind === 'date') {
    const near = spanForm(hit.text.slice(Math.max(0, span.start - VERDICT_OPTIONS.backingWindow), span.end + VERDICT_OPTIONS.backingWindow));
    return terms.some((t) => near.includes(t));
  }
  const sentences = splitSentences(hit.text);
  const first = sentences.findIndex((s) => s.start < span.end && span.start < s.end);
  const around = spanForm(sentences.filter((s, i) => i >= first - 1 && s.start < span.end).map((s) => s.text).join(''));
  return terms.some((t) => around.includes(t));
}

export function decideVerdict(input: VerdictInput, context: VerdictContext): Verdict {
  const { query, asked, hits } = input;
  const none = (reason: string): Verdict => ({ verdict: 'none', answerable: false, reason });
  const related = (reason: string): Verdict => ({ verdict: 'related', answerable: false, reason });
  if (hits.length === 0) return none('No passage matches the question (报告中没有相关内容).');

  // A place is in the reports when some passage is about it or its name occurs (a district named once).
  const absent = query.places.filter((r) => !context.corpusPlaces.has(r.name) && !context.inCorpus(r.name));
  const n = context.documentCount;
  const topForm = matchingForm(hits[0]!.text);
  const words = contentWords(query);
  if (absent.length > 0) {
    const names = absent.map((r) => r.name).join('、');
    return none(`The reports say nothing about ${names} (报告中没有关于${names}的内容).`);
  }
  if (query.regionGroup.length > 0 && !query.regionGroup.some((r) => context.corpusPlaces.has(r.name))) {
    return none('The reports say nothing about that part of China (报告中没有相关地区的内容).');
  }

  const people = personNames(query.matching).filter((name) => !context.inCorpus(name));
  if (people.length > 0) {
    const names = people.join('、');
    return none(`The reports do not mention ${names} (报告中没有提到${names}).`);
  }

  const places = query.places.filter((r) => !absent.includes(r)).map((r) => r.name);
  const isSpecific = (w: string) => context.documentFrequency(w) <= Math.max(1, VERDICT_OPTIONS.specificShare * n);
  const missing = words.filter((w) => !context.inCorpus(w));
  // Present words, the most telling first: they name the subject in the reason.
  const present = words.filter((w) => context.inCorpus(w)).sort((a, b) => context.documentFrequency(a) - context.documentFrequency(b));
  const subject = subjectPhrase(query.matching, [...query.places.flatMap((r) => [r.name, ...r.fullNames, r.shortName ?? '']), ...present]) || [...places, ...present.slice(0, 3)].join('、');

  // An English question's dictionary translations are alternatives (chief: 局长, 首要…), not words it asks for.
  const asked_ = query.english ? '' : query.matching;
  const focus = FOCUS_TERMS.filter((term) => asked_.includes(term));
  // An office nobody in the reports holds: "…集团，董事长叫什么？"
  const unheld = focus.filter((term) => !context.inCorpus(term));
  if (unheld.length > 0) {
    return related(`The reports mention ${subject} but no ${unheld.join('、')} (报告提到${subject}，但没有提到${unheld.join('、')}).`);
  }
  for (const region of query.places.filter((r) => !absent.includes(r))) {
    const lacking = focus.filter((term) => !context.saysAbout(region.name, term));
    if (lacking.length > 0) {
      return related(`The reports mention ${region.name} but not its ${lacking.join('、')} (报告提到${region.name}，但没有提到其${lacking.join('、')}).`);
    }
  }

  // A word the reports never use counts against the question unless the best
  // passage still matches it on something specific: a place the question
  // names, or a word few passages share (a paraphrase: 午饭 for 午餐).
  const top = hits[0]!;
  const many = missing.length >= VERDICT_OPTIONS.missingWords;
  if (many) {
    const names = missing.join('、');
    return none(`The reports do not mention ${names} (报告中没有提到${names}).`);
  }
  if (missing.length > 0) {
    const specificMatch = present.some((w) => topForm.includes(w) && isSpecific(w));
    const placeMatch = [...places, ...query.regionGroup.map((r) => r.name)].some((p) => context.hitAbout(top, p));
    if (!specificMatch && !placeMatch) {
      const names = missing.join('、');
      return none(`The reports do not mention ${names} (报告中没有提到${names}).`);
    }
  }

  // Lists come as enumerations but also one item per sentence: checked only when the question says how many items.
  if (asked.kind !== 'description' && (asked.kind !== 'list' || asked.count)) {
    // Passages about the subject: the top ones, about the places the question names.
    const about = hits.slice(0, Math.max(5, input.shown)).filter((h) => places.length === 0 || places.some((p) => context.hitAbout(h, p)));
    // The answer must stand next to something specific the question says, not only next to 主题教育.
    const placeChars = new Set(places.join(''));
    const terms = [...input.question.weights.keys()].filter((t) => t.length > 1 && ![...t].every((c) => placeChars.has(c)) && context.documentFrequency(t) > 0);
    const telling = terms.filter((t) => context.documentFrequency(t) <= Math.max(1, VERDICT_OPTIONS.backingShare * n));
    // When no telling word occurs in these passages at all (an English question's words rendered otherwise), any question word backs a span.
    const aboutForm = about.map((h) => matchingForm(h.text)).join('\n');
    const present_ = telling.filter((t) => aboutForm.includes(t));
    const backing = present_.length > 0 ? present_ : terms;
    // A place inside the one the question names answers "河北哪个市…" by itself.
    const inside = asked.kind === 'place' && places.length > 0;
    // Each passage shows the candidate next to the question's words when one is (the closest may stand alone).
    let answered = false;
    for (const h of about) {
      const backed = [h.answerSpan, ...rankedCandidates(h.text, input.question).map((c) => ({ start: c.start, end: c.end, text: h.text.slice(c.start, c.end) }))].find(
        (c): c is Span => c !== null && (inside || spanBacked(h.text, c, backing, asked.kind)),
      );
      if (backed) {
        h.answerSpan = backed;
        answered = true;
      }
    }
    if (!answered) {
      const [zh, en] = askedNoun(asked);
      return related(`The reports mention ${subject} but do not give ${en} (报告提到${subject}，但没有给出${zh}).`);
    }
  }
  return { verdict: 'answer', answerable: true, reason: null };
}
