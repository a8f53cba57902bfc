// The question log end to end: the real bot (real index, model and handlers)
// against the fake Discord, recording into a real SQLite file.
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/bot/client.js';
import { deployCommands } from '../../src/bot/deploy.js';
import { QuestionLog } from '../../src/insight/question-log.js';
import { createLogger } from '../../src/log.js';
import { createSearcher } from '../../src/retrieval/searcher.js';
import { startFakeDiscord, DEFAULT_IDS, type BotOutput, type FakeDiscord } from '../fake-discord/server.js';
import { baseConfig, build, copyOfReports, load, sharedEmbedder, tempDir } from '../support/index-fixture.js';

const TOKEN = 'test-token-insight';
const BEIJING = '北京第二批主题教育涉及多少党员和党组织？';
const GUANGDONG = '广东第二批主题教育部署会议是哪天开的？';

let fake: FakeDiscord;
let bot: RunningBot;
let log: QuestionLog;
let dbFile: string;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const indexDir = await tempDir('insight-index');
  dbFile = path.join(await tempDir('insight-db'), 'bot.sqlite');
  const [, embedder] = await Promise.all([copyOfReports().then((data) => build(data, indexDir)), sharedEmbedder()]);
  const searcher = createSearcher(await load(indexDir), embedder, { topK: 5, candidates: baseConfig.candidates });
  fake = await startFakeDiscord({ token: TOKEN });
  const config: Config = {
    ...baseConfig,
    discord: { token: TOKEN, clientId: fake.ids.applicationId, guildId: fake.ids.guildId, apiUrl: fake.apiUrl },
    bot: { ...baseConfig.bot, rateLimitQuestions: 10_000 },
    stats: { db: dbFile, salt: null, retentionDays: 90 },
  };
  await deployCommands(config);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
      done();
    },
  });
  const logger = createLogger('info', { destination: sink, pretty: false });
  log = new QuestionLog({ file: dbFile, salt: null, retentionDays: 90, logger });
  bot = await startBot(config, { searcher, logger, questionLog: log }, { clientOptions: { rest: { api: fake.apiUrl, timeout: 5000, retries: 1 } } });
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  log?.close();
  await fake?.close();
});

const replyTo = (messageId: string) => (o: BotOutput) => o.via === 'channel-message' && o.message.message_reference?.message_id === messageId;
const forInteraction = (id: string, via?: BotOutput['via']) => (o: BotOutput) => o.interactionId === id && (via === undefined || o.via === via);
const componentsOf = (message: Record<string, unknown>): Array<{ custom_id: string; label?: string; type: number }> =>
  ((message.components as Array<{ components: Array<{ custom_id: string; label?: string; type: number }> }>) ?? []).flatMap((row) => row.components);
const feedbackIds = (message: Record<string, unknown>) => componentsOf(message).filter((c) => c.custom_id.startsWith('fb:'));
/** Reads the file as another process would (the bot's own rows flushed first). */
function query<T>(sql: string, ...params: unknown[]): T {
  log.flush();
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T;
  } finally {
    db.close();
  }
}
const questionIdOf = (message: Record<string, unknown>) => /^fb:([0-9a-z]{12}):up$/.exec(feedbackIds(message)[0]!.custom_id)![1]!;

