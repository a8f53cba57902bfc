// The gaps report as text: Markdown for reading, CSV for a spreadsheet, JSON
// for tools. Same figures as /stats, plus the full lists.
import type { GapsReport } from './figures.js';
import type { Reason } from './question-log.js';

export type ReportFormat = 'md' | 'csv' | 'json';

const pct = (n: number, total: number) => (total === 0 ? '–' : `${((100 * n) / total).toFixed(1)} %`);
const ms = (x: number | null) => (x === null ? '–' : `${x.toFixed(1)} ms`);
const day = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
const reasons = (r: Partial<Record<Reason, number>>) =>
  Object.entries(r)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

export function renderReport(report: GapsReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify({ ...report, since: new Date(report.since).toISOString(), until: new Date(report.until).toISOString() }, null, 2)}\n`;
  if (format === 'csv') return csv(report);
  return markdown(report);
}

/** Markdown cell: no pipes or line breaks from user text. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

function markdown(r: GapsReport): string {
  const n = r.questions;
  const out = [
    `# Questions from ${day(r.since)} to ${day(r.until)} (UTC)`,
    '',
    `- Questions: ${n} (${Object.entries(r.byVia).map(([via, c]) => `${via} ${c}`).join(', ') || 'none'}); from the answer cache: ${pct(Math.round(r.cachedShare * n), n)}`,
    `- Answered: ${r.verdicts.answer} (${pct(r.verdicts.answer, n)}) · related only: ${r.verdicts.related} (${pct(r.verdicts.related, n)}) · not found: ${r.verdicts.none} (${pct(r.verdicts.none, n)})`,
    `- Feedback: 👍 ${r.votes.up} · 👎 ${r.votes.down}`,
    `- Latency: median ${ms(r.latencyMs.p50)} · p95 ${ms(r.latencyMs.p95)}`,
    `- Most asked regions: ${r.topPlaces.map((p) => `${p.place} (${p.count})`).join(', ') || 'none'}`,
    '',
    `## Not found (${r.verdicts.none} questions, ${r.notFound.length} groups): reports to add`,
    '',
  ];
  if (r.notFound.length === 0) out.push('None.');
  else {
    out.push('| times | question | other wordings |', '|---:|---|---|');
    for (const g of r.notFound) out.push(`| ${g.count} | ${cell(g.question)} | ${cell(g.variants.slice(1).join(' · '))} |`);
  }
  out.push('', `## 👎 questions (${r.votes.down} votes, ${r.disliked.length} groups)`, '');
  if (r.disliked.length === 0) out.push('None.');
  else {
    out.push('| 👎 | question | what was wrong | other wordings |', '|---:|---|---|---|');
    for (const g of r.disliked) out.push(`| ${g.count} | ${cell(g.question)} | ${reasons(g.reasons)} | ${cell(g.variants.slice(1).join(' · '))} |`);
  }
  out.push('', '## Passages quoted first in 👎 answers: passages to check', '');
  if (r.dislikedPassages.length === 0) out.push('None.');
  else {
    out.push('| 👎 | report file | paragraph | what was wrong |', '|---:|---|---:|---|');
    for (const p of r.dislikedPassages) out.push(`| ${p.count} | ${cell(p.report)} | ${p.paragraph} | ${reasons(p.reasons)} |`);
  }
  return `${out.join('\n')}\n`;
}

/** RFC 4180 field. */
const field = (value: string | number) => {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One table: section, item, count, detail. */
function csv(r: GapsReport): string {
  const rows: Array<Array<string | number>> = [['section', 'item', 'count', 'detail']];
  rows.push(['window', new Date(r.since).toISOString(), 0, new Date(r.until).toISOString()]);
  rows.push(['summary', 'questions', r.questions, '']);
  for (const [verdict, count] of Object.entries(r.verdicts)) rows.push(['summary', `verdict ${verdict}`, count, '']);
  rows.push(['summary', 'votes up', r.votes.up, ''], ['summary', 'votes down', r.votes.down, '']);
  rows.push(['summary', 'latency p50 ms', r.latencyMs.p50 ?? '', ''], ['summary', 'latency p95 ms', r.latencyMs.p95 ?? '', '']);
  for (const p of r.topPlaces) rows.push(['region', p.place, p.count, '']);
  for (const g of r.notFound) rows.push(['not-found', g.question, g.count, g.variants.slice(1).join(' · ')]);
  for (const g of r.disliked) rows.push(['thumbs-down', g.question, g.count, reasons(g.reasons)]);
  for (const p of r.dislikedPassages) rows.push(['thumbs-down-passage', `${p.report}#${p.paragraph}`, p.count, reasons(p.reasons)]);
  return `${rows.map((row) => row.map(field).join(',')).join('\n')}\n`;
}
