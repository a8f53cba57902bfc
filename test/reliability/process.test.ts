// The bot as a process (`tsx src/cli/bot.ts`, what `npm start` runs) against
// the fake Discord: refusing to start on a bad index (or rebuilding it with
// AUTO_REINDEX=on), a rejected token that is never printed, surviving an
// exception thrown inside discord.js, and a clean SIGTERM that lets the reply
// in flight finish and closes the gateway with 1000.
import { cp, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake, startFakeDiscord, type FakeDiscord } from '../fake-discord/server.js';
import { build, copyOfReports, tempDir } from '../support/index-fixture.js';
import { jsonLines, killGroup, spawnBot, type Spawned } from './support.js';

const TOKEN = 'SECRET-TOKEN-abc123';
const BEIJING = '北京第二批主题教育涉及多少党员和党组织？';

let fake: FakeDiscord;
let goodIndex: string;
let dataDir: string;
const spawned: Spawned[] = [];

/** A copy of the good index, damaged by `damage`. */
async function damagedIndex(damage: (dir: string, generation: string) => Promise<void>): Promise<string> {
  const dir = await tempDir('damaged-index');
  await cp(goodIndex, dir, { recursive: true });
  const generation = (await readdir(dir)).find((f) => f.startsWith('gen-'))!;
  await damage(dir, generation);
  return dir;
}

function start(env: Record<string, string>): Spawned {
  const run = spawnBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, ...env });
  spawned.push(run);
  return run;
}

beforeAll(async () => {
  dataDir = await copyOfReports();
  goodIndex = await tempDir('process-index');
  await build(dataDir, goodIndex);
  fake = await startFakeDiscord({ token: TOKEN });
});

afterAll(async () => {
  for (const run of spawned) killGroup(run.child);
  await fake?.close();
});

