// Whether the retrieved passages actually answer the question. Similarity
// scores do not separate answerable from unanswerable questions (measured:
// they overlap), so the decision checks what the question names — places,
// people, and the office or meeting it asks about — against what the reports
// contain.
import { segmenter } from '../text/tokens.js';
import { placesNamed, type Place } from '../places/lookup.js';
import type { PreparedQuery } from './query.js';
import type { Hit } from './types.js';

export interface Verdict {
  answerable: boolean;
  reason: string | null;
}

export interface AnswerabilityContext {
  /** Ids of every place some passage is about (own or inherited). */
  corpusPlaces: Set<string>;
  /** Whether a word of the question occurs anywhere in the reports. */
  inCorpus: (word: string) => boolean;
  /** Whether some passage about the place with this id contains `word` (matching form). */
  saysAbout: (placeId: string, word: string) => boolean;
}

/**
 * Offices and meetings: a question pairing one with a place ("上海市委书记…",
 * "浙江的部署会议…") is about a person or event the reports must name for
 * that place. Longer forms first; matching is by substring.
 */
const FOCUS_TERMS = [
  '书记', '省长', '市长', '县长', '区长', '州长', '旗长', '乡长', '镇长', '主席', '厅长', '局长', '部长', '处长', '主任', '所长', '校长', '院长', '队长', '村支书',
  '部署会', '座谈会', '常委会', '推进会', '动员会', '现场会', '研讨会', '读书班', '培训班', '发布会', '全会', '代表大会',
];

/** A word occurs in the reports as a keyword token, or (segmented differently there) as all of its character bigrams. */
export function wordInCorpus(df: (term: string) => number): (word: string) => boolean {
  return (word) => {
    if (df(word) > 0) return true;
    for (let i = 0; i + 1 < word.length; i++) if (!df(`#${word.slice(i, i + 2)}`)) return false;
    return word.length > 1;
  };
}

export function judgeAnswerable(query: PreparedQuery, hits: Hit[], context: AnswerabilityContext): Verdict {
  if (hits.length === 0) return { answerable: false, reason: 'No passage matches the question.' };

  // A name several places share (朝阳区) is absent only when none of them is in the reports.
  const covered = (place: Place) => context.corpusPlaces.has(place.id) || placesNamed(place.name).some((p) => context.corpusPlaces.has(p.id));
  const absent = query.places.filter((r) => !covered(r));
  if (absent.length > 0) {
    const names = absent.map((r) => r.name).join('、');
    return { answerable: false, reason: `The reports say nothing about ${names} (报告中没有关于${names}的内容).` };
  }
  if (query.regionGroup.length > 0 && !query.regionGroup.some((r) => context.corpusPlaces.has(r.id))) {
    return { answerable: false, reason: 'The reports say nothing about that part of China (报告中没有相关地区的内容).' };
  }

  const people = personNames(query.matching).filter((name) => !context.inCorpus(name));
  if (people.length > 0) {
    const names = people.join('、');
    return { answerable: false, reason: `The reports do not mention ${names} (报告中没有提到${names}).` };
  }

  // An English question's dictionary translations are alternatives (chief: 局长, 首要…), not words it asks for.
  const asked = query.english ? '' : query.matching;
  const focus = FOCUS_TERMS.filter((term) => asked.includes(term));
  for (const region of query.places) {
    const ids = [region, ...placesNamed(region.name)].map((p) => p.id);
    const missing = focus.filter((term) => !ids.some((id) => context.saysAbout(id, term)));
    if (missing.length > 0) {
      return {
        answerable: false,
        reason: `No passage about ${region.name} mentions ${missing.join('、')} (报告中关于${region.name}的段落没有提到${missing.join('、')}).`,
      };
    }
  }
  return { answerable: true, reason: null };
}

/** Common surnames, for names jieba's tagger misses ("王毅在会上讲了什么"). */
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤娄巴';
/** A surname and one or two characters, right before a verb of saying: 王毅说、李强强调. */
const SPEAKER = new RegExp(`(?:^|[^\\u4e00-\\u9fff]|[在和与对])([${SURNAMES}][\\u4e00-\\u9fff]{1,2}?)(?=说|讲|强调|指出|表示|认为|要求|提出|在会上)`, 'gu');

/** Person names in the question: jieba's tag nr (two to four characters) and surname-plus-verb-of-saying phrases. */
export function personNames(text: string): string[] {
  const tagged = segmenter()
    .tag(text, true)
    .filter((t) => t.tag === 'nr' && /^[\u4e00-\u9fff]{2,4}$/.test(t.word))
    .map((t) => t.word);
  // A capture that jieba knows as one ordinary word (周边, 江苏) is not a name.
  const speakers = [...text.matchAll(SPEAKER)]
    .map((m) => m[1]!)
    .filter((name) => {
      const words = segmenter().tag(name, false);
      return words.length > 1 || words[0]!.tag.startsWith('nr');
    });
  return [...new Set([...tagged, ...speakers])];
}
