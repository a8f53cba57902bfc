import { once } from 'node:events';
import zlib from 'node:zlib';
import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  type ClientOptions,
  type Interaction,
  type Message,
} from 'discord.js';
import { WebSocket } from 'ws';
import { startFakeDiscord, type FakeDiscord } from './server.js';

const ALL_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

const clients: Client[] = [];

/** A real discord.js client pointed at the fake; resolves once `clientReady` fired. */
async function readyClient(fake: FakeDiscord, intents: GatewayIntentBits[] = ALL_INTENTS, extra: Partial<ClientOptions> = {}): Promise<Client> {
  const client = new Client({
    intents,
    // Needed for DMs: the DM channel is not cached, discord.js drops the event without it.
    partials: [Partials.Channel],
    // Small timeouts so a broken fake fails fast instead of hanging for 15 s.
    rest: { api: fake.apiUrl, timeout: 5000, retries: 2 },
    // Skip the 5 s identify throttle so re-identifies (op 9 non-resumable) are instant.
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    ...extra,
  });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login('test-token');
  await ready;
  return client;
}

/** Next event of a kind that satisfies the predicate. */
function nextEvent<T>(client: Client, event: string, predicate: (arg: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const handler = (arg: T): void => {
      if (!predicate(arg)) return;
      clearTimeout(timer);
      client.off(event, handler);
      resolve(arg);
    };
    client.on(event, handler);
  });
}

const fromUser = (m: Message): boolean => !m.author.bot;

