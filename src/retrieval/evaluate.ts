// Retrieval quality on a question set with gold passages: the measure behind
// `npm run eval` and the quality thresholds in the test suite. A hit counts
// when a gold anchor occurs in the passage text returned and the passage's
// report file is the anchor's (the external-dev README's scoring rule). Also:
// how well the verdict (answer / related / none) is decided, whether the
// answer span marks the gold words, and whether the shown-quotes cut keeps
// every gold passage of the top 5.
import { answerKind } from './answer-kind.js';
import { MAX_SPAN_CHARS } from './answer-span.js';
import { jsonHits } from './json.js';
import type { Searcher } from './searcher.js';

export interface Gold {
  doc: string;
  anchor: string;
}

export interface EvalQuestion {
  id: string;
  lang?: string;
  kind?: string;
  question: string;
  gold?: Gold[];
}

export interface EvalRow {
  question: EvalQuestion;
  kind: string;
  lang: string;
  unanswerable: boolean;
  /** The searcher's decision that the reports answer the question (verdict `answer`). */
  saidAnswerable: boolean;
  verdict: string;
  reason: string | null;
  /** For answerable number/date/person questions: the top hit's answer span overlaps a gold anchor and is a short phrase; else null. */
  spanHit: boolean | null;
  /** Gold passages of the top 5 that the shown-quotes cut hides. */
  lostByCut: number;
  /** Quotes listed first (folded copies counted). */
  shown: number;
  hit1: number;
  recall5: number;
  rr10: number;
  /** 1-based rank of the first gold hit in the top 10, 0 when none. */
  firstGoldRank: number;
  top: Array<{ source: string; paragraph: number; text: string; span: string | null }>;
}

export interface EvalSummary {
  name: string;
  n: number;
  hit1: number;
  recall5: number;
  mrr10: number;
}

export interface EvalReport {
  groups: EvalSummary[];
  /** Share of unanswerable questions the searcher declined (NaN when there are none). */
  unanswerableCaught: number;
  unanswerableCount: number;
  /** Share of answerable questions wrongly declined (verdict related or none). */
  falseNotFound: number;
  answerableCount: number;
  /** Verdict counts: unanswerable questions given related / none, answerable ones given related / none. */
  verdicts: { unanswerableRelated: number; unanswerableNone: number; answerableRelated: number; answerableNone: number };
  /** Share of answerable number/date/person questions whose top hit's span marks the gold words (≤ 30 characters). */
  spanOnGold: number;
  spanCount: number;
  /** Gold passages of the top 5 hidden by the shown-quotes cut, over all answerable questions. */
  lostByCut: number;
  meanShown: number;
}

const matches = (hit: { source: string; text: string }, gold: Gold) => hit.source === gold.doc && hit.text.includes(gold.anchor);

/** Parses a JSON-lines question file's text. */
export function parseQuestions(text: string): EvalQuestion[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);
}

