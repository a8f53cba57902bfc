// End to end: the real discord.js client with the bot's real handlers, a real
// index of the real reports and the real model, against the local fake Discord.
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Events } from 'discord.js';
import type { Config } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/bot/client.js';
import { deployCommands } from '../../src/bot/deploy.js';
import { createLogger } from '../../src/log.js';
import { resolveRegion } from '../../src/places/lookup.js';
import { createSearcher, type Searcher } from '../../src/retrieval/searcher.js';
import { startFakeDiscord, type BotOutput, type FakeDiscord, type RecordedRequest } from '../fake-discord/server.js';
import { baseConfig, build, copyOfReports, load, sharedEmbedder, tempDir } from '../support/index-fixture.js';

const TOKEN = 'test-token-do-not-log';
const BEIJING = '北京第二批主题教育涉及多少党员和党组织？';
const GUANGDONG = '广东第二批主题教育部署会议是哪天开的？';

let fake: FakeDiscord;
let searcher: Searcher;
let bot: RunningBot;
let config: Config;
const logLines: string[] = [];
/** Requests we made fail on purpose; excluded from the "no 4xx" check. */
const injectedFailures = new Set<number>();
/** Every request of the run, kept across clearRecords() for the final checks. */
const allRequests: RecordedRequest[] = [];

