import { describe, expect, it } from 'vitest';
import { matchingForm } from '../text/tokens.js';
import { askedFor } from './answer-kind.js';
import { answerSpan, spanQuestion } from './answer-span.js';
import { prepareQuery } from './query.js';
import type { Hit } from './types.js';
import { contentWords, decideVerdict, subjectPhrase, type VerdictContext } from './verdict.js';

// A tiny hand-written "corpus": the verdict reads it only through the context.
const PASSAGES: Array<{ text: string; places: string[] }> = [
  { text: '9月5日，南宁市召开主题教育推进会，市委书记张大同出席会议并讲话。', places: ['南宁', '广西'] },
  { text: '南宁市新建的党史展览馆已于近日开放，馆内设有五个展区。', places: ['南宁', '广西'] },
  { text: '南宁市组织2000余名党员干部走访群众，收集意见建议1200条。', places: ['南宁', '广西'] },
  { text: '主题教育开展以来，各地坚持问题导向，推动整改落实。', places: [] },
  { text: '主题教育期间，机关党员深入社区开展志愿服务。', places: [] },
  { text: '柳州市开展专项整治，整治问题86个。', places: ['柳州', '广西'] },
];
const forms = PASSAGES.map((p) => matchingForm(p.text));
const df = (word: string) => forms.filter((f) => f.includes(word)).length;
const context: VerdictContext = {
  corpusPlaces: new Set(PASSAGES.flatMap((p) => p.places)),
  inCorpus: (word) => df(word) > 0,
  saysAbout: (place, word) => PASSAGES.some((p, i) => p.places.includes(place) && forms[i]!.includes(word)),
  hitAbout: (hit, place) => PASSAGES[hit.passageId]!.places.includes(place),
  documentFrequency: df,
  documentCount: 100, // as if these six stood among a hundred others
};

function judge(question: string, ids: number[]) {
  const query = prepareQuery(question);
  const asked = askedFor(question);
  const spanQuery = spanQuestion(query.matching, asked);
  const hits: Hit[] = ids.map((id, rank) => ({
    source: 'r.txt', title: '报告', reportNumber: null, paragraph: id + 1, sourceUrl: null,
    passageId: id, part: 0, text: PASSAGES[id]!.text, score: 1 / (rank + 1), places: { own: [], inherited: [] },
    bestSentence: null, answerSpan: answerSpan(PASSAGES[id]!.text, spanQuery), alsoIn: [],
  }));
  return { ...decideVerdict({ query, asked, hits, shown: hits.length, question: spanQuery }, context), hits };
}

describe('the verdict', () => {
  it('is "answer" when a passage about the subject holds the kind asked, near the question words', () => {
    expect(judge('南宁的主题教育推进会是哪天开的？', [0, 3])).toMatchObject({ verdict: 'answer', answerable: true, reason: null });
    expect(judge('南宁市委书记是谁？', [0, 1])).toMatchObject({ verdict: 'answer' });
    expect(judge('南宁走访群众收集了多少条意见？', [2, 0]).verdict).toBe('answer');
  });

  it('moves the span to the candidate next to the question words', () => {
    const { hits } = judge('南宁走访群众收集了多少条意见？', [2]);
    expect(hits[0]!.answerSpan!.text).toContain('1200条');
  });

  it('is "related" when the subject is there but not the detail asked for', () => {
    const cost = judge('南宁新建的党史展览馆花了多少钱？', [1, 0]);
    expect(cost.verdict).toBe('related');
    expect(cost.answerable).toBe(false);
    expect(cost.reason).toContain('南宁新建的党史展览馆');
    expect(cost.reason).toContain('金额');
    expect(judge('南宁新建的党史展览馆是哪一年建成的？', [1, 0]).verdict).toBe('related');
  });

  it('is "related" for an office the reports do not name for the place', () => {
    expect(judge('柳州市委书记是谁？', [5, 0])).toMatchObject({ verdict: 'related' });
  });

  it('is "none" for a place or person the reports never mention', () => {
    expect(judge('桂林的主题教育推进会是哪天开的？', [0])).toMatchObject({ verdict: 'none' });
    expect(judge('李明远在会上说了什么？', [0]).verdict).toBe('none');
  });

  it('is "none" when the question is about things the reports never mention', () => {
    const v = judge('有没有地方组织党员开展植树造林、清理河道垃圾？', [3, 4]);
    expect(v.verdict).toBe('none');
    expect(v.reason).toMatch(/植树造林|河道|垃圾/);
  });

  it('lets a paraphrase through when the best passage matches something specific', () => {
    // 展馆 is not in the reports, but the best passage is about 南宁 and its 党史.
    expect(judge('南宁新建的党史展馆是怎么布展的？', [1]).verdict).toBe('answer');
  });

  it('is "none" without hits', () => {
    expect(judge('南宁的推进会是哪天开的？', [])).toMatchObject({ verdict: 'none', answerable: false });
  });
});

describe('the words a verdict weighs', () => {
  it('keeps nouns and verbs, drops question words and named places', () => {
    const words = contentWords(prepareQuery('南宁新建的那个党史展览馆总共花了多少钱？'));
    expect(words).toEqual(expect.arrayContaining(['新建', '党史']));
    expect(words).not.toContain('南宁');
    expect(words.some((w) => /多少|那个|总共/.test(w))).toBe(false);
  });

  it('names the subject with the question\'s own words', () => {
    expect(subjectPhrase('南宁新建的那个党史展览馆，总共花了多少钱？', ['南宁', '党史', '展览馆'])).toBe('南宁新建的那个党史展览馆');
  });
});
