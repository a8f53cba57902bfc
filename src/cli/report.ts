// npm run report -- [--since 30d] [--format md|csv|json]
// What users asked and what the reports lack, from the question log
// (STATS_DB): the /stats figures plus every not-found and 👎 question grouped
// by similarity, and the passages that drew 👎. Reads only; safe while the bot runs.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { gapsReport } from '../insight/figures.js';
import { renderReport, type ReportFormat } from '../insight/report.js';
import { openForReading } from '../insight/schema.js';
import { runCli } from './run.js';

const USAGE = 'usage: npm run report -- [--since 30d] [--format md|csv|json]';
const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "30d", "12h", "2w" back from now, or a date such as 2026-05-01. */
export function parseSince(text: string, now = Date.now()): number {
  const relative = /^(\d{1,5})([hdw])$/.exec(text.trim());
  if (relative) return now - Number(relative[1]) * UNITS[relative[2]!]!;
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(date)) throw new ConfigError(`--since must be like 30d, 12h, 2w or a date such as 2026-05-01, got "${text}". ${USAGE}`);
  return date;
}

await runCli(async () => {
  let values: { since?: string; format?: string };
  try {
    ({ values } = parseArgs({ options: { since: { type: 'string', default: '30d' }, format: { type: 'string', default: 'md' } } }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. ${USAGE}`);
  }
  const format = values.format!;
  if (!['md', 'csv', 'json'].includes(format)) throw new ConfigError(`--format must be md, csv or json, got "${format}". ${USAGE}`);
  const since = parseSince(values.since!);
  const config = loadConfig();
  if (!config.stats.db) throw new ConfigError('STATS_DB=off: no questions are recorded, so there is nothing to report. Set STATS_DB (see .env.example).');
  let db;
  try {
    db = openForReading(config.stats.db);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}`);
  }
  try {
    process.stdout.write(renderReport(gapsReport(db, { since, until: Date.now() }), format as ReportFormat));
  } finally {
    db.close();
  }
});
