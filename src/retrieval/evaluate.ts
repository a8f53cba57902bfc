// Retrieval quality on a question set with gold passages: the measure behind
// `npm run eval` and the quality thresholds in the test suite. A hit counts
// when a gold anchor occurs in the passage text returned and the passage's
// report file is the anchor's (the external-dev README's scoring rule).
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
  /** The searcher's decision that the reports answer the question. */
  saidAnswerable: boolean;
  hit1: number;
  recall5: number;
  rr10: number;
  /** 1-based rank of the first gold hit in the top 10, 0 when none. */
  firstGoldRank: number;
  top: Array<{ source: string; paragraph: number; text: string }>;
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
  /** Share of answerable questions wrongly declined. */
  falseNotFound: number;
  answerableCount: number;
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
    rows.push({
      question: q,
      kind: q.kind ?? 'unknown',
      lang: q.lang ?? 'zh',
      unanswerable: gold.length === 0,
      saidAnswerable: answer.answerable,
      hit1: firstRank === 0 ? 1 : 0,
      recall5: gold.length ? found5 / gold.length : 0,
      rr10: firstRank >= 0 ? 1 / (firstRank + 1) : 0,
      firstGoldRank: firstRank + 1,
      top: hits.slice(0, 3).map((h) => ({ source: h.source, paragraph: h.paragraph, text: h.text })),
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
  };
}

/** The report as the plain-text table `npm run eval` prints. */
export function formatReport(title: string, report: EvalReport): string {
  const f = (x: number) => (Number.isNaN(x) ? '   -' : x.toFixed(3));
  const lines = [title, 'kind              n   Hit@1  Recall@5  MRR@10'];
  for (const g of report.groups) lines.push(`${g.name.padEnd(16)} ${String(g.n).padStart(3)}   ${f(g.hit1)}  ${f(g.recall5)}     ${f(g.mrr10)}`);
  lines.push(`Unanswerable caught ("not found"): ${f(report.unanswerableCaught)} of ${report.unanswerableCount}`);
  lines.push(`False "not found" on answerable:   ${f(report.falseNotFound)} of ${report.answerableCount}`);
  return lines.join('\n');
}
