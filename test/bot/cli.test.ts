// The bot's command-line entry points, run as a user would (npm scripts), with
// an explicit environment: DISCORD_* set to '' so a developer's .env cannot
// fill them in (dotenv never overrides a variable that is already set).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/server.js';
import { build, copyOfReports, tempDir } from '../support/index-fixture.js';
import { killGroup, spawnClean, TSX, type Spawned } from '../support/spawn.js';

const EXPECTED_COMMANDS = ['ask', 'region', 'regions', 'source', 'help', 'reindex', 'stats'];

/** `npm run <script>`, or for `tsx:<file>` the command the script runs, without npm in between. */
function start(script: string, env: Record<string, string>): Spawned {
  const [command, args] = script.startsWith('tsx:') ? [TSX, [script.slice(4)]] : ['npm', ['run', '--silent', script]];
  return spawnClean(command, args, env, 120_000);
}

const run = (script: string, env: Record<string, string>) => start(script, env).done;

describe('npm start', () => {
  it('without DISCORD_TOKEN exits 1 saying what to set and how to try it without Discord', async () => {
    const { code, stdout, stderr } = await run('start', {});
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_TOKEN is not set');
    expect(stderr).toContain('.env');
    expect(stderr).toContain('npm run ask -- "');
    expect(stdout).toBe('');
  });

  it('rejects invalid configuration with a clear message', async () => {
    const { code, stderr } = await run('start', { DISCORD_TOKEN: 'x', DISCORD_CLIENT_ID: 'not-a-number' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DISCORD_CLIENT_ID: must be the numeric application id/);
    expect(stderr).not.toContain('at ');
  });

  it('with a token: loads the index once, logs in, answers, and exits 0 on SIGTERM', async () => {
    const indexDir = await tempDir('start-index');
    await build(await copyOfReports(), indexDir);
    const fake = await startFakeDiscord({ token: 'start-token' });
    // npm does not pass a SIGTERM on to its script (a terminal's Ctrl-C reaches the whole process
    // group instead), so this runs what `npm start` runs: tsx, which relays signals to the bot.
    const statsDb = path.join(await tempDir('start-stats'), 'bot.sqlite');
    const bot = start('tsx:src/cli/bot.ts', { DISCORD_TOKEN: 'start-token', DISCORD_API_URL: fake.apiUrl, INDEX_DIR: indexDir, STATS_DB: statsDb });
    try {
      // Start-up (model, index, dictionaries) takes far longer on a busy shared machine than alone.
      await fake.waitForGateway((e) => e.kind === 'ready', 90_000);
      await expect.poll(() => bot.output.stdout, { timeout: 5000 }).toContain('connected to Discord');
      const id = fake.sendMessage({ content: '北京第二批主题教育涉及多少党员和党组织？', mentionsBot: true });
      const reply = await fake.waitForBotOutput((o) => o.message.message_reference?.message_id === id, 10_000);
      expect(reply.message.content).toContain('涵盖党员139.5万人');
      bot.child.kill('SIGTERM');
      const { code, stdout } = await bot.done;
      expect(code).toBe(0);
      const logs = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logs.find((l) => l.msg === 'model and index loaded')).toMatchObject({ modelMs: expect.any(Number), indexMs: expect.any(Number) });
      expect(logs.find((l) => l.msg === 'question answered')).toMatchObject({ ms: expect.any(Number), results: expect.any(Number) });
      expect(logs.some((l) => l.msg === 'shutting down')).toBe(true);
      expect(stdout).not.toContain('start-token');
      // The question was recorded, its row written on the way out.
      const db = new Database(statsDb, { readonly: true });
      expect(db.prepare('SELECT verdict, via FROM questions').all()).toEqual([{ verdict: 'answer', via: 'mention' }]);
      db.close();
    } finally {
      killGroup(bot.child);
      await fake.close();
    }
  }, 150_000);
});

describe('npm run deploy-commands against the fake Discord', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord({ token: 'deploy-token' });
  });
  afterAll(async () => {
    await fake.close();
  });
  const env = () => ({ DISCORD_TOKEN: 'deploy-token', DISCORD_CLIENT_ID: fake.ids.applicationId, DISCORD_API_URL: fake.apiUrl });

  it('registers every command in the guild when DISCORD_GUILD_ID is set', async () => {
    const { code, stdout, stderr } = await run('deploy-commands', { ...env(), DISCORD_GUILD_ID: fake.ids.guildId });
    expect(stderr.replace(/npm warn.*\n/g, '')).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Registered 7 commands in guild/);
    const put = await fake.waitForRequest((r) => r.method === 'PUT');
    expect(put.path).toBe(`/applications/${fake.ids.applicationId}/guilds/${fake.ids.guildId}/commands`);
    expect(put.status).toBe(200);
    expect(put.authorization).toBe('Bot deploy-token');
    expect(fake.guildCommands.get(fake.ids.guildId)!.map((c) => c.name)).toEqual(EXPECTED_COMMANDS);
    const body = put.body as Array<Record<string, any>>;
    const option = (command: string, name: string) => body.find((c) => c.name === command)!.options.find((o: { name: string }) => o.name === name);
    expect(option('ask', 'question')).toMatchObject({ type: 3, required: true });
    expect(option('region', 'name')).toMatchObject({ type: 3, required: true, autocomplete: true });
    expect(option('source', 'report')).toMatchObject({ type: 3, autocomplete: true });
    expect(option('source', 'paragraph')).toMatchObject({ type: 4, min_value: 1 });
    for (const c of body) expect(c.description.length).toBeLessThanOrEqual(100);
    // Operator commands: hidden from members without Manage Server (32), guild only (the bot also checks at run time).
    const operator = ['reindex', 'stats'];
    for (const name of operator) expect(body.find((c) => c.name === name)).toMatchObject({ default_member_permissions: '32', contexts: [0] });
    for (const c of body.filter((c) => !operator.includes(c.name))) expect(c.default_member_permissions ?? null).toBeNull();
  });

  it('registers globally without DISCORD_GUILD_ID', async () => {
    const { code, stdout } = await run('deploy-commands', env());
    expect(code).toBe(0);
    expect(stdout).toMatch(/globally/);
    expect(fake.globalCommands.map((c) => c.name)).toEqual(EXPECTED_COMMANDS);
  });

  it('explains a rejected token and missing settings', async () => {
    const rejected = await run('deploy-commands', { ...env(), DISCORD_TOKEN: 'wrong' });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/401[\s\S]*Check DISCORD_TOKEN/);
    const missing = await run('deploy-commands', { DISCORD_TOKEN: 'deploy-token' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/DISCORD_CLIENT_ID is not set/);
  });
});