beforeAll(async () => {
  const indexDir = await tempDir('bot-index');
  const [, embedder] = await Promise.all([copyOfReports().then((data) => build(data, indexDir)), sharedEmbedder()]);
  searcher = createSearcher(await load(indexDir), embedder, { topK: 5, candidates: baseConfig.candidates });
  fake = await startFakeDiscord({ token: TOKEN });
  config = {
    ...baseConfig,
    discord: { token: TOKEN, clientId: fake.ids.applicationId, guildId: fake.ids.guildId, apiUrl: fake.apiUrl },
    // One user asks everything here: the per-user rate limit is tested in test/reliability.
    bot: { ...baseConfig.bot, rateLimitQuestions: 10_000 },
  };
  // Registered first, so the fake knows the option types (paragraph is an integer).
  await deployCommands(config);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('debug', { destination: sink, pretty: false });
  bot = await startBot(config, { searcher, logger }, { clientOptions: { rest: { api: fake.apiUrl, timeout: 5000, retries: 1 } } });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

beforeEach(() => {
  allRequests.push(...fake.requests.filter((r) => !allRequests.includes(r)));
  fake.clearRecords();
});

const replyTo = (messageId: string) => (o: BotOutput) => o.via === 'channel-message' && o.message.message_reference?.message_id === messageId;
const forInteraction = (id: string, via?: BotOutput['via']) => (o: BotOutput) => o.interactionId === id && (via === undefined || o.via === via);
const buttonsOf = (message: Record<string, unknown>): Array<{ custom_id: string; label: string }> =>
  ((message.components as Array<{ components: Array<{ type: number; custom_id: string; label: string }> }>) ?? []).flatMap((row) => row.components).filter((c) => c.type === 2);
const menusOf = (message: Record<string, unknown>): Array<{ custom_id: string; placeholder: string; options: Array<{ label: string; value: string }> }> =>
  ((message.components as Array<{ components: Array<{ type: number; custom_id: string; placeholder: string; options: Array<{ label: string; value: string }> }> }>) ?? [])
    .flatMap((row) => row.components)
    .filter((c) => c.type === 3);
const embedText = (message: Record<string, unknown>): string =>
  ((message.embeds as Array<Record<string, unknown>>) ?? [])
    .map((e) => [e.title, e.description, ...((e.fields as Array<{ name: string; value: string }>) ?? []).flatMap((f) => [f.name, f.value]), (e.footer as { text?: string })?.text].join('\n'))
    .join('\n');

describe('questions in channels and DMs', () => {
  it('answers a mention with a reply: the answer first as a block quote, then one Sources block', async () => {
    const id = fake.sendMessage({ content: BEIJING, mentionsBot: true });
    const out = await fake.waitForBotOutput(replyTo(id), 10_000);
    const content = out.message.content as string;
    expect(content).toMatch(/^> [^\n]*涵盖党员139\.5万人[^\n]* \*\*\[1\]\*\*$/m);
    // The whole quote is never bold.
    expect(content).not.toMatch(/^> \*\*[^\n]*\*\* \*\*\[1\]\*\*$/m);
    expect(content).toMatch(/^-# \[1\] 《北京、山西、内蒙古…》 第4段/m);
    expect(content).not.toMatch(/\.txt/);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(out.request.body).toMatchObject({ allowed_mentions: { parse: [] }, message_reference: { message_id: id } });
    // Typing was shown while working.
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/channels/${fake.ids.channelId}/typing`)).toBe(true);
    // The quote is the whole paragraph: no control to show it again.
    expect(buttonsOf(out.message).map((b) => b.custom_id).filter((c) => c.startsWith('ask:passage'))).toEqual([]);
    const log = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'question' && l.via === 'mention');
    expect(log).toMatchObject({ answerable: true, results: expect.any(Number), ms: expect.any(Number) });
    // Logs carry a pseudonym, never the raw user id.
    expect(log!.user).toMatch(/^[0-9a-f]{12}$/);
    expect(logLines.join('\n')).not.toContain(fake.ids.userId);
  });

  it('answers a DM', async () => {
    const id = fake.sendMessage({ content: BEIJING, dm: true });
    const out = await fake.waitForBotOutput(replyTo(id), 10_000);
    expect(out.channelId).toBe(fake.dmChannelFor(fake.ids.userId).id);
    expect(out.message.content).toContain('涵盖党员139.5万人');
    expect(out.request.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it("takes a mention of the bot's managed role as a mention", async () => {
    const id = fake.sendMessage({ content: `<@&${fake.ids.botRoleId}> 僵尸车` });
    const out = await fake.waitForBotOutput(replyTo(id), 10_000);
    expect(out.message.content).toMatch(/^-# \[1\] .* 第6段/m);
  });

  it('answers /ask in a DM', async () => {
    const ref = fake.sendCommand({ name: 'ask', options: { question: BEIJING }, dm: true });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-edit'), 10_000);
    expect(embedText(out.message)).toContain('涵盖党员139.5万人');
  });

  it('ignores guild messages that do not mention it', async () => {
    const ignored = fake.sendMessage({ content: BEIJING });
    const asked = fake.sendMessage({ content: '僵尸车', mentionsBot: true });
    await fake.waitForBotOutput(replyTo(asked), 10_000);
    expect(fake.botOutputs.filter(replyTo(ignored))).toEqual([]);
  });

  it('says "not found" plainly, quoting nothing', async () => {
    const id = fake.sendMessage({ content: GUANGDONG, mentionsBot: true });
    const out = await fake.waitForBotOutput(replyTo(id), 10_000);
    const content = out.message.content as string;
    expect(content).toMatch(/未找到|Not found/);
    expect(content).toContain('广东');
    expect(content).toContain('/region');
    expect(content).not.toMatch(/第\d+段/);
    expect(content).not.toContain('“');
    expect(out.message.embeds).toEqual([]);
    expect(out.message.components ?? []).toEqual([]);
  });

  it('answers a bare mention with how to ask', async () => {
    const id = fake.sendMessage({ content: '', mentionsBot: true });
    const out = await fake.waitForBotOutput(replyTo(id), 10_000);
    expect(out.message.content).toContain('/ask');
  });
});

describe('/ask and its buttons', () => {
  it('defers, then edits in an embed: question as title, answer quoted first, sources once', async () => {
    const ref = fake.sendCommand({ name: 'ask', options: { question: BEIJING }, locale: 'zh-CN' });
    const ack = await fake.waitForRequest((r) => r.path === `/interactions/${ref.id}/${ref.token}/callback`);
    expect(ack.body).toMatchObject({ type: 5 });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-edit'), 10_000);
    const embed = (out.message.embeds as Array<{ title: string; description: string }>)[0]!;
    expect(embed.title).toBe(`问：${BEIJING}`);
    expect(embed.description).toMatch(/^> [^\n]*涵盖党员139\.5万人/);
    expect(embed.description).toMatch(/^-# \*\*来源\*\*\n-# \[1\] 《北京、山西、内蒙古…》 第4段/m);
    expect(embed.description).not.toMatch(/\.txt|Sources|Page/);
    expect(out.request.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const more = buttonsOf(out.message).find((b) => b.custom_id.startsWith('ask:more:'))!;
    expect(more.label).toMatch(/^更多结果 \(\d+\)$/);
    for (const b of buttonsOf(out.message)) expect(b.custom_id.length).toBeLessThanOrEqual(100);
  });

  it('"More results" pressed by another user: a private reply to them, the original unchanged', async () => {
    const ref = fake.sendCommand({ name: 'ask', options: { question: BEIJING }, locale: 'zh-CN' });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-edit'), 10_000);
    const before = structuredClone(fake.messages.get(out.messageId!));
    const more = buttonsOf(out.message).find((b) => b.custom_id.startsWith('ask:more:'))!;
    const bob = { id: '990000000000000001', username: 'bob' };
    const click = fake.sendButton({ customId: more.custom_id, messageId: out.messageId!, user: bob, locale: 'en-US' });
    const ack = await fake.waitForRequest((r) => r.path === `/interactions/${click.id}/${click.token}/callback`);
    expect(ack.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const page = await fake.waitForBotOutput(forInteraction(click.id, 'interaction-edit'), 10_000);
    expect(page.ephemeral).toBe(true);
    expect(page.messageId).not.toBe(out.messageId);
    const pageEmbed = (page.message.embeds as Array<{ title: string; description: string }>)[0]!;
    // In bob's language, continuing after what the answer showed.
    expect(pageEmbed.title).toMatch(/^More results \(\d+–\d+\)$/);
    expect(pageEmbed.description).toMatch(/^-# \*\*Sources\*\*$/m);
    expect(fake.messages.get(out.messageId!)).toEqual(before);
    expect(fake.botOutputs.filter((o) => o.messageId === out.messageId && o.interactionId === click.id)).toEqual([]);

    // Pressed again on bob's private page: that page moves on, privately.
    const next = buttonsOf(page.message).find((b) => b.custom_id.startsWith('ask:more:'));
    if (next) {
      const again = fake.sendButton({ customId: next.custom_id, messageId: page.messageId!, user: bob, locale: 'en-US' });
      const moved = await fake.waitForBotOutput(forInteraction(again.id, 'interaction-edit'), 10_000);
      expect(moved.messageId).toBe(page.messageId);
      expect(moved.ephemeral).toBe(true);
    }
    expect(fake.messages.get(out.messageId!)).toEqual(before);
  });

  it('the passage menu shows a chosen paragraph in full, privately', async () => {
    const ref = fake.sendCommand({ name: 'region', options: { name: '河北' }, locale: 'zh-CN' });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const menu = menusOf(out.message)[0]!;
    expect(menu.placeholder).toBe('选择段落，查看全文');
    const option = menu.options[0]!;
    expect(option.label).toMatch(/^\[1\] 第\d+段 · 全文$/);
    const pick = fake.sendButton({ customId: menu.custom_id, messageId: out.messageId!, componentType: 3, values: [option.value], locale: 'zh-CN' });
    const full = await fake.waitForBotOutput(forInteraction(pick.id, 'interaction-callback'), 10_000);
    expect(full.ephemeral).toBe(true);
    const [report, paragraph] = option.value.split('-').map(Number);
    const text = bot.context.paragraph(bot.context.report(report!)!.file, paragraph!)!.text;
    expect(embedText(full.message)).toContain(text.slice(0, 200));

    // The same menu under an answer with a cut quote.
    const ask = fake.sendCommand({ name: 'ask', options: { question: '雄安新区第三批征迁安置涉及多少个村？' }, locale: 'zh-CN' });
    const answer = await fake.waitForBotOutput(forInteraction(ask.id, 'interaction-edit'), 10_000);
    const answerMenu = menusOf(answer.message)[0];
    if (answerMenu) {
      const choose = fake.sendButton({ customId: answerMenu.custom_id, messageId: answer.messageId!, componentType: 3, values: [answerMenu.options[0]!.value], locale: 'zh-CN' });
      const shown = await fake.waitForBotOutput(forInteraction(choose.id, 'interaction-callback'), 10_000);
      expect(shown.ephemeral).toBe(true);
    }
  });

  it('replies in the language of the interaction locale', async () => {
    const labels = { 'zh-CN': ['问：', '来源', '更多结果'], 'zh-TW': ['問：', '來源', '更多結果'], 'en-US': ['Q: ', 'Sources', 'More results'] } as const;
    for (const [locale, [q, sources, more]] of Object.entries(labels)) {
      const ref = fake.sendCommand({ name: 'ask', options: { question: BEIJING }, locale });
      const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-edit'), 10_000);
      const embed = (out.message.embeds as Array<{ title: string; description: string }>)[0]!;
      expect(embed.title.startsWith(q)).toBe(true);
      expect(embed.description).toContain(`**${sources}**`);
      expect(buttonsOf(out.message).some((b) => b.label?.startsWith(more))).toBe(true);
      const help = fake.sendCommand({ name: 'help', locale });
      const helpText = embedText((await fake.waitForBotOutput(forInteraction(help.id, 'interaction-callback'))).message);
      if (locale === 'en-US') expect(helpText).not.toMatch(/使用说明|来源/);
      else expect(helpText).not.toMatch(/How to use|reports/);
    }
  });

  it('answers unknown, expired and forged controls with a short private message', async () => {
    const forged: Array<{ customId: string; componentType?: number; values?: string[] }> = [
      { customId: 'ask:more:zzzzzzzzzz:1' },
      { customId: 'page:zzzzzzzzzz:1' },
      { customId: 'ask:passage', componentType: 3, values: ['99-1'] },
      { customId: 'ask:passage', componentType: 3, values: ['2-999'] },
      { customId: 'source:go:2:999' },
      { customId: 'ask:constructor' },
      { customId: 'bogus' },
    ];
    for (const f of forged) {
      const ref = fake.sendButton(f);
      const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
      expect(out.ephemeral).toBe(true);
      expect(out.message.content).toMatch(/expired|no longer valid/);
    }
  });

  it('/ask with a question the reports do not answer: plain "not found"', async () => {
    const ref = fake.sendCommand({ name: 'ask', options: { question: GUANGDONG } });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-edit'), 10_000);
    expect(out.message.content).toMatch(/Not found/);
    expect(out.message.embeds).toEqual([]);
  });

  it('reports a failure as a short ephemeral message and logs the details', async () => {
    fake.failNext({ method: 'PATCH', pathPattern: /^\/webhooks\/.*\/messages\/@original$/, status: 403, code: 50013, message: 'Missing Permissions' });
    const ref = fake.sendCommand({ name: 'ask', options: { question: BEIJING } });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'followup'), 10_000);
    injectedFailures.add(fake.requests.find((r) => r.status === 403)!.seq);
    expect(out.ephemeral).toBe(true);
    expect(out.message.content).toMatch(/Something went wrong/);
    expect(logLines.some((l) => l.includes('"command failed"') && l.includes('Missing Permissions'))).toBe(true);
  });
});

describe('/region, /regions, /source, /help', () => {
  it('/region 河北: a one-line overview first, then extracts that stand alone, sources once', async () => {
    const ref = fake.sendCommand({ name: 'region', options: { name: '河北' }, locale: 'zh-CN' });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const embed = (out.message.embeds as Array<{ title: string; description: string; fields?: unknown[] }>)[0]!;
    expect(embed.title).toBe('河北');
    expect(embed.fields ?? []).toEqual([]);
    const [overview] = embed.description.split('\n');
    expect(overview).toMatch(/^\*\*\d+ 份报告 · \d+ 段\*\* · 提到 .*石家庄/);
    expect(overview).toContain('雄安新区');
    const extracts = embed.description.match(/^> .*$/gm) ?? [];
    expect(extracts.length).toBeGreaterThanOrEqual(3);
    expect(extracts.length).toBeLessThanOrEqual(6);
    // No extract opens with a bare "新区/该市/我县…" that names nothing.
    for (const e of extracts) expect(e).not.toMatch(/^> (…)?(新区|该市|该县|我县|我市|全省)/);
    // Cut extracts say so; no extract ends on "；" without "…".
    for (const e of extracts) expect(e).not.toMatch(/；\s*\*\*\[\d\]\*\*$/);
    expect(embed.description).toMatch(/^-# \*\*来源\*\*$/m);
    expect(embed.description).not.toMatch(/\.txt/);
    // The menu's numbers are the extracts' tags.
    const tags = [...new Set(extracts.map((e) => /\*\*\[(\d)\]\*\*$/.exec(e)![1]))];
    for (const o of menusOf(out.message)[0]!.options) expect(tags).toContain(/^\[(\d)\]/.exec(o.label)![1]);
    expect(out.request.body).toMatchObject({ data: { allowed_mentions: { parse: [] } } });
  });

  it.each([
    ['Hebei', '河北', '河北'],
    ['石家庄', '石家庄', '河北'],
    ['Inner Mongolia', '内蒙古', '内蒙古'],
  ])('/region %s → %s', async (name, region, province) => {
    const ref = fake.sendCommand({ name: 'region', options: { name } });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const text = embedText(out.message) + (out.message.content as string);
    expect(text).toContain(region);
    expect(text).toContain(province);
  });

  it('/region with an unknown name: ephemeral suggestions', async () => {
    const ref = fake.sendCommand({ name: 'region', options: { name: 'Hebie' } });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    expect(out.ephemeral).toBe(true);
    expect(out.message.content).toMatch(/Unknown region/);
    expect(out.message.content).toContain('河北');
  });

  it('autocompletes regions from pinyin and English with paragraph counts', async () => {
    const ref = fake.sendAutocomplete({ name: 'region', options: { name: 'he' }, focused: 'name' });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'autocomplete'));
    const choices = out.message.choices as Array<{ name: string; value: string }>;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.find((c) => c.value === '河北')?.name).toMatch(/^河北 · Hebei — \d+ ¶$/);
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);

    const empty = fake.sendAutocomplete({ name: 'region', options: { name: '' }, focused: 'name' });
    const covered = await fake.waitForBotOutput(forInteraction(empty.id, 'autocomplete'));
    expect((covered.message.choices as Array<{ value: string }>).map((c) => c.value)).toContain('河北');

    // Regions the reports cover come first, with their counts; the others after, without.
    const he = fake.sendAutocomplete({ name: 'region', options: { name: '河' }, focused: 'name', locale: 'zh-CN' });
    const list = (await fake.waitForBotOutput(forInteraction(he.id, 'autocomplete'))).message.choices as Array<{ name: string; value: string }>;
    expect(list.length).toBeLessThanOrEqual(25);
    const counted = list.map((c) => / — \d+ 段$/.test(c.name));
    expect(counted.indexOf(false) === -1 || !counted.slice(counted.indexOf(false)).includes(true)).toBe(true);
    expect(counted.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    const coveredHe = list.filter((c) => bot.context.paragraphCount(resolveRegion(c.value)!) > 0).map((c) => c.value);
    expect(list.slice(0, coveredHe.length).map((c) => c.value)).toEqual(coveredHe);
  });

  it('/regions lists the regions covered with paragraph counts', async () => {
    const ref = fake.sendCommand({ name: 'regions' });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const text = embedText(out.message);
    expect(text).toMatch(/\*\*Hebei\*\* 河北 — \d+ ¶ · \d+ reports?/);
    expect(text).toContain('内蒙古');
    const zh = fake.sendCommand({ name: 'regions', locale: 'zh-CN' });
    expect(embedText((await fake.waitForBotOutput(forInteraction(zh.id, 'interaction-callback'))).message)).toMatch(/\*\*河北\*\* — \d+ 段 · \d+ 份报告/);
  });

  it('/source shows a paragraph with its neighbours, and moves along with buttons', async () => {
    const auto = fake.sendAutocomplete({ name: 'source', options: { report: '北京、山西', paragraph: 1 }, focused: 'report' });
    const choices = (await fake.waitForBotOutput(forInteraction(auto.id, 'autocomplete'))).message.choices as Array<{ value: string }>;
    expect(choices.map((c) => c.value)).toEqual(['002_d8a4dfaa46811922.txt']);

    const ref = fake.sendCommand({ name: 'source', options: { report: '002_d8a4dfaa46811922.txt', paragraph: 4 }, locale: 'zh-CN' });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const text = embedText(out.message);
    expect(text).toContain(bot.context.paragraph('002_d8a4dfaa46811922.txt', 4)!.text);
    expect(text).toMatch(/第3段[\s\S]*第4段[\s\S]*第5段/);
    const next = buttonsOf(out.message).find((b) => b.label.includes('第5段'))!;
    expect(text).not.toMatch(/\.txt/);
    // Whoever ran /source moves it along in place; anyone else gets the paragraph privately.
    const click = fake.sendButton({ customId: next.custom_id, messageId: out.messageId!, locale: 'zh-CN' });
    const moved = await fake.waitForBotOutput(forInteraction(click.id, 'interaction-callback'));
    expect(moved.messageId).toBe(out.messageId);
    expect(embedText(moved.message)).toContain(bot.context.paragraph('002_d8a4dfaa46811922.txt', 5)!.text);
    const other = fake.sendButton({ customId: next.custom_id, messageId: out.messageId!, user: { id: '990000000000000002', username: 'carol' } });
    const privately = await fake.waitForBotOutput(forInteraction(other.id, 'interaction-callback'));
    expect(privately.ephemeral).toBe(true);
  });

  it.each([
    [{ report: '002_d8a4dfaa46811922.txt', paragraph: 99 }, /1–19/],
    [{ report: 'no-such-report', paragraph: 1 }, /Unknown report/],
  ])('/source rejects %o', async (options, message) => {
    const ref = fake.sendCommand({ name: 'source', options });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    expect(out.ephemeral).toBe(true);
    expect(out.message.content).toMatch(message);
  });

  it('/help explains usage in the user\'s language', async () => {
    for (const [locale, title] of [['zh-CN', '使用说明'], ['zh-TW', '使用說明'], ['en-US', 'How to use']]) {
      const ref = fake.sendCommand({ name: 'help', locale });
      const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
      expect(out.ephemeral).toBe(true);
      const text = embedText(out.message);
      expect(text.startsWith(title!)).toBe(true);
      for (const command of ['/ask', '/region', '/regions', '/source']) expect(text).toContain(command);
    }
  });
});

describe('REPLY_IN_THREAD=on', () => {
  let threadFake: FakeDiscord;
  let threadBot: RunningBot;

  beforeAll(async () => {
    threadFake = await startFakeDiscord({ token: TOKEN });
    const threadConfig: Config = {
      ...config,
      discord: { ...config.discord, clientId: threadFake.ids.applicationId, guildId: threadFake.ids.guildId, apiUrl: threadFake.apiUrl },
      bot: { ...config.bot, replyInThread: true },
    };
    const logger = createLogger('silent', { pretty: false });
    threadBot = await startBot(threadConfig, { searcher, logger }, { clientOptions: { rest: { api: threadFake.apiUrl, timeout: 5000, retries: 1 } } });
  });

  afterAll(async () => {
    await threadBot?.stop();
    await threadFake?.close();
  });

  it('answers a mention in a new thread named after the question, and follow-ups there in place', async () => {
    const id = threadFake.sendMessage({ content: BEIJING, mentionsBot: true });
    const create = await threadFake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${threadFake.ids.channelId}/messages/${id}/threads`, 10_000);
    expect(create.status).toBe(201);
    expect(create.body).toMatchObject({ name: BEIJING });
    const answer = await threadFake.waitForBotOutput((o) => o.via === 'channel-message' && o.channelId === id, 10_000);
    expect(answer.message.content).toContain('涵盖党员139.5万人');
    expect(answer.request.body).toMatchObject({ allowed_mentions: { parse: [] } });
    // Nothing was posted in the channel itself.
    expect(threadFake.botOutputs.filter((o) => o.channelId === threadFake.ids.channelId)).toEqual([]);

    // A follow-up in the thread needs no mention and is answered there, as a reply, in its language.
    const followUp = threadFake.sendMessage({ content: 'When did Beijing hold its deployment meeting for the second batch?', channelId: id });
    const reply = await threadFake.waitForBotOutput(replyTo(followUp), 10_000);
    expect(reply.channelId).toBe(id);
    expect(reply.message.content).toMatch(/\*\*Sources\*\*/);
    expect(threadFake.requests.filter((r) => r.path.endsWith('/threads'))).toHaveLength(1);

    // Outside threads, a message without a mention is still ignored.
    const ignored = threadFake.sendMessage({ content: BEIJING });
    const asked = threadFake.sendMessage({ content: '僵尸车', mentionsBot: true });
    await threadFake.waitForBotOutput((o) => o.via === 'channel-message' && o.channelId === asked, 10_000);
    expect(threadFake.botOutputs.filter((o) => o.channelId === ignored)).toEqual([]);
  });
});

describe('safety and limits', () => {
  it('echoes a 3000-character question within limits', async () => {
    const long = `${BEIJING}${'北京党员'.repeat(750)}`;
    const ref = fake.sendCommand({ name: 'ask', options: { question: long } });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-edit'), 10_000);
    expect(out.request.status).toBe(200);
    const id = fake.sendMessage({ content: long, mentionsBot: true });
    const reply = await fake.waitForBotOutput(replyTo(id), 10_000);
    expect((reply.message.content as string).length).toBeLessThanOrEqual(2000);
  });

  it('escapes markdown and mentions in an echoed question; nothing can ping', async () => {
    const question = '@everyone <@123> ||spoiler|| `code` 广东';
    const ref = fake.sendCommand({ name: 'ask', options: { question } });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-edit'), 10_000);
    const shown = `${out.message.content as string}${embedText(out.message)}`;
    expect(shown).toContain('@\u200beveryone');
    expect(shown).toContain('<@\u200b123>');
    expect(shown).toContain('\\|\\|spoiler\\|\\|');
    expect(shown).toContain('\\`code\\`');
    expect(shown).not.toMatch(/(^|[^\\])\|\|spoiler/);
    expect(out.request.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(out.message.mention_everyone).toBe(false);
    expect(out.message.mentions).toEqual([]);

    const id = fake.sendMessage({ content: question, mentionsBot: true });
    const reply = await fake.waitForBotOutput(replyTo(id), 10_000);
    expect(reply.message.content).toContain('@\u200beveryone');
    expect(reply.message.mention_everyone).toBe(false);
  });

  it('resumes after the gateway closes with 4000, and still answers', async () => {
    const resumed = once(bot.client, Events.ShardResume);
    expect(fake.closeGateway(4000)).toBe(true);
    await resumed;
    const id = fake.sendMessage({ content: BEIJING, mentionsBot: true });
    const out = await fake.waitForBotOutput(replyTo(id), 10_000);
    expect(out.message.content).toContain('涵盖党员139.5万人');
  });

  it('kept every message within Discord limits, without mentions, and never logged the token', () => {
    allRequests.push(...fake.requests.filter((r) => !allRequests.includes(r)));
    const failed = allRequests.filter((r) => (r.status ?? 0) >= 400 && !injectedFailures.has(r.seq));
    expect(failed.map((r) => `${r.method} ${r.path} ${r.status} ${JSON.stringify(r.response)}`)).toEqual([]);
    expect(fake.unhandledRequests).toEqual([]);
    const messageBodies = allRequests
      .filter((r) => /\/messages(\/[^/]+)?$|\/callback$|^\/webhooks\/\d+\/[^/]+$/.test(r.path) && r.method !== 'GET' && r.method !== 'DELETE')
      .map((r) => r.body as Record<string, any>)
      .map((b) => (b.type !== undefined && b.data !== undefined ? b.data : b))
      .filter((b) => b.content !== undefined || b.embeds !== undefined);
    expect(messageBodies.length).toBeGreaterThan(20);
    for (const body of messageBodies) expect(body.allowed_mentions).toMatchObject({ parse: [] });
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => l.includes(TOKEN))).toEqual([]);
  });
});
