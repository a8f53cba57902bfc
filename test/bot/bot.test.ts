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
import { createSearcher } from '../../src/retrieval/searcher.js';
import { startFakeDiscord, type BotOutput, type FakeDiscord, type RecordedRequest } from '../fake-discord/server.js';
import { baseConfig, build, copyOfReports, load, sharedEmbedder, tempDir } from '../support/index-fixture.js';

const TOKEN = 'test-token-do-not-log';
const BEIJING = '北京第二批主题教育涉及多少党员和党组织？';
const GUANGDONG = '广东第二批主题教育部署会议是哪天开的？';

let fake: FakeDiscord;
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
  const searcher = createSearcher(await load(indexDir), embedder, { topK: 5, candidates: baseConfig.candidates });
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
  ((message.components as Array<{ components: Array<{ custom_id: string; label: string }> }>) ?? []).flatMap((row) => row.components);
const embedText = (message: Record<string, unknown>): string =>
  ((message.embeds as Array<Record<string, unknown>>) ?? [])
    .map((e) => [e.title, e.description, ...((e.fields as Array<{ name: string; value: string }>) ?? []).flatMap((f) => [f.name, f.value]), (e.footer as { text?: string })?.text].join('\n'))
    .join('\n');

describe('questions in channels and DMs', () => {
  it('answers a mention with a reply quoting the paragraph, best sentence bold, cited', async () => {
    const id = fake.sendMessage({ content: BEIJING, mentionsBot: true });
    const out = await fake.waitForBotOutput(replyTo(id), 10_000);
    const content = out.message.content as string;
    expect(content).toContain('涵盖党员139.5万人');
    expect(content).toMatch(/\*\*据了解，北京市第二批主题教育[^*]*涵盖党员139\.5万人[^*]*\*\*/);
    expect(content).toContain('《北京、山西、内蒙古：聚焦群众关切 高质量推进第二批主题教育开局》');
    expect(content).toMatch(/002_d8a4dfaa46811922\.txt · 第4段/);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(out.request.body).toMatchObject({ allowed_mentions: { parse: [] }, message_reference: { message_id: id } });
    // Typing was shown while working.
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/channels/${fake.ids.channelId}/typing`)).toBe(true);
    // Full-paragraph buttons point at the cited paragraph.
    expect(buttonsOf(out.message).map((b) => b.custom_id)).toContain('para:2:4');
    const log = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'question' && l.via === 'mention');
    expect(log).toMatchObject({ answerable: true, results: expect.any(Number), ms: expect.any(Number) });
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
    expect(out.message.content).toMatch(/001_323451f5b4989956\.txt · 第6段/);
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
  it('defers, then edits in an embed quoting the paragraph with its citation', async () => {
    const ref = fake.sendCommand({ name: 'ask', options: { question: BEIJING } });
    const ack = await fake.waitForRequest((r) => r.path === `/interactions/${ref.id}/${ref.token}/callback`);
    expect(ack.body).toMatchObject({ type: 5 });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-edit'), 10_000);
    const embed = (out.message.embeds as Array<{ title: string; description: string }>)[0]!;
    expect(embed.title).toContain(BEIJING);
    expect(embed.description).toMatch(/\*\*据了解，北京市第二批主题教育[^*]*涵盖党员139\.5万人[^*]*\*\*/);
    expect(embed.description).toMatch(/002_d8a4dfaa46811922\.txt · 第4段/);
    expect(out.request.body).toMatchObject({ allowed_mentions: { parse: [] } });

    const buttons = buttonsOf(out.message);
    const more = buttons.find((b) => b.custom_id.startsWith('page:'))!;
    expect(more.label).toMatch(/More results/);
    expect(buttons.find((b) => b.custom_id === 'para:2:4')?.label).toMatch(/Full paragraph 1/);
    for (const b of buttons) expect(b.custom_id.length).toBeLessThanOrEqual(100);

    // "More results": the next page, edited in place.
    const click = fake.sendButton({ customId: more.custom_id, messageId: out.messageId! });
    const page2 = await fake.waitForBotOutput(forInteraction(click.id, 'interaction-edit'), 10_000);
    expect(page2.messageId).toBe(out.messageId);
    const page2Embed = (page2.message.embeds as Array<{ description: string; footer: { text: string } }>)[0]!;
    expect(page2Embed.description).toMatch(/^\*\*6\.\*\*/);
    expect(page2Embed.footer.text).toMatch(/Page 2 of/);
    expect(buttonsOf(page2.message).some((b) => /Previous/.test(b.label))).toBe(true);

    // "Full paragraph": an ephemeral reply with the whole paragraph.
    const full = fake.sendButton({ customId: 'para:2:4', messageId: out.messageId! });
    const paragraph = await fake.waitForBotOutput(forInteraction(full.id, 'interaction-callback'), 10_000);
    expect(paragraph.ephemeral).toBe(true);
    const text = bot.context.paragraph('002_d8a4dfaa46811922.txt', 4)!.text;
    expect(embedText(paragraph.message)).toContain(text);
  });

  it('answers unknown and forged buttons with a short ephemeral message', async () => {
    for (const customId of ['page:zzzzzzzzzz:1', 'para:99:1', 'para:2:999', 'bogus']) {
      const ref = fake.sendButton({ customId });
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
  it('/region 河北: reports, paragraphs, places incl. 石家庄 and 雄安新区, quoted sentences with citations', async () => {
    const ref = fake.sendCommand({ name: 'region', options: { name: '河北' } });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const embed = (out.message.embeds as Array<{ title: string; description: string; fields: Array<{ name: string; value: string }> }>)[0]!;
    expect(embed.title).toContain('河北');
    const places = embed.fields.find((f) => f.name.includes('Places'))!.value;
    expect(places).toContain('石家庄');
    expect(places).toContain('雄安新区');
    expect(embed.fields.find((f) => f.name.includes('Reports'))!.value).toMatch(/001_323451f5b4989956\.txt/);
    const sentences = embed.description.match(/\*\*\d\.\*\* “/g) ?? [];
    expect(sentences.length).toBeGreaterThanOrEqual(3);
    expect(sentences.length).toBeLessThanOrEqual(6);
    expect(embed.description.match(/— 《[^》]+》 · \d{3}_[0-9a-f]+\.txt · 第\d+段/g)?.length).toBe(sentences.length);
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
    expect(choices.find((c) => c.value === '河北')?.name).toMatch(/^河北 · Hebei \(\d+ 段\)$/);
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);

    const empty = fake.sendAutocomplete({ name: 'region', options: { name: '' }, focused: 'name' });
    const covered = await fake.waitForBotOutput(forInteraction(empty.id, 'autocomplete'));
    expect((covered.message.choices as Array<{ value: string }>).map((c) => c.value)).toContain('河北');
  });

  it('/regions lists the regions covered with paragraph counts', async () => {
    const ref = fake.sendCommand({ name: 'regions' });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const text = embedText(out.message);
    expect(text).toMatch(/\*\*河北\*\* Hebei — \d+ 段/);
    expect(text).toContain('内蒙古');
  });

  it('/source shows a paragraph with its neighbours, and moves along with buttons', async () => {
    const auto = fake.sendAutocomplete({ name: 'source', options: { report: '北京、山西', paragraph: 1 }, focused: 'report' });
    const choices = (await fake.waitForBotOutput(forInteraction(auto.id, 'autocomplete'))).message.choices as Array<{ value: string }>;
    expect(choices.map((c) => c.value)).toEqual(['002_d8a4dfaa46811922.txt']);

    const ref = fake.sendCommand({ name: 'source', options: { report: '002_d8a4dfaa46811922.txt', paragraph: 4 } });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const text = embedText(out.message);
    expect(text).toContain(bot.context.paragraph('002_d8a4dfaa46811922.txt', 4)!.text);
    expect(text).toMatch(/第3段[\s\S]*第4段[\s\S]*第5段/);
    const next = buttonsOf(out.message).find((b) => b.label.includes('第5段'))!;
    const click = fake.sendButton({ customId: next.custom_id, messageId: out.messageId! });
    const moved = await fake.waitForBotOutput(forInteraction(click.id, 'interaction-callback'));
    expect(embedText(moved.message)).toContain(bot.context.paragraph('002_d8a4dfaa46811922.txt', 5)!.text);
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

  it('/help explains usage in Chinese and English', async () => {
    const ref = fake.sendCommand({ name: 'help' });
    const out = await fake.waitForBotOutput(forInteraction(ref.id, 'interaction-callback'));
    const text = embedText(out.message);
    expect(text).toContain('中文');
    expect(text).toContain('English');
    for (const command of ['/ask', '/region', '/regions', '/source']) expect(text).toContain(command);
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