describe('fake discord with the real discord.js client', () => {
  let fake: FakeDiscord;

  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.clearRecords());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });

  it('becomes ready quickly with guild, channels and the bot member cached', async () => {
    const start = Date.now();
    const client = await readyClient(fake);
    expect(Date.now() - start).toBeLessThan(3000);
    expect(client.user?.id).toBe(fake.ids.botId);
    expect(client.application?.id).toBe(fake.ids.applicationId);
    const guild = client.guilds.cache.get(fake.ids.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.ids.channelId)?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.permissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(fake.sessionInfo?.token).toBe('test-token');
    expect(fake.sessionInfo?.intents).toBe(1 | (1 << 9) | (1 << 12) | (1 << 15));
    const gw = await fake.waitForRequest((r) => r.path === '/gateway/bot');
    expect(gw.authorization).toBe('Bot test-token');
  });

  it('delivers a mention and records message.reply()', async () => {
    const client = await readyClient(fake);
    client.on(Events.MessageCreate, (m) => {
      if (fromUser(m) && m.mentions.has(client.user!)) void m.reply({ content: 'pong', allowedMentions: { repliedUser: false } });
    });
    // Discord echoes the bot's own message through the gateway; the bot must ignore it.
    const echo = nextEvent<Message>(client, Events.MessageCreate, (m) => m.author.id === fake.ids.botId);
    const id = fake.sendMessage({ content: 'ping', mentionsBot: true });
    const req = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${fake.ids.channelId}/messages`);
    expect(req.status).toBe(200);
    expect(req.authorization).toBe('Bot test-token');
    expect(req.body).toMatchObject({
      content: 'pong',
      message_reference: { message_id: id },
      allowed_mentions: { replied_user: false },
    });
    const out = await fake.waitForBotOutput((o) => o.via === 'channel-message');
    expect(out.message.referenced_message.id).toBe(id);
    expect((await echo).content).toBe('pong');
  });

  it('handles DMs (needs Partials.Channel)', async () => {
    const client = await readyClient(fake);
    client.on(Events.MessageCreate, (m) => {
      if (fromUser(m) && m.channel.type === ChannelType.DM) void m.channel.send(`dm echo: ${m.content}`);
    });
    fake.sendMessage({ content: 'hello in private', dm: true });
    const out = await fake.waitForBotOutput((o) => o.via === 'channel-message');
    expect(out.message.content).toBe('dm echo: hello in private');
    expect(out.channelId).toBe(fake.dmChannelFor(fake.ids.userId).id);
  });

  it('blanks content without the MessageContent intent unless the bot is mentioned', async () => {
    const client = await readyClient(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    const plain = nextEvent<Message>(client, Events.MessageCreate, (m) => m.id === plainId);
    const plainId = fake.sendMessage({ content: 'secret words' });
    expect((await plain).content).toBe('');
    const mentionId = fake.sendMessage({ content: 'hi bot', mentionsBot: true });
    const mention = await nextEvent<Message>(client, Events.MessageCreate, (m) => m.id === mentionId);
    expect(mention.content).toBe(`<@${fake.ids.botId}> hi bot`);
  });

  it('does not deliver guild messages without the GuildMessages intent', async () => {
    const client = await readyClient(fake, [GatewayIntentBits.Guilds]);
    let got = 0;
    client.on(Events.MessageCreate, () => got++);
    fake.sendMessage({ content: 'nobody hears this', mentionsBot: true });
    await fake.waitForGateway((e) => e.kind === 'filtered' && e.t === 'MESSAGE_CREATE');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toBe(0);
  });

  it('slash command: deferReply() + editReply() land; member permissions come through', async () => {
    const client = await readyClient(fake);
    const seen: Array<{ manage: boolean | undefined; memberManage: boolean | undefined }> = [];
    client.on(Events.InteractionCreate, async (i: Interaction) => {
      if (!i.isChatInputCommand() || i.commandName !== 'ask') return;
      seen.push({
        manage: i.memberPermissions?.has(PermissionFlagsBits.ManageGuild),
        memberManage: i.inCachedGuild() ? i.member.permissions.has(PermissionFlagsBits.ManageGuild) : undefined,
      });
      await i.deferReply();
      await i.editReply({ content: `answer to ${i.options.getString('question', true)}` });
    });
    const ref = fake.sendCommand({ name: 'ask', options: { question: '什么是GDP?' } });
    const cb = await fake.waitForRequest((r) => r.path === `/interactions/${ref.id}/${ref.token}/callback`);
    expect(cb.body).toEqual({ type: 5, data: { flags: 0 } });
    expect(cb.authorization).toBeUndefined();
    expect(cb.status).toBe(204);
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
    expect(edit.rawPath).toContain(`/webhooks/${fake.ids.applicationId}/${ref.token}/messages/`);
    expect(edit.body).toMatchObject({ content: 'answer to 什么是GDP?' });
    expect(edit.status).toBe(200);

    fake.sendCommand({ name: 'ask', options: { question: 'q2' }, user: fake.ids.modUserId });
    await fake.waitForBotOutput((o) => o.message.content === 'answer to q2');
    expect(seen).toEqual([
      { manage: false, memberManage: false },
      { manage: true, memberManage: true },
    ]);
  });

  it('slash command: ephemeral reply() then followUp()', async () => {
    const client = await readyClient(fake);
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'first', flags: MessageFlags.Ephemeral });
      await i.followUp({ content: 'second' });
    });
    const ref = fake.sendCommand({ name: 'x' });
    const f = await fake.waitForBotOutput((o) => o.via === 'followup' && o.interactionId === ref.id);
    expect(f.message.content).toBe('second');
    const r = fake.botOutputs.find((o) => o.via === 'interaction-callback' && o.interactionId === ref.id);
    expect(r?.ephemeral).toBe(true);
  });

  it('withResponse, fetchReply, deferred follow-up, DM commands, typing, edit, user.send', async () => {
    const client = await readyClient(fake);
    const results: Record<string, unknown> = {};
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      if (i.commandName === 'wr') {
        const res = await i.reply({ content: 'with response', withResponse: true });
        results.wr = res.resource?.message?.content;
        results.fetched = (await i.fetchReply()).content;
        await i.deleteReply();
      } else if (i.commandName === 'defer-follow') {
        await i.deferReply({ flags: MessageFlags.Ephemeral });
        // Discord: the first follow-up after a defer edits the loading message (stays ephemeral).
        const m = await i.followUp({ content: 'done' });
        results.followUpId = m.id;
      } else if (i.commandName === 'dm') {
        results.dmChannel = i.channel?.type;
        await i.reply('in dm');
      }
    });
    const wr = fake.sendCommand({ name: 'wr' });
    const cb = await fake.waitForRequest((r) => r.path === `/interactions/${wr.id}/${wr.token}/callback`);
    expect(cb.query.with_response).toBe('true');
    expect(cb.status).toBe(200);
    await fake.waitForRequest((r) => r.method === 'DELETE' && r.path.endsWith('/@original'));
    expect(results).toMatchObject({ wr: 'with response', fetched: 'with response' });

    const df = fake.sendCommand({ name: 'defer-follow' });
    const out = await fake.waitForBotOutput((o) => o.via === 'followup' && o.interactionId === df.id);
    expect(out.ephemeral).toBe(true);
    expect(out.messageId).toBe(fake.interactions.get(df.id)?.originalMessageId);

    fake.sendCommand({ name: 'dm', dm: true });
    await fake.waitForBotOutput((o) => o.message.content === 'in dm');
    expect(results.dmChannel).toBe(ChannelType.DM);

    const channel = client.channels.cache.get(fake.ids.channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    await channel.sendTyping();
    const msg = await channel.send('v1');
    const edited = await msg.edit('v2');
    expect(edited.content).toBe('v2');
    expect(fake.messages.get(msg.id)?.content).toBe('v2');
    const alice = await client.users.fetch(fake.ids.userId);
    await alice.send('hello alice');
    const dmOut = await fake.waitForBotOutput((o) => o.message.content === 'hello alice');
    expect(dmOut.channelId).toBe(fake.dmChannelFor(fake.ids.userId).id);
    expect(fake.unhandledRequests).toEqual([]);
  });

  it('autocomplete respond() lands', async () => {
    const client = await readyClient(fake);
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond([{ name: `${typed}-1`, value: `${typed}-1` }]);
    });
    const ref = fake.sendAutocomplete({ name: 'ask', options: { question: 'gd' }, focused: 'question' });
    const cb = await fake.waitForRequest((r) => r.path === `/interactions/${ref.id}/${ref.token}/callback`);
    expect(cb.body).toEqual({ type: 8, data: { choices: [{ name: 'gd-1', value: 'gd-1' }] } });
    expect(cb.status).toBe(204);
  });

  it('button update() lands and edits the message that carried the button', async () => {
    const client = await readyClient(fake);
    client.on(Events.MessageCreate, async (m) => {
      if (!fromUser(m)) return;
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('more:1').setLabel('More').setStyle(ButtonStyle.Primary),
      );
      await m.channel.send({ content: 'page 1', components: [row] });
    });
    client.on(Events.InteractionCreate, async (i) => {
      if (i.isButton() && i.customId === 'more:1') await i.update({ content: 'page 2', components: [] });
    });
    fake.sendMessage({ content: 'show me' });
    const sent = await fake.waitForBotOutput((o) => o.via === 'channel-message');
    const ref = fake.sendButton({ customId: 'more:1' });
    const cb = await fake.waitForRequest((r) => r.path === `/interactions/${ref.id}/${ref.token}/callback`);
    expect(cb.body).toMatchObject({ type: 7, data: { content: 'page 2', components: [] } });
    expect(fake.messages.get(sent.messageId!)?.content).toBe('page 2');
  });

  it('rejects a reply over 2000 characters with DiscordAPIError 50035', async () => {
    const client = await readyClient(fake);
    const errors: unknown[] = [];
    client.on(Events.MessageCreate, async (m) => {
      if (!fromUser(m)) return;
      try {
        await m.reply('x'.repeat(2001));
      } catch (err) {
        errors.push(err);
      }
    });
    fake.sendMessage({ content: 'long please' });
    await fake.waitForRequest((r) => r.status === 400);
    await expect.poll(() => errors.length).toBe(1);
    const err = errors[0] as DiscordAPIError;
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect(err.code).toBe(50035);
    expect(err.status).toBe(400);
    expect(err.message).toContain('content[BASE_TYPE_MAX_LENGTH]');
  });

  it('validates embeds and empty messages', async () => {
    const client = await readyClient(fake);
    const channel = client.channels.cache.get(fake.ids.channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const bigEmbed = new EmbedBuilder().setTitle('t').setDescription('d'.repeat(4000));
    await expect(channel.send({ embeds: [bigEmbed, bigEmbed] })).rejects.toMatchObject({ code: 50035 });
    await expect(channel.send({ embeds: [{ title: 'x'.repeat(257) }] })).rejects.toMatchObject({ code: 50035 });
    await expect(channel.send({ content: '' })).rejects.toMatchObject({ code: 50006 });
    const ok = await channel.send({ embeds: [new EmbedBuilder().setTitle('fine').addFields({ name: 'a', value: 'b' })] });
    expect(ok.embeds[0]?.title).toBe('fine');
  });

  it('answers 403 50013 where the bot may not send', async () => {
    const client = await readyClient(fake);
    const channel = client.channels.cache.get(fake.ids.readonlyChannelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    await expect(channel.send('hi')).rejects.toMatchObject({ code: 50013, status: 403 });
  });

  it('retries a 429 on a reply and delivers it', async () => {
    const client = await readyClient(fake);
    client.on(Events.MessageCreate, (m) => {
      if (fromUser(m)) void m.reply('after rate limit');
    });
    fake.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 429, retryAfter: 0.2 });
    fake.sendMessage({ content: 'hi' });
    const out = await fake.waitForBotOutput((o) => o.message.content === 'after rate limit');
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${fake.ids.channelId}/messages`);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(190);
    expect(out.request.seq).toBe(posts[1]!.seq);
  });

  it('retries a 500 once', async () => {
    const client = await readyClient(fake);
    const channel = client.channels.cache.get(fake.ids.channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    fake.failNext({ pathPattern: /\/messages$/, status: 500 });
    await channel.send('survives a 500');
    expect(fake.requests.filter((r) => r.path.endsWith('/messages')).map((r) => r.status)).toEqual([500, 200]);
  });

  it('records multipart uploads', async () => {
    const client = await readyClient(fake);
    const channel = client.channels.cache.get(fake.ids.channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const msg = await channel.send({ content: 'file', files: [new AttachmentBuilder(Buffer.from('hello'), { name: 'a.txt' })] });
    const req = await fake.waitForRequest((r) => r.files.length > 0);
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(req.body).toMatchObject({ content: 'file' });
    expect(req.files[0]).toMatchObject({ filename: 'a.txt', size: 5 });
    expect(req.files[0]!.data.toString()).toBe('hello');
    expect(msg.attachments.first()?.name).toBe('a.txt');
  });

  it('registers commands (and rejects invalid ones)', async () => {
    const client = await readyClient(fake);
    const cmds = await client.application!.commands.set([
      { name: 'ask', description: 'Ask a question', options: [{ name: 'question', description: 'q', type: 3, required: true, autocomplete: true }] },
    ]);
    expect(cmds.first()?.name).toBe('ask');
    const guildCmds = await client.application!.commands.set([{ name: 'g', description: 'guild only' }], fake.ids.guildId);
    expect(guildCmds.size).toBe(1);
    expect(fake.globalCommands.map((c) => c.name)).toEqual(['ask']);
    await expect(client.application!.commands.set([{ name: 'Bad Name', description: 'x' }])).rejects.toMatchObject({ code: 50035 });
  });

  it('resumes after close 4000 and replays a message sent while disconnected', async () => {
    const client = await readyClient(fake);
    const resumed = nextEvent<number>(client, Events.ShardResume);
    const received = nextEvent<Message>(client, Events.MessageCreate, (m) => m.content === 'while you were away');
    expect(fake.closeGateway(4000)).toBe(true);
    fake.sendMessage({ content: 'while you were away' });
    await resumed;
    expect((await received).content).toBe('while you were away');
    const r = await fake.waitForGateway((e) => e.kind === 'resumed');
    expect(r.detail).toMatchObject({ replayed: 1 });
    // Resumes must use resume_gateway_url.
    const connects = fake.gatewayLog.filter((e) => e.kind === 'connect');
    expect(connects.at(-1)?.url).toMatch(/^\/gateway\/resume\?v=10&encoding=json/);
    expect(fake.identifyCount).toBeGreaterThanOrEqual(1);
  });

  it('handles op 7 reconnect and op 9 invalid session (resumable and not)', async () => {
    const client = await readyClient(fake);
    const identifiesBefore = fake.identifyCount;
    const resumesBefore = fake.resumeCount;

    fake.sendReconnect();
    await nextEvent(client, Events.ShardResume);
    expect(fake.resumeCount).toBe(resumesBefore + 1);

    fake.sendInvalidSession(true);
    await nextEvent(client, Events.ShardResume);
    expect(fake.resumeCount).toBe(resumesBefore + 2);

    const reReady = fake.waitForGateway((e) => e.kind === 'ready' && fake.identifyCount === identifiesBefore + 1);
    fake.sendInvalidSession(false);
    await reReady;
    await nextEvent(client, Events.ShardReady);
    expect(fake.identifyCount).toBe(identifiesBefore + 1);

    const id = fake.sendMessage({ content: 'still there?' });
    const m = await nextEvent<Message>(client, Events.MessageCreate, (x) => x.id === id);
    expect(m.content).toBe('still there?');
  });
});

