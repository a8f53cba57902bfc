// /reindex and the data watcher, end to end: the real client against the fake
// Discord, real builds in a worker thread over a temp copy of the reports, the
// new index swapped in while questions keep being answered from the old one.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot/client.js';
import type { Config } from '../../src/config.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { LiveIndex } from '../../src/runtime/live-index.js';
import { searcherRebuilder } from '../../src/runtime/rebuild.js';
import { createSearcher, type Searcher } from '../../src/retrieval/searcher.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/server.js';
import { baseConfig, build, copyOfReports, load, sharedEmbedder, tempDir } from '../support/index-fixture.js';
import { botConfig, forInteraction, replyTo, shownText, startTestBot, type LogCapture } from './support.js';

const TOKEN = 'reindex-token';
const BEIJING = '北京第二批主题教育涉及多少党员和党组织？';
const NEW_REPORT = [
  '月球科研站建设情况通报',
  '据了解，月球科研站第一期工程共建设实验舱十二个，目前已经完成其中八个实验舱的主体结构。',
  '项目负责人表示，剩余四个实验舱计划在明年年底前全部完工，届时将开展长期驻留试验。',
].join('\n');
const NEW_QUESTION = '月球科研站第一期工程共建设多少个实验舱？';
const NEW_FACT = '实验舱十二个';
const WATCHED_REPORT = ['海底观测网建设情况通报', '据介绍，海底观测网首批共布设观测节点三十六个，覆盖近海重点海域。'].join('\n');
const WATCHED_QUESTION = '海底观测网首批布设了多少个观测节点？';
const WATCHED_FACT = '观测节点三十六个';

let fake: FakeDiscord;
let bot: RunningBot;
let logs: LogCapture;
let config: Config;
let embedder: Embedder;
let dataDir: string;
let indexDir: string;
/** While set, a finished rebuild waits here before it is swapped in, so "during the rebuild" does not depend on timing. */
let holdSwap: Promise<void> | null = null;

async function startWith(settings: Partial<Config['bot']>): Promise<void> {
  config = botConfig(fake, TOKEN, { rateLimitQuestions: 1000, ...settings }, { dataDir, indexDir });
  const searcher = createSearcher(await load(indexDir), embedder, { topK: 5, candidates: baseConfig.candidates });
  const rebuild = searcherRebuilder(config, embedder);
  const live = new LiveIndex(searcher, async () => {
    const built = await rebuild();
    await holdSwap;
    return built;
  });
  ({ bot, logs } = await startTestBot(fake, config, { searcher, live }));
}

beforeAll(async () => {
  dataDir = await copyOfReports();
  indexDir = await tempDir('reindex-index');
  [, embedder] = await Promise.all([build(dataDir, indexDir), sharedEmbedder()]);
  fake = await startFakeDiscord({ token: TOKEN });
  await startWith({});
});

afterAll(async () => {
  await bot?.stop({ graceMs: 1000 });
  await fake?.close();
});

async function ask(question: string): Promise<string> {
  const id = fake.sendMessage({ content: question, mentionsBot: true });
  // Generous: the machine may be busy with a build thread and other test files.
  return (await fake.waitForBotOutput(replyTo(id), 30_000)).message.content as string;
}

describe('/reindex permissions', () => {
  it.each([
    ['a member without Manage Server', { user: '1200000000000000020' }],
    ['a member whose permissions were overridden to none', { user: '1200000000000000021', permissions: 0n }],
    ['anyone in a DM', { user: '1200000000000000021', dm: true }],
  ])('refuses %s, ephemerally, and starts nothing', async (_who, who) => {
    const ref = fake.sendCommand({ name: 'reindex', ...who });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    expect(out.ephemeral).toBe(true);
    expect(out.message.content).toMatch(/Only members with the Manage Server permission/);
    expect(bot.context.live.rebuilding).toBe(false);
    expect(logs.records().some((l) => l.msg === 'rebuilding the index in the background')).toBe(false);
  });
});

