// Gateway sharding with discord.js's own machinery, against the fake Discord
// recommending 2 shards (guilds split by (guild_id >> 22) % 2, as on Discord):
// internal sharding in one process (one index for both shards), a subset of
// shards per process (DISCORD_SHARD_IDS / DISCORD_SHARD_COUNT), and
// `npm run start:sharded` (ShardingManager, one process per shard).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import type { RunningBot } from '../../src/bot/client.js';
import { createSearcher } from '../../src/retrieval/searcher.js';
import { DEFAULT_IDS, FakeDiscord, startFakeDiscord, type FakeGuildInit } from '../fake-discord/server.js';
import { jsonLines, killGroup, replyTo, spawnBot, startTestBot, type LogCapture } from '../reliability/support.js';
import { baseConfig, build, copyOfReports, load, sharedEmbedder, tempDir } from '../support/index-fixture.js';
import { spawnClean, TSX, type Spawned } from '../support/spawn.js';

const TOKEN = 'shard-test-token';
const BEIJING = '北京第二批主题教育涉及多少党员和党组织？';
const ANSWER = '涵盖党员139.5万人';

/** A guild id that Discord routes to `shard` of 2. */
const guildOnShard = (shard: number, n: bigint): string => String(((2n * n + BigInt(shard)) << 22n) | 7n);
const GUILD_0 = guildOnShard(0, 5000n);
const GUILD_1 = guildOnShard(1, 5000n);

function guild(id: string, name: string): FakeGuildInit {
  return { id, name, channels: [{ id: String(BigInt(id) + 1n), name: 'general', type: 0 }], members: [{ userId: DEFAULT_IDS.userId, roles: [] }] };
}

const ask = (fake: FakeDiscord, guildId: string): Promise<unknown> => {
  const id = fake.sendMessage({ guildId, content: BEIJING, mentionsBot: true });
  return fake.waitForBotOutput(replyTo(id), 20_000).then((o) => o.message.content as string);
};

let dataDir: string;
let indexDir: string;
const spawned: Spawned[] = [];

beforeAll(async () => {
  expect(FakeDiscord.shardOf(GUILD_0, 2)).toBe(0);
  expect(FakeDiscord.shardOf(GUILD_1, 2)).toBe(1);
  dataDir = await copyOfReports();
  indexDir = await tempDir('shard-index');
  await build(dataDir, indexDir);
}, 120_000);

afterAll(() => {
  for (const run of spawned) killGroup(run.child);
});

const startFake = () => startFakeDiscord({ token: TOKEN, shards: 2, guilds: [guild(GUILD_0, 'Shard zero'), guild(GUILD_1, 'Shard one')] });