describe('start-up with an unusable index (default: refuse)', () => {
  // (A missing index is not unusable: the first run builds it — see test/faults.test.ts.)
  it('truncated file, mismatched model hash: exit 1 saying to run npm run index; never connects', async () => {
    const truncated = await damagedIndex(async (dir, gen) => {
      const file = path.join(dir, gen, 'graph.bin');
      await truncate(file, Math.floor((await stat(file)).size / 2));
    });
    const mismatched = await damagedIndex(async (dir) => {
      const file = path.join(dir, 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as { modelHash: string };
      manifest.modelHash = 'f'.repeat(64);
      await writeFile(file, JSON.stringify(manifest));
    });
    const identifies = fake.identifyCount;
    const [a, b] = await Promise.all([truncated, mismatched].map((INDEX_DIR) => start({ INDEX_DIR }).done));
    for (const run of [a!, b!]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('npm run index');
      expect(run.stderr).toContain('AUTO_REINDEX=on');
      expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    }
    expect(a!.stderr).toMatch(/damaged \(graph\.bin has \d+ bytes, expected \d+ \(truncated\?\)\)/);
    expect(b!.stderr).toMatch(/different embedding model/);
    expect(fake.identifyCount).toBe(identifies);
  }, 60_000);
});

describe('a token Discord rejects', () => {
  it('exits 1 with a clear message; the token appears nowhere in the output', async () => {
    const other = await startFakeDiscord({ token: 'the-right-token' });
    try {
      const run = spawnBot({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: other.apiUrl, DATA_DIR: dataDir, INDEX_DIR: goodIndex });
      spawned.push(run);
      const { code, stdout, stderr } = await run.done;
      expect(code).toBe(1);
      expect(stderr).toMatch(/Discord rejected DISCORD_TOKEN/);
      expect(`${stdout}${stderr}`).not.toContain(TOKEN);
      // The configuration is logged, with the token redacted.
      expect(jsonLines(stdout).find((l) => l.msg === 'configuration')).toMatchObject({ config: { discord: { token: '[redacted]' } } });
    } finally {
      await other.close();
    }
  }, 60_000);
});

describe('a running bot (started with AUTO_REINDEX=on over a damaged index)', () => {
  let bot: Spawned;
  let indexDir: string;

  beforeAll(async () => {
    indexDir = await damagedIndex(async (dir, gen) => {
      await truncate(path.join(dir, gen, 'store.bin'), 100);
    });
    bot = start({ INDEX_DIR: indexDir, AUTO_REINDEX: 'on', SHUTDOWN_GRACE_SECONDS: '10' });
    await fake.waitForGateway((e) => e.kind === 'ready', 90_000);
    for (let i = 0; i < 100 && !bot.output.stdout.includes('connected to Discord'); i++) await new Promise((r) => setTimeout(r, 100));
  }, 120_000);

  it('rebuilt the damaged index instead of refusing, and answers', async () => {
    const logs = jsonLines(bot.output.stdout);
    expect(logs.find((l) => l.msg === 'index unusable; AUTO_REINDEX=on: building it now')?.reason).toMatch(/damaged/);
    expect(logs.find((l) => l.msg === 'index built')).toMatchObject({ counts: { reports: 5 } });
    const id = fake.sendMessage({ content: BEIJING, mentionsBot: true });
    const reply = await fake.waitForBotOutput((o) => o.message.message_reference?.message_id === id, 30_000);
    expect(reply.message.content).toContain('涵盖党员139.5万人');
  });

  it('an exception thrown inside discord.js (malformed gateway event) is logged; the bot keeps answering', async () => {
    // Discord always sends entitlements; without them discord.js throws while building the interaction.
    fake.dispatch('INTERACTION_CREATE', { id: snowflake(), application_id: fake.ids.applicationId, type: 2, token: 'x', version: 1, channel_id: fake.ids.channelId, data: { id: snowflake(), name: 'ask', type: 1 } });
    await expect.poll(() => jsonLines(bot.output.stdout).some((l) => l.msg === 'uncaught exception' || l.msg === 'unhandled promise rejection'), { timeout: 5000 }).toBe(true);
    expect(bot.child.exitCode).toBeNull();
    const id = fake.sendMessage({ content: BEIJING, mentionsBot: true });
    const reply = await fake.waitForBotOutput((o) => o.message.message_reference?.message_id === id, 30_000);
    expect(reply.message.content).toContain('涵盖党员139.5万人');
  });

  it('SIGTERM: no new questions, the reply in flight is delivered, the gateway closes with 1000, exit 0', async () => {
    // The reply is held back 2 s by a rate limit, so it is still in flight when SIGTERM arrives.
    fake.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 429, retryAfter: 2 });
    const inFlight = fake.sendMessage({ content: BEIJING, mentionsBot: true, author: { id: '1300000000000000777', username: 'late' } });
    await fake.waitForRequest((r) => r.status === 429, 30_000);
    const signalledAt = Date.now();
    bot.child.kill('SIGTERM');
    await expect.poll(() => bot.output.stdout, { timeout: 5000 }).toContain('shutting down');
    const late = fake.sendMessage({ content: BEIJING, mentionsBot: true, author: { id: '1300000000000000778', username: 'later' } });

    const { code, stdout, stderr } = await bot.done;
    expect(code).toBe(0);
    const reply = fake.botOutputs.find((o) => o.message.message_reference?.message_id === inFlight)!;
    expect(reply.message.content).toContain('涵盖党员139.5万人');
    expect(reply.request.at).toBeGreaterThan(signalledAt);
    const refused = fake.botOutputs.find((o) => o.message.message_reference?.message_id === late);
    // A mention follows its question's language: a Chinese question is told in Chinese.
    expect(refused?.message.content).toMatch(/正在重启/);
    expect(fake.gatewayLog.filter((e) => e.kind === 'client-close' && e.at >= signalledAt).map((e) => e.code)).toEqual([1000]);
    const logs = jsonLines(stdout);
    expect(logs.find((l) => l.msg === 'in-flight replies finished')).toBeDefined();
    expect(logs.at(-1)?.msg).toBe('stopped');
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
  }, 60_000);
});