describe('fake discord: gateway details and interaction deadlines', () => {
  it('closes with 4014 for privileged intents not enabled', async () => {
    const fake = await startFakeDiscord({ enabledPrivilegedIntents: 0 });
    const client = new Client({ intents: ALL_INTENTS, rest: { api: fake.apiUrl } });
    try {
      await expect(client.login('t')).rejects.toThrow(/disallowed intents/i);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });

  it('answers 10062 when the bot acknowledges too late', async () => {
    const fake = await startFakeDiscord({ interactionAckTimeoutMs: 100 });
    const client = await readyClient(fake);
    const errors: unknown[] = [];
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      await new Promise((r) => setTimeout(r, 200));
      await i.reply('too slow').catch((e: unknown) => errors.push(e));
    });
    try {
      fake.sendCommand({ name: 'slow' });
      await expect.poll(() => errors.length).toBe(1);
      expect(errors[0]).toMatchObject({ code: 10062, status: 404 });
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.destroy()));
      await fake.close();
    }
  });

  it('speaks zlib-stream when asked', async () => {
    const fake = await startFakeDiscord();
    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const inflate = zlib.createInflate();
    const payloads: Array<{ op: number; t?: string }> = [];
    let text = '';
    // With zlib-stream each payload ends on a sync flush; here the payloads are concatenated JSON.
    inflate.on('data', (c: Buffer) => {
      text += c.toString();
      // Split concatenated JSON objects at top-level boundaries.
      let depth = 0;
      let start = 0;
      let inStr = false;
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (inStr) {
          if (ch === '\\') i++;
          else if (ch === '"') inStr = false;
        } else if (ch === '"') inStr = true;
        else if (ch === '{') depth++;
        else if (ch === '}' && --depth === 0) {
          payloads.push(JSON.parse(text.slice(start, i + 1)) as { op: number; t?: string });
          start = i + 1;
        }
      }
      text = text.slice(start);
    });
    ws.on('message', (data: Buffer) => {
      expect(data.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
      inflate.write(data);
    });
    try {
      await once(ws, 'open');
      await expect.poll(() => payloads.length).toBe(1);
      expect(payloads[0]?.op).toBe(10);
      ws.send(JSON.stringify({ op: 2, d: { token: 't', intents: 1, properties: {}, shard: [0, 1] } }));
      await expect.poll(() => payloads.map((p) => p.t)).toEqual([undefined, 'READY', 'GUILD_CREATE']);
    } finally {
      ws.close();
      inflate.close();
      await fake.close();
    }
  });
});
