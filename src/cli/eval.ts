// npm run eval [-- --file questions.jsonl] [--verbose]
// Retrieval quality on a question set with gold paragraphs: Hit@1, Recall@5
// and MRR@10 per kind of question, plus how well "not found" is decided.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../config.js';
import { openSearch } from '../runtime/open.js';
import { runCli } from './run.js';
import { jsonHits } from '../retrieval/json.js';

interface Gold {
  doc: string;
  anchor: string;
}
interface EvalQuestion {
  id: string;
  lang?: string;
  kind?: string;
  question: string;
  gold?: Gold[];
}

interface Row {
  kind: string;
  lang: string;
  unanswerable: boolean;
  saidAnswerable: boolean;
  hit1: number;
  recall5: number;
  rr10: number;
}

const matches = (hit: { source: string; text: string }, gold: Gold) => hit.source === gold.doc && hit.text.includes(gold.anchor);

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      file: { type: 'string', default: path.join(PROJECT_ROOT, 'test', 'fixtures', 'questions.dev.jsonl') },
      verbose: { type: 'boolean', default: false },
      'rrf-k': { type: 'string' },
      'vector-weight': { type: 'string' },
      'keyword-weight': { type: 'string' },
      candidates: { type: 'string' },
      'region-weight': { type: 'string' },
      'margin-weight': { type: 'string' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const questions = (await readFile(values.file!, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);
  const config = loadConfig();
  const opened = await openSearch(config, {
    rrfK: num(values['rrf-k']),
    vectorWeight: num(values['vector-weight']),
    keywordWeight: num(values['keyword-weight']),
    candidates: num(values.candidates),
    regionWeight: num(values['region-weight']),
    marginWeight: num(values['margin-weight']),
  });

  const rows: Row[] = [];
  for (const q of questions) {
    const answer = await opened.searcher.search(q.question, { k: 10 });
    const hits = jsonHits(answer, 10);
    const gold = q.gold ?? [];
    const firstRank = hits.findIndex((h) => gold.some((g) => matches(h, g)));
    const found5 = gold.filter((g) => hits.slice(0, 5).some((h) => matches(h, g))).length;
    const row: Row = {
      kind: q.kind ?? 'unknown',
      lang: q.lang ?? 'zh',
      unanswerable: gold.length === 0,
      saidAnswerable: answer.answerable,
      hit1: firstRank === 0 ? 1 : 0,
      recall5: gold.length ? found5 / gold.length : 0,
      rr10: firstRank >= 0 ? 1 / (firstRank + 1) : 0,
    };
    rows.push(row);
    const wrong = row.unanswerable ? row.saidAnswerable : row.hit1 === 0 || !row.saidAnswerable;
    if (values.verbose && wrong) {
      console.log(`✗ ${q.id} [${row.kind}] ${q.question}  answerable=${answer.answerable}${answer.reason ? ` (${answer.reason})` : ''} firstGoldRank=${firstRank + 1}`);
      hits.slice(0, 3).forEach((h, i) => console.log(`    ${i + 1}. ${h.source}#${h.paragraph} ${h.text.slice(0, 60)}`));
    }
  }
  await opened.close();

  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const f = (x: number) => (Number.isNaN(x) ? '   -' : x.toFixed(3));
  const answerable = rows.filter((r) => !r.unanswerable);
  const groups: Array<[string, Row[]]> = [
    ...[...new Set(answerable.map((r) => r.kind))].map((k): [string, Row[]] => [k, answerable.filter((r) => r.kind === k)]),
    ['all Chinese', answerable.filter((r) => r.lang === 'zh')],
    ['all English', answerable.filter((r) => r.lang === 'en')],
    ['all answerable', answerable],
  ];
  console.log(`Questions: ${rows.length} (${answerable.length} answerable) from ${values.file}`);
  console.log('kind              n   Hit@1  Recall@5  MRR@10');
  for (const [name, rs] of groups) {
    if (rs.length === 0) continue;
    console.log(`${name.padEnd(16)} ${String(rs.length).padStart(3)}   ${f(mean(rs.map((r) => r.hit1)))}  ${f(mean(rs.map((r) => r.recall5)))}     ${f(mean(rs.map((r) => r.rr10)))}`);
  }
  const unanswerable = rows.filter((r) => r.unanswerable);
  console.log(`Unanswerable caught ("not found"): ${f(mean(unanswerable.map((r) => (r.saidAnswerable ? 0 : 1))))} of ${unanswerable.length}`);
  console.log(`False "not found" on answerable:   ${f(mean(answerable.map((r) => (r.saidAnswerable ? 0 : 1))))} of ${answerable.length}`);
});