describe('/reindex', () => {
  it('rebuilds in the background, answers from the old index meanwhile, swaps atomically and reports to the operator', async () => {
    const old: Searcher = bot.context.live.current;
    let release!: () => void;
    holdSwap = new Promise((resolve) => (release = resolve));
    expect(await ask(NEW_QUESTION)).not.toContain(NEW_FACT);
    await writeFile(path.join(dataDir, '900_月球科研站.txt'), NEW_REPORT);
    await writeFile(path.join(dataDir, 'empty.txt'), '');

    const ref = fake.sendCommand({ name: 'reindex', user: fake.ids.modUserId });
    const started = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    expect(started.ephemeral).toBe(true);
    expect(started.message.content).toMatch(/Rebuilding the index in the background/);
    const state = fake.interactions.get(ref.id)!;
    expect(state.ackedAt! - state.createdAt).toBeLessThan(3000);

    const second = fake.sendCommand({ name: 'reindex', user: fake.ids.modUserId });
    const busy = await fake.waitForBotOutput(forInteraction(second.id, 'interaction-callback'));
    expect(busy.ephemeral).toBe(true);
    expect(busy.message.content).toMatch(/already running/);

    // During the rebuild: still answering, from the old index.
    const during = await ask(NEW_QUESTION);
    expect(bot.context.live.rebuilding).toBe(true);
    expect(bot.context.live.current).toBe(old);
    expect(during).not.toContain(NEW_FACT);
    expect(await ask(BEIJING)).toContain('涵盖党员139.5万人');
    release();
    holdSwap = null;

    const report = await fake.waitForBotOutput(forInteraction(ref.id, 'followup'), 90_000);
    expect(report.ephemeral).toBe(true);
    const text = report.message.content as string;
    expect(text).toMatch(/^\*\*Index rebuilt\*\*/);
    expect(text).not.toMatch(/\p{Script=Han}/u);
    expect(text).toMatch(/6 reports · \d+ paragraphs/);
    expect(text).toMatch(/Skipped 1 file\(s\):\n• empty\.txt: /);
    expect(bot.context.live.current).not.toBe(old);
    expect(bot.context.store.reports.map((r) => r.file)).toContain('900_月球科研站.txt');

    const after = await ask(NEW_QUESTION);
    expect(after).toContain(NEW_FACT);
    // The Sources line names the report by a short form of its title (shorter still when the quote is short).
    expect(after).toMatch(/^-# \[1\] 《月球科研[^》]*》 第1(、\d+)*段$/m);
    // Region counts of the new index were computed at the swap, not in a user's 3-second window.
    expect(logs.records().find((l) => l.msg === 'index rebuilt and swapped in')).toMatchObject({ trigger: 'command', counts: { reports: 6 } });
  }, 150_000);

  it('a failed rebuild is reported and the previous index keeps answering', async () => {
    await bot.context.live.idle();
    const before = bot.context.live.current;
    const aside = `${dataDir}-aside`;
    await rename(dataDir, aside);
    try {
      const ref = fake.sendCommand({ name: 'reindex', user: fake.ids.ownerId });
      const report = await fake.waitForBotOutput(forInteraction(ref.id, 'followup'), 90_000);
      expect(report.message.content).toMatch(/Reindex failed[\s\S]*Still answering from the previous index[\s\S]*Cannot read the data folder/);
    } finally {
      await rename(aside, dataDir);
    }
    expect(bot.context.live.current).toBe(before);
    expect(await ask(NEW_QUESTION)).toContain(NEW_FACT);
  }, 120_000);
});

describe('WATCH_DATA=on', () => {
  it('a change in the data folder triggers the same background rebuild and swap', async () => {
    await bot.context.live.idle();
    await bot.stop({ graceMs: 1000 });
    // A sub-folder that exists when watching starts: the watch is recursive.
    await mkdir(path.join(dataDir, '海洋'));
    await startWith({ watchData: true });
    const old = bot.context.live.current;
    expect(await ask(WATCHED_QUESTION)).not.toContain(WATCHED_FACT);
    await writeFile(path.join(dataDir, '海洋', '观测网.txt'), WATCHED_REPORT);
    await expect.poll(() => bot.context.live.current !== old, { timeout: 90_000, interval: 200 }).toBe(true);
    expect(await ask(WATCHED_QUESTION)).toContain(WATCHED_FACT);
    expect(logs.records().find((l) => l.msg === 'index rebuilt and swapped in')).toMatchObject({ trigger: 'watch' });
  }, 150_000);
});