describe('DISCORD_SHARDS=auto with /gateway/bot recommending 2: both shards in one process', () => {
  let fake: FakeDiscord;
  let bot: RunningBot;
  let logs: LogCapture;

  beforeAll(async () => {
    fake = await startFake();
    const config: Config = { ...loadConfig({ DISCORD_SHARDS: 'auto' }), ...{ indexDir, dataDir }, discord: { token: TOKEN, clientId: fake.ids.applicationId, guildId: null, apiUrl: fake.apiUrl } };
    const searcher = createSearcher(await load(indexDir), await sharedEmbedder(), { topK: 5, candidates: baseConfig.candidates });
    ({ bot, logs } = await startTestBot(fake, { ...config, bot: { ...config.bot, rateLimitQuestions: 1000 } }, { searcher }));
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('identifies twice, with shard [0, 2] and [1, 2], and each shard gets only its guilds', () => {
    const identifies = fake.gatewayLog.filter((e) => e.kind === 'identify').map((e) => (e.detail as { shard: number[] }).shard);
    expect(identifies.sort()).toEqual([[0, 2], [1, 2]]);
    expect(bot.client.ws.shards.size).toBe(2);
    expect(bot.client.guilds.cache.get(GUILD_0)?.shardId).toBe(0);
    expect(bot.client.guilds.cache.get(GUILD_1)?.shardId).toBe(1);
  });

  it('answers in guilds of both shards, from the one index; log lines name the shard', async () => {
    expect(await ask(fake, GUILD_0)).toContain(ANSWER);
    expect(await ask(fake, GUILD_1)).toContain(ANSWER);
    const answered = logs.records().filter((l) => typeof l.shard === 'number' && l.via === 'mention');
    expect(new Set(answered.map((l) => l.shard))).toEqual(new Set([0, 1]));
    // Process-wide lines name the shards this process runs.
    expect(logs.records().find((l) => l.msg === 'connected to Discord')).toMatchObject({ shards: [0, 1], shardCount: 2 });
  });

  it('resumes shard 1 after close code 4000 while shard 0 keeps answering', async () => {
    const identifies = fake.identifyCount;
    const resumed = fake.waitForGateway((e) => e.kind === 'resumed' && e.shard === 1, 15_000);
    expect(fake.closeGateway(4000, 'test: shard 1 only', 1)).toBe(true);
    // Shard 0 is untouched: its guild gets answers while shard 1 reconnects.
    expect(await ask(fake, GUILD_0)).toContain(ANSWER);
    await resumed;
    expect(await ask(fake, GUILD_1)).toContain(ANSWER);
    expect(fake.identifyCount).toBe(identifies);
    expect(fake.gatewayLog.some((e) => e.kind === 'resumed' && e.shard === 0)).toBe(false);
    expect(fake.shardSessions.map((s) => [s.shard, s.connected])).toEqual([[[0, 2], true], [[1, 2], true]]);
  });

  it('stop() closes every shard with 1000', async () => {
    const closes = Promise.all([0, 1].map((shard) => fake.waitForGateway((e) => e.kind === 'client-close' && e.code === 1000 && e.shard === shard)));
    await bot.stop({ graceMs: 2000 });
    await closes;
  });
});

describe('DISCORD_SHARD_IDS=1 DISCORD_SHARD_COUNT=2 (npm start): only shard 1 in this process', () => {
  it('identifies only shard 1, answers in its guild, never sees the other guild', async () => {
    const fake = await startFake();
    try {
      const run = spawnBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, INDEX_DIR: indexDir, DISCORD_SHARD_IDS: '1', DISCORD_SHARD_COUNT: '2' }, 90_000);
      spawned.push(run);
      await fake.waitForGateway((e) => e.kind === 'ready', 60_000);
      await expect.poll(() => run.output.stdout.includes('connected to Discord'), { timeout: 10_000 }).toBe(true);
      expect(fake.shardSessions.map((s) => s.shard)).toEqual([[1, 2]]);
      expect(await ask(fake, GUILD_1)).toContain(ANSWER);
      // Shard 0's guild has no session here: Discord would send it to the process running shard 0.
      fake.sendMessage({ guildId: GUILD_0, content: BEIJING, mentionsBot: true });
      expect(fake.gatewayLog.some((e) => e.kind === 'filtered' && String(e.detail).includes(GUILD_0))).toBe(true);
      run.child.kill('SIGTERM');
      const { code, stdout } = await run.done;
      expect(code).toBe(0);
      const lines = jsonLines(stdout);
      // Every line names the shard, from the first one on.
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) expect(line.shards).toEqual([1]);
      expect(fake.identifyCount).toBe(1);
    } finally {
      await fake.close();
    }
  }, 120_000);
});

describe('npm run start:sharded (ShardingManager: one process per shard)', () => {
  it('starts a process for each recommended shard; both answer; SIGTERM stops every shard cleanly', async () => {
    const fake = await startFake();
    try {
      const run = spawnClean(TSX, ['src/cli/bot-sharded.ts'], { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, INDEX_DIR: indexDir }, 150_000);
      spawned.push(run);
      await expect.poll(() => fake.shardSessions.length, { timeout: 120_000, interval: 500 }).toBe(2);
      expect(fake.shardSessions.map((s) => s.shard)).toEqual([[0, 2], [1, 2]]);
      const [a, b] = await Promise.all([ask(fake, GUILD_0), ask(fake, GUILD_1)]);
      expect(a).toContain(ANSWER);
      expect(b).toContain(ANSWER);
      const closes = Promise.all([0, 1].map((shard) => fake.waitForGateway((e) => e.kind === 'client-close' && e.code === 1000 && e.shard === shard, 30_000)));
      run.child.kill('SIGTERM');
      const { code, stdout } = await run.done;
      await closes;
      expect(code).toBe(0);
      const lines = jsonLines(stdout);
      expect(lines.some((l) => l.msg === 'every shard stopped')).toBe(true);
      // Each shard process logs its own shard id on its lines.
      expect(lines.filter((l) => l.msg === 'stopped').map((l) => l.shards).sort()).toEqual([[0], [1]]);
    } finally {
      await fake.close();
    }
  }, 180_000);
});