describe('the question log through Discord', () => {
  it('records mentions, DMs, /ask and "More results" with verdict, citations, places and where they were asked', async () => {
    const mention = fake.sendMessage({ content: BEIJING, mentionsBot: true });
    const mentionOut = await fake.waitForBotOutput(replyTo(mention), 15_000);
    const dm = fake.sendMessage({ content: GUANGDONG, dm: true });
    const dmOut = await fake.waitForBotOutput(replyTo(dm), 15_000);
    const ask = fake.sendCommand({ name: 'ask', options: { question: BEIJING } });
    const askOut = await fake.waitForBotOutput(forInteraction(ask.id, 'interaction-edit'), 15_000);

    // Every answer, "not found" included, carries 👍/👎.
    for (const out of [mentionOut, dmOut, askOut]) expect(feedbackIds(out.message).map((b) => [b.custom_id.split(':')[2], b.label])).toEqual([['up', '👍'], ['down', '👎']]);

    const more = componentsOf(askOut.message).find((c) => c.custom_id.startsWith('ask:more:'))!;
    const click = fake.sendButton({ customId: more.custom_id, messageId: askOut.messageId! });
    const page2 = await fake.waitForBotOutput(forInteraction(click.id, 'interaction-edit'), 15_000);

    const rows = query<Array<Record<string, unknown>>>('SELECT * FROM questions ORDER BY asked_at');
    expect(rows.map((r) => [r.via, r.verdict, r.question])).toEqual([
      ['mention', 'answer', BEIJING],
      ['dm', 'none', GUANGDONG],
      ['ask', 'answer', BEIJING],
      ['button', 'answer', BEIJING],
    ]);
    expect(rows.map((r) => r.id)).toEqual([mentionOut, dmOut, askOut, page2].map((o) => questionIdOf(o.message)));
    expect(rows[0]).toMatchObject({ guild_id: DEFAULT_IDS.guildId, channel_id: DEFAULT_IDS.channelId, language: 'zh', cached: 0 });
    // A DM channel would identify its user: none is kept.
    expect(rows[1]).toMatchObject({ guild_id: null, channel_id: null });
    // The same question again comes from the answer cache.
    expect(rows[2]!.cached).toBe(1);
    for (const r of rows) expect(r.latency_ms).toBeGreaterThanOrEqual(0);

    const cited = query<Array<{ report: string; paragraph: number }>>('SELECT report, paragraph FROM citations WHERE question_id = ? ORDER BY rank', rows[0]!.id);
    expect(cited[0]).toEqual({ report: '002_d8a4dfaa46811922.txt', paragraph: 4 });
    expect(cited.length).toBeGreaterThanOrEqual(1);
    expect(cited.length).toBeLessThanOrEqual(5);
    expect(query('SELECT * FROM citations WHERE question_id = ?', rows[1]!.id)).toEqual([]);
    expect(query('SELECT place FROM question_places WHERE question_id = ?', rows[0]!.id)).toEqual([{ place: '北京' }]);
    expect(query('SELECT place FROM question_places WHERE question_id = ?', rows[1]!.id)).toEqual([{ place: '广东' }]);
  });

  it('keeps one vote per user: 👍 then 👎 leaves one 👎; the 👎 ack offers the reason select, privately', async () => {
    const id = fake.sendMessage({ content: '僵尸车', mentionsBot: true });
    const answer = await fake.waitForBotOutput(replyTo(id), 15_000);
    const qid = questionIdOf(answer.message);

    const up = fake.sendButton({ customId: `fb:${qid}:up`, messageId: answer.messageId! });
    const upAck = await fake.waitForBotOutput(forInteraction(up.id), 10_000);
    expect(upAck.ephemeral).toBe(true);
    expect(upAck.message.content).toMatch(/Thanks — noted/);
    expect(query('SELECT vote FROM feedback WHERE question_id = ?', qid)).toEqual([{ vote: 1 }]);

    const down = fake.sendButton({ customId: `fb:${qid}:down`, messageId: answer.messageId!, locale: 'zh-CN' });
    const downAck = await fake.waitForBotOutput(forInteraction(down.id), 10_000);
    expect(downAck.ephemeral).toBe(true);
    expect(downAck.message.content).toMatch(/谢谢，已记录/);
    const select = componentsOf(downAck.message).find((c) => c.type === 3)!;
    expect(select.custom_id).toBe(`fb:${qid}:why`);

    const why = fake.sendButton({ customId: select.custom_id, messageId: downAck.messageId!, componentType: 3, values: ['wrong-passage'], locale: 'zh-CN' });
    const whyAck = await fake.waitForBotOutput(forInteraction(why.id), 10_000);
    expect(whyAck.message.content).toMatch(/引错了段落/);
    expect(whyAck.message.components ?? []).toEqual([]);

    // Another user's vote is their own.
    const other = fake.sendButton({ customId: `fb:${qid}:up`, messageId: answer.messageId!, user: DEFAULT_IDS.modUserId });
    await fake.waitForBotOutput(forInteraction(other.id), 10_000);
    expect(query('SELECT vote, reason FROM feedback WHERE question_id = ? ORDER BY vote', qid)).toEqual([
      { vote: -1, reason: 'wrong-passage' },
      { vote: 1, reason: null },
    ]);
  });

  it('/stats: refused without Manage Server; for a manager, this server\'s figures, privately', async () => {
    const refused = fake.sendCommand({ name: 'stats', options: {} });
    const no = await fake.waitForBotOutput(forInteraction(refused.id), 10_000);
    expect(no.ephemeral).toBe(true);
    expect(no.message.content).toMatch(/Manage Server/);
    expect(no.message.embeds ?? []).toEqual([]);

    const asked = fake.sendCommand({ name: 'stats', options: { days: 7 }, user: DEFAULT_IDS.modUserId });
    const out = await fake.waitForBotOutput(forInteraction(asked.id), 10_000);
    expect(out.ephemeral).toBe(true);
    const embed = (out.message.embeds as Array<{ title: string; description: string; fields: Array<{ name: string; value: string }> }>)[0]!;
    expect(embed.title).toMatch(/last 7 days/);
    // This server: mention, /ask, its "More results" and 僵尸车 (the DM is not this server's).
    expect(embed.description).toMatch(/\*\*Questions\*\* 4\b/);
    expect(embed.description).toMatch(/\*\*Answered\*\* 100 %/);
    expect(embed.description).toMatch(/👍 1 · 👎 1/);
    expect(embed.description).toMatch(/median \d+ ms · p95 \d+ ms/);
    expect(embed.fields[0]!.value).toMatch(/^1\. 北京 \(3\)/);

    // In the manager's language: traditional characters for zh-TW, the figures unchanged.
    const tw = fake.sendCommand({ name: 'stats', options: {}, user: DEFAULT_IDS.modUserId, locale: 'zh-TW' });
    const twOut = await fake.waitForBotOutput(forInteraction(tw.id), 10_000);
    const twEmbed = (twOut.message.embeds as Array<{ title: string; description: string }>)[0]!;
    expect(twEmbed.title).toBe('最近 7 天的提問統計');
    expect(twEmbed.description).toMatch(/\*\*耗時\*\* 中位數 \d+ ms/);
  });

  it('100 questions at once: 100 answers, 100 rows', async () => {
    const before = query<Array<{ n: number }>>('SELECT count(*) AS n FROM questions')[0]!.n;
    const ids = Array.from({ length: 100 }, (_, i) => fake.sendMessage({ content: `${i % 2 ? BEIJING : '僵尸车怎么处理'} ${i}`, mentionsBot: true, author: { id: `13000000000000${String(i).padStart(5, '0')}`, username: `user${i}` } }));
    await Promise.all(ids.map((id) => fake.waitForBotOutput(replyTo(id), 60_000)));
    expect(query<Array<{ n: number }>>('SELECT count(*) AS n FROM questions')[0]!.n).toBe(before + 100);
    expect(query<Array<{ n: number }>>('SELECT count(DISTINCT user_hash) AS n FROM questions')[0]!.n).toBeGreaterThanOrEqual(100);
  }, 120_000);

  it('stores no raw user id anywhere in the database', () => {
    log.flush();
    const users = [DEFAULT_IDS.userId, DEFAULT_IDS.modUserId, '1300000000000000042'];
    const db = new Database(dbFile, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const table of tables) {
      const text = JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all());
      for (const u of users) expect(text, `${table} holds ${u}`).not.toContain(u);
    }
    db.close();
    for (const f of [dbFile, `${dbFile}-wal`]) {
      if (!existsSync(f)) continue;
      const bytes = readFileSync(f);
      for (const u of users) expect(bytes.includes(Buffer.from(u)), `${path.basename(f)} holds ${u}`).toBe(false);
    }
  });

  it('a database corrupted mid-run: one warning, every question still answered', async () => {
    const failing = () => logLines.filter((l) => l.event === 'stats-db-failing');
    expect(failing()).toEqual([]);
    log.flush();
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
      if (!existsSync(f)) continue;
      const size = statSync(f).size;
      const fd = openSync(f, 'r+');
      writeSync(fd, Buffer.alloc(size, 7), 0, size, 0);
      closeSync(fd);
    }
    for (let round = 0; round < 3; round++) {
      const ids = Array.from({ length: 5 }, (_, i) => fake.sendMessage({ content: `${BEIJING} ${round}-${i}`, mentionsBot: true }));
      const outs = await Promise.all(ids.map((id) => fake.waitForBotOutput(replyTo(id), 30_000)));
      for (const out of outs) expect(out.message.content).toContain('涵盖党员139.5万人');
      // Past the batching delay, so each round's rows try to reach the file.
      await new Promise((r) => setTimeout(r, 400));
    }
    const stats = fake.sendCommand({ name: 'stats', options: {}, user: DEFAULT_IDS.modUserId });
    const out = await fake.waitForBotOutput(forInteraction(stats.id), 10_000);
    expect(out.message.content).toMatch(/cannot be read/);
    expect(failing()).toHaveLength(1);
    expect(failing()[0]).toMatchObject({ code: 'SQLITE_NOTADB' });
  }, 120_000);
});