export async function evaluate(searcher: Searcher, questions: EvalQuestion[]): Promise<EvalRow[]> {
  const rows: EvalRow[] = [];
  for (const q of questions) {
    const answer = await searcher.search(q.question, { k: 10 });
    const hits = jsonHits(answer, 10);
    const gold = q.gold ?? [];
    const firstRank = hits.findIndex((h) => gold.some((g) => matches(h, g)));
    const found5 = gold.filter((g) => hits.slice(0, 5).some((h) => matches(h, g))).length;
    // Folded copies count toward the cut like their passage.
    const shown = jsonHits({ ...answer, hits: answer.hits.slice(0, answer.shown) }, 10).length;
    const lostByCut = hits.slice(0, 5).filter((h, i) => i >= shown && gold.some((g) => matches(h, g))).length;
    const kind = answerKind(q.question);
    let spanHit: boolean | null = null;
    if (gold.length > 0 && (kind === 'number' || kind === 'date' || kind === 'person')) {
      const top = hits[0];
      const span = top?.answer_span;
      spanHit =
        !!top &&
        !!span &&
        span.end - span.start <= MAX_SPAN_CHARS &&
        gold.some((g) => {
          const at = top.source === g.doc ? top.text.indexOf(g.anchor) : -1;
          return at >= 0 && span.start < at + g.anchor.length && at < span.end;
        });
    }
    rows.push({
      question: q,
      kind: q.kind ?? 'unknown',
      lang: q.lang ?? 'zh',
      unanswerable: gold.length === 0,
      saidAnswerable: answer.answerable,
      verdict: answer.verdict,
      reason: answer.reason,
      spanHit,
      lostByCut,
      shown,
      hit1: firstRank === 0 ? 1 : 0,
      recall5: gold.length ? found5 / gold.length : 0,
      rr10: firstRank >= 0 ? 1 / (firstRank + 1) : 0,
      firstGoldRank: firstRank + 1,
      top: hits.slice(0, 3).map((h) => ({ source: h.source, paragraph: h.paragraph, text: h.text, span: h.answer_span ? h.text.slice(h.answer_span.start, h.answer_span.end) : null })),
    });
  }
  return rows;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function summarize(rows: EvalRow[]): EvalReport {
  const answerable = rows.filter((r) => !r.unanswerable);
  const unanswerable = rows.filter((r) => r.unanswerable);
  const group = (name: string, rs: EvalRow[]): EvalSummary => ({
    name,
    n: rs.length,
    hit1: mean(rs.map((r) => r.hit1)),
    recall5: mean(rs.map((r) => r.recall5)),
    mrr10: mean(rs.map((r) => r.rr10)),
  });
  const kinds = [...new Set(answerable.map((r) => r.kind))];
  const spanned = answerable.filter((r) => r.spanHit !== null);
  return {
    groups: [
      ...kinds.map((k) => group(k, answerable.filter((r) => r.kind === k))),
      group('all Chinese', answerable.filter((r) => r.lang === 'zh')),
      group('all English', answerable.filter((r) => r.lang === 'en')),
      group('all answerable', answerable),
    ].filter((g) => g.n > 0),
    unanswerableCaught: mean(unanswerable.map((r) => (r.saidAnswerable ? 0 : 1))),
    unanswerableCount: unanswerable.length,
    falseNotFound: mean(answerable.map((r) => (r.saidAnswerable ? 0 : 1))),
    answerableCount: answerable.length,
    verdicts: {
      unanswerableRelated: unanswerable.filter((r) => r.verdict === 'related').length,
      unanswerableNone: unanswerable.filter((r) => r.verdict === 'none').length,
      answerableRelated: answerable.filter((r) => r.verdict === 'related').length,
      answerableNone: answerable.filter((r) => r.verdict === 'none').length,
    },
    spanOnGold: mean(spanned.map((r) => (r.spanHit ? 1 : 0))),
    spanCount: spanned.length,
    lostByCut: answerable.reduce((a, r) => a + r.lostByCut, 0),
    meanShown: mean(rows.map((r) => r.shown)),
  };
}

/** The report as the plain-text table `npm run eval` prints. */
export function formatReport(title: string, report: EvalReport): string {
  const f = (x: number) => (Number.isNaN(x) ? '   -' : x.toFixed(3));
  const lines = [title, 'kind              n   Hit@1  Recall@5  MRR@10'];
  for (const g of report.groups) lines.push(`${g.name.padEnd(16)} ${String(g.n).padStart(3)}   ${f(g.hit1)}  ${f(g.recall5)}     ${f(g.mrr10)}`);
  const v = report.verdicts;
  lines.push(`Unanswerable caught (verdict not "answer"): ${f(report.unanswerableCaught)} of ${report.unanswerableCount} (related ${v.unanswerableRelated}, none ${v.unanswerableNone})`);
  lines.push(`Answerable given related/none:            ${f(report.falseNotFound)} of ${report.answerableCount} (related ${v.answerableRelated}, none ${v.answerableNone})`);
  lines.push(`Answer span on the gold words (number/date/person questions, ≤ ${MAX_SPAN_CHARS} chars): ${f(report.spanOnGold)} of ${report.spanCount}`);
  lines.push(`Gold passages of the top 5 hidden by the shown-quotes cut: ${report.lostByCut}; quotes listed on average: ${f(report.meanShown)}`);
  return lines.join('\n');
}
