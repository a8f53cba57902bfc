// npm run report, run as the operator runs it, on a seeded question log.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestionLog, type Verdict } from '../src/insight/question-log.js';
import type { Answer, Hit } from '../src/retrieval/types.js';
import { spawnClean, TSX } from './support/spawn.js';

const DAY = 86_400_000;
let dir: string;
let dbFile: string;

function hit(source: string, paragraph: number): Hit {
  return { source, title: 't', reportNumber: 1, paragraph, sourceUrl: null, passageId: paragraph, part: 0, text: 'x', score: 1, places: { own: [], inherited: [] }, bestSentence: null, answerSpan: null, alsoIn: [] };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'report-'));
  dbFile = path.join(dir, 'bot.sqlite');
  const now = Date.now();
  const log = new QuestionLog({ file: dbFile, salt: 'report-test-salt-16+', retentionDays: 3650, logger: pino({ level: 'silent' }) });
  const ask = (question: string, verdict: Verdict, options: { daysAgo?: number; cite?: Hit[]; places?: string[]; ms?: number } = {}) =>
    log.record({
      via: 'mention',
      guildId: 'g',
      channelId: 'c',
      userId: 'u',
      latencyMs: options.ms ?? 20,
      at: now - (options.daysAgo ?? 1) * DAY,
      answer: { question, truncated: false, answerable: verdict === 'answer', verdict, reason: null, hits: options.cite ?? [], places: options.places ?? [], language: 'zh' } as Answer,
    })!;
  ask('雄安新区有多少人口？', 'none', { places: ['河北'] });
  ask('雄安新区人口有多少', 'none');
  ask('雄安新區有多少人口?', 'none');
  ask('天价彩礼怎么治理？', 'none');
  ask('很久以前没找到的问题', 'none', { daysAgo: 45 });
  const a = ask('北京有多少党员？', 'answer', { cite: [hit('002_d8a4dfaa46811922.txt', 4)], places: ['北京'] });
  const b = ask('北京市有多少党员', 'answer', { cite: [hit('002_d8a4dfaa46811922.txt', 4)], places: ['北京'] });
  ask('灵川县的主题教育馆花了多少钱？', 'related', { cite: [hit('004_x.txt', 3)] });
  log.vote(a, 'u1', -1);
  log.reason(a, 'u1', 'wrong-passage');
  log.vote(b, 'u2', -1);
  log.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `npm run report -- …` runs; the first test goes through npm itself. */
const report = (args: string[], env: Record<string, string> = { STATS_DB: dbFile }) => spawnClean(TSX, ['src/cli/report.ts', ...args], env, 60_000).done;
const npmReport = (args: string[]) => spawnClean('npm', ['run', '--silent', 'report', '--', ...args], { STATS_DB: dbFile }, 60_000).done;

describe('npm run report', () => {
  it('prints the figures, the not-found and 👎 groups and the 👎 passages (Markdown by default, last 30 days)', async () => {
    const { code, stdout, stderr } = await npmReport([]);
    expect(stderr.replace(/npm warn.*\n/g, '')).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Questions from /);
    expect(stdout).toContain('- Questions: 7 (mention 7); from the answer cache: 0.0 %');
    expect(stdout).toContain('- Answered: 2 (28.6 %) · related only: 1 (14.3 %) · not found: 4 (57.1 %)');
    expect(stdout).toContain('- Feedback: 👍 0 · 👎 2');
    expect(stdout).toContain('- Most asked regions: 北京 (2), 河北 (1)');
    expect(stdout).toContain('| 3 | 雄安新区有多少人口？ | 雄安新區有多少人口? · 雄安新区人口有多少 |');
    expect(stdout).toContain('| 1 | 天价彩礼怎么治理？ |  |');
    expect(stdout).not.toContain('很久以前');
    expect(stdout).toContain('| 2 | 北京有多少党员？ | wrong-passage 1 | 北京市有多少党员 |');
    expect(stdout).toContain('| 2 | 002_d8a4dfaa46811922.txt | 4 | wrong-passage 1 |');
  }, 90_000);

  it('--since 60d --format csv and json', async () => {
    const csv = await report(['--since', '60d', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('section,item,count,detail');
    expect(lines).toContain('summary,questions,8,');
    expect(lines).toContain('not-found,雄安新区有多少人口？,3,雄安新區有多少人口? · 雄安新区人口有多少');
    expect(lines).toContain('not-found,很久以前没找到的问题,1,');
    expect(lines).toContain('thumbs-down-passage,002_d8a4dfaa46811922.txt#4,2,wrong-passage 1');

    const json = await report(['--format', 'json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ questions: 7, verdicts: { answer: 2, related: 1, none: 4 }, votes: { up: 0, down: 2 } });
    expect(parsed.notFound.map((g: { count: number }) => g.count)).toEqual([3, 1]);
  }, 90_000);

  it('says in one line what is wrong with bad options or a missing or damaged database', async () => {
    const bad = await report(['--since', 'yesterday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: --since must be like 30d/m);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await report([], { STATS_DB: path.join(dir, 'none.sqlite') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no stats database at .*none\.sqlite/m);
    const off = await report([], { STATS_DB: 'off' });
    expect(off.stderr).toMatch(/^error: STATS_DB=off/m);
    const junk = path.join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just text'.repeat(200));
    const damaged = await report([], { STATS_DB: junk });
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/^error: .*not a database/m);
  }, 120_000);
});
