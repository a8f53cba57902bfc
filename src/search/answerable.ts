// Whether the retrieved passages actually answer the question. Similarity
// scores do not separate answerable from unanswerable questions (measured:
// they overlap), so the decision checks what the question names — places,
// people, and the office or meeting it asks about — against what the reports
// contain.
import { segmenter } from '../index/tokens.js';
import type { PreparedQuery } from './query.js';
import type { Hit } from './types.js';

export interface Verdict {
  answerable: boolean;
  reason: string | null;
}

export interface AnswerabilityContext {
  /** Every region some passage is about. */
  corpusRegions: Set<string>;
  /** Whether a word of the question occurs anywhere in the reports. */
  inCorpus: (word: string) => boolean;
  /** Whether some passage about `region` contains `word` (matching form). */
  saysAbout: (region: string, word: string) => boolean;
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

  const absent = query.regions.filter((r) => !context.corpusRegions.has(r.name));
  if (absent.length > 0) {
    const names = absent.map((r) => r.name).join('、');
    return { answerable: false, reason: `The reports say nothing about ${names} (报告中没有关于${names}的内容).` };
  }
  if (query.regionGroup.length > 0 && !query.regionGroup.some((r) => context.corpusRegions.has(r.name))) {
    return { answerable: false, reason: 'The reports say nothing about that part of China (报告中没有相关地区的内容).' };
  }

  const people = personNames(query.matching).filter((name) => !context.inCorpus(name));
  if (people.length > 0) {
    const names = people.join('、');
    return { answerable: false, reason: `The reports do not mention ${names} (报告中没有提到${names}).` };
  }

  const asked = [query.matching, ...query.translations].join(' ');
  const focus = FOCUS_TERMS.filter((term) => asked.includes(term));
  for (const region of query.regions) {
    const missing = focus.filter((term) => !context.saysAbout(region.name, term));
    if (missing.length > 0) {
      return {
        answerable: false,
        reason: `No passage about ${region.name} mentions ${missing.join('、')} (报告中关于${region.name}的段落没有提到${missing.join('、')}).`,
      };
    }
  }
  return { answerable: true, reason: null };
}

/** Person names jieba recognises in the question (tag nr), two to four characters. */
export function personNames(text: string): string[] {
  return segmenter()
    .tag(text, true)
    .filter((t) => t.tag === 'nr' && /^[\u4e00-\u9fff]{2,4}$/.test(t.word))
    .map((t) => t.word);
}
