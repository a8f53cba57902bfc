import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Answer, Hit } from '../retrieval/types.js';
import { figures, gapsReport } from './figures.js';
import { groupQuestions, groupSimilarQuestions, questionKey } from './groups.js';
import { QuestionLog, type Verdict } from './question-log.js';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
let dir: string;
let log: QuestionLog;

function hit(source: string, paragraph: number): Hit {
  return { source, title: 't', reportNumber: 1, paragraph, sourceUrl: null, passageId: paragraph, part: 0, text: 'x', score: 1, places: { own: [], inherited: [] }, bestSentence: null, answerSpan: null, alsoIn: [] };
}

/** Records a question; returns its id. */
function ask(question: string, verdict: Verdict, options: { ms?: number; places?: string[]; cite?: Hit[]; daysAgo?: number; user?: string } = {}): string {
  const answer = { question, truncated: false, answerable: verdict === 'answer', verdict, reason: null, hits: options.cite ?? [hit('r1.txt', 1)], shown: 1, places: options.places ?? [], language: 'zh', cached: false } as Answer;
  return log.record({ via: 'ask', guildId: 'g', channelId: 'c', userId: options.user ?? 'u1', answer, latencyMs: options.ms ?? 10, at: NOW - (options.daysAgo ?? 1) * DAY })!;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'figures-'));
  log = new QuestionLog({ file: path.join(dir, 'bot.sqlite'), salt: 'a-test-salt-of-16-chars', retentionDays: 3650, logger: pino({ level: 'silent' }), now: () => NOW });
});
afterEach(() => {
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('figures', () => {
  it('counts verdicts, votes, latency percentiles, places and not-found questions in the window', () => {
    for (let i = 1; i <= 20; i++) ask(`北京问题${i}`, 'answer', { ms: i, places: ['北京市'] });
    ask('上海有什么？', 'related', { ms: 100, places: ['上海市', '北京市'] });
    ask('广东开会是哪天？', 'none', { places: ['广东省'] });
    ask('廣東開會是哪天', 'none', { places: ['广东省'] });
    ask('广东 开会是哪天?', 'none');
    ask('太原理工大学的党委书记是谁？', 'none');
    const liked = ask('喜欢', 'answer', { ms: 1 });
    ask('十天前', 'none', { daysAgo: 10 });
    log.vote(liked, 'u1', 1);
    log.vote(liked, 'u2', -1);
    const f = log.read((db) => figures(db, { since: NOW - 7 * DAY, until: NOW }))!;
    expect(f.questions).toBe(26);
    expect(f.verdicts).toEqual({ answer: 21, related: 1, none: 4 });
    expect(f.votes).toEqual({ up: 1, down: 1 });
    // Latencies 1..20, 100, 10 × 4, 1: sorted, the 13th of 26 is 10, the 25th is 20.
    expect(f.latencyMs).toEqual({ p50: 10, p95: 20 });
    expect(f.topPlaces[0]).toEqual({ place: '北京市', count: 21 });
    expect(f.topPlaces.map((p) => p.place)).toEqual(['北京市', '广东省', '上海市']);
    expect(f.topNotFound).toEqual([
      { question: '广东开会是哪天？', count: 3, variants: ['广东开会是哪天？', '廣東開會是哪天', '广东 开会是哪天?'] },
      { question: '太原理工大学的党委书记是谁？', count: 1, variants: ['太原理工大学的党委书记是谁？'] },
    ]);
    // One server's questions only.
    expect(log.read((db) => figures(db, { since: NOW - 7 * DAY, until: NOW, guild: 'other' }))!.questions).toBe(0);
    expect(log.read((db) => figures(db, { since: NOW - 7 * DAY, until: NOW, guild: 'g' }))!.questions).toBe(26);
    const empty = log.read((db) => figures(db, { since: NOW + DAY, until: NOW + 2 * DAY }))!;
    expect(empty).toMatchObject({ questions: 0, latencyMs: { p50: null, p95: null }, topPlaces: [], topNotFound: [] });
  });

  it('the gaps report lists every not-found and 👎 question grouped by similarity, and the 👎 passages', () => {
    ask('雄安新区有多少人口？', 'none');
    ask('雄安新区有多少人口', 'none');
    ask('雄安新区人口有多少？', 'none');
    ask('天价彩礼怎么治理？', 'none');
    const a = ask('北京有多少党员？', 'answer', { cite: [hit('002.txt', 4), hit('001.txt', 6)] });
    const b = ask('北京市有多少党员', 'answer', { cite: [hit('002.txt', 4)] });
    const c = ask('巩留县方案何时定的？', 'answer', { cite: [hit('005.txt', 2)] });
    log.vote(a, 'u1', -1);
    log.reason(a, 'u1', 'wrong-passage');
    log.vote(b, 'u2', -1);
    log.reason(b, 'u2', 'wrong-passage');
    log.vote(c, 'u3', -1);
    log.reason(c, 'u3', 'outdated');
    const r = log.read((db) => gapsReport(db, { since: NOW - 30 * DAY, until: NOW }))!;
    expect(r.notFound.map((g) => [g.question, g.count])).toEqual([
      ['雄安新区有多少人口？', 3],
      ['天价彩礼怎么治理？', 1],
    ]);
    expect(r.disliked.map((g) => [g.count, g.variants, g.reasons])).toEqual([
      [2, ['北京有多少党员？', '北京市有多少党员'], { 'wrong-passage': 2 }],
      [1, ['巩留县方案何时定的？'], { outdated: 1 }],
    ]);
    expect(r.dislikedPassages).toEqual([
      { report: '002.txt', paragraph: 4, count: 2, reasons: { 'wrong-passage': 2 } },
      { report: '005.txt', paragraph: 2, count: 1, reasons: { outdated: 1 } },
    ]);
    expect(r.byVia).toEqual({ ask: 7 });
  });
});

describe('grouping questions', () => {
  it('sets aside punctuation, script, width, case and spaces', () => {
    expect(questionKey('廣東 開會是哪天？')).toBe(questionKey('广东开会是哪天?'));
    expect(questionKey('Ｗｈｏ is it?')).toBe(questionKey('who is it'));
    expect(groupQuestions(['a?', 'b', 'A', 'a'])).toEqual([
      { question: 'a?', count: 3, variants: ['a?', 'A', 'a'] },
      { question: 'b', count: 1, variants: ['b'] },
    ]);
  });

  it('keeps different questions apart', () => {
    const groups = groupSimilarQuestions(['北京有多少党员？', '上海有多少党员？', '北京有多少党组织？', '广东开会是哪天？']);
    expect(groups).toHaveLength(4);
    expect(groupSimilarQuestions(['how many party members in Beijing?', 'how many party members are in Beijing', 'how many party members in Shanghai?']).map((g) => g.count)).toEqual([2, 1]);
  });
});
