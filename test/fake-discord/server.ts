/**
 * A fake Discord (REST API + WebSocket gateway) on 127.0.0.1 that the real discord.js
 * Client can be driven against in end-to-end tests. Plain node:http + ws, no other deps.
 *
 * Client side, a bot under test needs:
 *   new Client({
 *     intents: [...],
 *     partials: [Partials.Channel],          // REQUIRED for DMs: like real Discord, DM channels
 *                                            // are not in GUILD_CREATE, so discord.js drops DM
 *                                            // MESSAGE_CREATEs for uncached channels without it.
 *     rest: { api: fake.apiUrl },            // discord.js appends /v10 itself
 *     // optional, makes re-identify after op 9 (non-resumable) instant instead of ~5 s:
 *     ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
 *   });
 *   await client.login('any-token');          // any token works unless options.token is set
 *
 * Behaves like Discord where a bot could get it wrong: intent filtering, message content
 * stripping without the MessageContent intent, message/embed/component limits (400 50035),
 * empty messages (400 50006), interaction ack deadline (3 s → 404 10062), double ack
 * (400 40060), follow-up after defer editing the loading message, echoes of the bot's own
 * messages through the gateway, 429s with Discord's headers, RESUME replay.
 *
 * Sharding: `shards` is the count GET /gateway/bot recommends; each IDENTIFY with `shard: [i, n]`
 * opens its own session, which gets the guilds with (guild_id >> 22) % n === i (DMs go to shard 0),
 * as on Discord. Fault helpers take an optional shard id (default: the lowest one connected).
 *
 * Compression: discord.js 14 only asks for zlib-stream when the optional `zlib-sync` package is
 * installed (it is not here), but this fake supports `compress=zlib-stream` and identify
 * `compress: true` anyway, so it keeps working if someone installs it.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { WebSocketServer, WebSocket, type RawData } from 'ws';

// JSON payloads are deliberately loosely typed: the fake must also accept malformed input.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Gateway intent bits (subset). */
export const Intents = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  GuildMessageTyping: 1 << 11,
  DirectMessages: 1 << 12,
  DirectMessageReactions: 1 << 13,
  DirectMessageTyping: 1 << 14,
  MessageContent: 1 << 15,
} as const;

const PRIVILEGED_INTENTS = Intents.GuildMembers | Intents.GuildPresences | Intents.MessageContent;

/** Permission bits (subset), as bigint like discord.js PermissionFlagsBits. */
export const Perm = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** Roughly Discord's default @everyone permissions for a new server. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Perm.CreateInstantInvite | Perm.AddReactions | Perm.ViewChannel | Perm.SendMessages |
  Perm.EmbedLinks | Perm.AttachFiles | Perm.ReadMessageHistory | Perm.UseExternalEmojis |
  Perm.Connect | Perm.Speak | Perm.ChangeNickname | Perm.UseApplicationCommands |
  Perm.CreatePublicThreads | Perm.SendMessagesInThreads;

/** What the bot's managed role grants by default (what an invite link would typically ask for). */
export const DEFAULT_BOT_PERMISSIONS =
  Perm.ViewChannel | Perm.SendMessages | Perm.EmbedLinks | Perm.AttachFiles |
  Perm.ReadMessageHistory | Perm.AddReactions | Perm.UseExternalEmojis | Perm.SendMessagesInThreads;

export const ChannelTypes = { GuildText: 0, DM: 1, GuildVoice: 2, GuildCategory: 4, PublicThread: 11 } as const;

const MESSAGE_FLAG_EPHEMERAL = 1 << 6;
const MESSAGE_FLAG_LOADING = 1 << 7;
const MESSAGE_FLAG_COMPONENTS_V2 = 1 << 15;

/** Default ids; everything is overridable through options. */
export const DEFAULT_IDS = {
  guildId: '1200000000000000001',
  channelId: '1200000000000000002', // #general: everyone (and the bot) can talk
  readonlyChannelId: '1200000000000000003', // #announcements: @everyone denied SendMessages
  botId: '1200000000000000010', // also the application id, as for modern Discord apps
  userId: '1200000000000000020', // "alice": a plain member, no Manage Guild
  modUserId: '1200000000000000021', // "mod": has the Moderator role (Manage Guild)
  ownerId: '1200000000000000022', // guild owner (implicitly all permissions)
  modRoleId: '1200000000000000030',
  botRoleId: '1200000000000000031',
} as const;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: bigint;
  position?: number;
  managed?: boolean;
  /** For the bot's managed role. */
  botId?: string;
}

export interface FakeOverwrite {
  id: string;
  /** 0 = role, 1 = member */
  type: 0 | 1;
  allow?: bigint;
  deny?: bigint;
}

export interface FakeChannel {
  id: string;
  name: string;
  type: number;
  guildId?: string;
  topic?: string | null;
  parentId?: string | null;
  permissionOverwrites?: FakeOverwrite[];
  /** DM channels only. */
  recipientId?: string;
  /** Threads only: who started it, and minutes of inactivity before it is archived. */
  ownerId?: string;
  autoArchiveDuration?: number;
}

export interface FakeMember {
  userId: string;
  roles: string[];
  nick?: string | null;
  joinedAt?: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: FakeRole[];
  channels: FakeChannel[];
  members: FakeMember[];
}

export interface FakeGuildInit {
  id?: string;
  name?: string;
  ownerId?: string;
  everyonePermissions?: bigint;
  botPermissions?: bigint;
  /** Extra roles besides @everyone and the bot's managed role. */
  roles?: FakeRole[];
  /** Defaults to one text channel "general". */
  channels?: Array<Omit<FakeChannel, 'guildId'>>;
  /** The bot member is added automatically. */
  members?: FakeMember[];
}

export interface FakeDiscordOptions {
  /** 0 (default) = random free port. */
  port?: number;
  /** If set, only this token is accepted (REST 401 / gateway close 4004 otherwise). */
  token?: string;
  bot?: Partial<FakeUser>;
  /** Defaults to the bot user id. */
  applicationId?: string;
  /** Users besides the bot. Defaults to alice/mod/owner (see DEFAULT_IDS). */
  users?: FakeUser[];
  /** Defaults to one guild with #general, #announcements, a Moderator role and alice/mod/owner. */
  guilds?: FakeGuildInit[];
  /** Shard count recommended by GET /gateway/bot (default 1). */
  shards?: number;
  /** Sent in HELLO. Discord uses 41250. */
  heartbeatIntervalMs?: number;
  /** Discord gives 3 s to acknowledge an interaction before it answers 10062 Unknown interaction. */
  interactionAckTimeoutMs?: number;
  /** Interaction tokens (webhook routes) live 15 min on Discord. */
  interactionTokenTtlMs?: number;
  /** Echo the bot's own messages back through the gateway as MESSAGE_CREATE/UPDATE (Discord does). */
  echoBotMessages?: boolean;
  /** Privileged intents "enabled in the developer portal". Others → close 4014. Default: all. */
  enabledPrivilegedIntents?: number;
  /** Upload size limit (Discord: 10 MiB for unboosted servers). */
  maxUploadBytes?: number;
  /** Log lines (true → console.error). */
  debug?: boolean | ((line: string) => void);
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface RecordedRequest {
  seq: number;
  at: number;
  method: string;
  /** Path after /api/v10, percent-decoded, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** Raw request pathname, e.g. `/api/v10/webhooks/1/tok/messages/%40original`. */
  rawPath: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  authorization: string | undefined;
  /** Parsed JSON body, or the `payload_json` part of a multipart body. */
  body: Obj | Obj[] | undefined;
  files: UploadedFile[];
  /** Set once answered (waitForRequest only sees answered requests). */
  status?: number;
  response?: unknown;
}

export type BotOutputVia =
  | 'channel-message'
  | 'channel-message-edit'
  | 'interaction-callback'
  | 'interaction-edit'
  | 'followup'
  | 'autocomplete';

/** Every successful message/autocomplete the bot produced, in order. */
export interface BotOutput {
  via: BotOutputVia;
  channelId: string | null;
  messageId: string | null;
  interactionId?: string;
  ephemeral: boolean;
  /** The resulting (full) message object, or for autocomplete `{choices}`. */
  message: Obj;
  request: RecordedRequest;
}

export interface FailRule {
  method?: string;
  /** Matched against the decoded path after /api/v10, e.g. /channels/123/messages. */
  pathPattern: RegExp;
  status: number;
  /** For 429: seconds (float), like Discord's retry_after. Default 0.1. */
  retryAfter?: number;
  /** For 429: global rate limit (X-RateLimit-Global). */
  global?: boolean;
  /** For 429: X-RateLimit-Scope ('user' | 'global' | 'shared'). */
  scope?: string;
  /** JSON error code for non-429 failures (e.g. 50013 Missing Permissions with status 403). */
  code?: number;
  message?: string;
  /** How many matching requests fail. Default 1. */
  count?: number;
}

export interface GatewayLogEntry {
  at: number;
  kind:
    | 'connect' | 'recv' | 'send' | 'identify' | 'resume' | 'ready' | 'resumed' | 'close'
    | 'client-close' | 'filtered' | 'dropped' | 'invalid-session' | 'reconnect';
  connId: number;
  /** Shard id of the connection's session, when it has one. */
  shard?: number;
  op?: number;
  t?: string | null;
  s?: number | null;
  code?: number;
  url?: string;
  detail?: unknown;
}

export interface SessionInfo {
  id: string;
  /** [shard id, shard count] from IDENTIFY. */
  shard: [number, number];
  token: string;
  intents: number;
  seq: number;
  valid: boolean;
  connected: boolean;
}

export type UserRef = string | Partial<FakeUser>;

export interface SendMessageOptions {
  content?: string;
  channelId?: string;
  guildId?: string;
  /** User id or partial user; default alice. Unknown users are registered (and join the guild). */
  author?: UserRef;
  /** Mention the bot: adds the bot to `mentions` and prepends `<@BOTID>` if not in content. */
  mentionsBot?: boolean;
  /** Send as a DM from `author` to the bot. */
  dm?: boolean;
  /** Reply to an existing message id (type 19, message_reference, referenced_message). */
  replyTo?: string;
  /** Whether the reply pings the replied-to author (default true, like the Discord client). */
  mentionRepliedUser?: boolean;
  embeds?: Obj[];
}

export interface InteractionBaseOptions {
  guildId?: string;
  channelId?: string;
  /** Invoking user (id or partial user); default alice. */
  user?: UserRef;
  /** Invoked in a DM with the bot (no member/guild). */
  dm?: boolean;
  /** Override member.permissions (otherwise computed from roles + channel overwrites). */
  permissions?: bigint | string;
  appPermissions?: bigint | string;
  locale?: string;
}

export type OptionsInput = Record<string, string | number | boolean> | Obj[];

export interface CommandInteractionOptions extends InteractionBaseOptions {
  name: string;
  options?: OptionsInput;
  subcommand?: string;
  subcommandGroup?: string;
  /** 1 chat input (default), 2 user, 3 message context menu. */
  commandType?: number;
  targetId?: string;
}

export interface AutocompleteInteractionOptions extends CommandInteractionOptions {
  /** Name of the focused option; its value is the partial text typed so far. */
  focused: string;
}

export interface ComponentInteractionOptions extends InteractionBaseOptions {
  customId: string;
  /** Message carrying the component; default: latest bot message in the channel that has it. */
  messageId?: string;
  /** 2 = button (default), 3 = string select … */
  componentType?: number;
  values?: string[];
}

export interface InteractionRef {
  id: string;
  token: string;
  applicationId: string;
  type: number;
}

export interface InteractionState extends InteractionRef {
  createdAt: number;
  channelId: string;
  guildId: string | null;
  /** Callback type used to acknowledge, or null. */
  ackType: number | null;
  ackedAt: number | null;
  /** Original response message id (for components: the component's message). */
  originalMessageId: string | null;
  followupIds: string[];
  /** Whether a follow-up already replaced the deferred loading message. */
  deferredConsumed: boolean;
  payload: Obj;
}

export interface StoredCommand extends Obj {
  id: string;
  name: string;
  type: number;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1420070400000n;
let lastSnowflake = 0n;
/** Monotonic snowflakes with a real timestamp, so discord.js createdAt makes sense. */
export function snowflake(): string {
  const candidate = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
  lastSnowflake = candidate > lastSnowflake ? candidate : lastSnowflake + 1n;
  return lastSnowflake.toString();
}

/** Discord counts characters as Unicode code points. */
function strLen(s: unknown): number {
  return typeof s === 'string' ? [...s].length : 0;
}

class ErrorTree {
  root: Obj = {};
  add(path: Array<string | number>, code: string, message: string): void {
    let node = this.root;
    for (const key of path) node = node[String(key)] ??= {};
    (node._errors ??= []).push({ code, message });
  }
  get empty(): boolean {
    return Object.keys(this.root).length === 0;
  }
}

interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function json(status: number, body: unknown, headers?: Record<string, string>): HttpResult {
  return { status, body, headers };
}
const noContent: HttpResult = { status: 204 };
function apiError(status: number, code: number, message: string, errors?: Obj): HttpResult {
  return json(status, errors ? { message, code, errors } : { message, code });
}
function formError(errors: Obj): HttpResult {
  return apiError(400, 50035, 'Invalid Form Body', errors);
}

function parseMultipart(buf: Buffer, boundary: string): Array<{ name: string; filename?: string; contentType: string; data: Buffer }> {
  const parts: Array<{ name: string; filename?: string; contentType: string; data: Buffer }> = [];
  const delim = Buffer.from(`--${boundary}`);
  let idx = buf.indexOf(delim);
  while (idx !== -1) {
    let start = idx + delim.length;
    if (buf.subarray(start, start + 2).toString() === '--') break;
    start += 2; // CRLF after the delimiter
    const next = buf.indexOf(delim, start);
    if (next === -1) break;
    const part = buf.subarray(start, next - 2); // strip CRLF before the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const head = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
      parts.push({ name, filename, contentType, data: part.subarray(headerEnd + 4) });
    }
    idx = next;
  }
  return parts;
}

function toBig(v: bigint | string | number | undefined, fallback: bigint): bigint {
  if (v === undefined) return fallback;
  return typeof v === 'bigint' ? v : BigInt(v);
}

// ---------------------------------------------------------------------------------------------
// Message validation (Discord's limits; discord.js does not check these itself)
// ---------------------------------------------------------------------------------------------

function validateEmbeds(embeds: unknown, errors: ErrorTree, base: Array<string | number>): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    errors.add([...base, 'embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  if (embeds.length > 10) errors.add([...base, 'embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((e: Obj, i: number) => {
    const p = [...base, 'embeds', i];
    const max = (value: unknown, limit: number, path: Array<string | number>): void => {
      const n = strLen(value);
      total += n;
      if (n > limit) errors.add([...p, ...path], 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`);
    };
    if (typeof e !== 'object' || e === null) {
      errors.add(p, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    max(e.title, 256, ['title']);
    max(e.description, 4096, ['description']);
    max(e.footer?.text, 2048, ['footer', 'text']);
    max(e.author?.name, 256, ['author', 'name']);
    if (e.footer && !e.footer.text) errors.add([...p, 'footer', 'text'], 'BASE_TYPE_REQUIRED', 'This field is required');
    if (e.author && !e.author.name) errors.add([...p, 'author', 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
    if (e.color !== undefined && e.color !== null && (!Number.isInteger(e.color) || e.color < 0 || e.color > 0xffffff)) {
      errors.add([...p, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
    if (e.fields !== undefined) {
      if (!Array.isArray(e.fields)) errors.add([...p, 'fields'], 'BASE_TYPE_ARRAY', 'Must be an array.');
      else {
        if (e.fields.length > 25) errors.add([...p, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
        e.fields.forEach((f: Obj, j: number) => {
          for (const key of ['name', 'value'] as const) {
            if (f?.[key] === undefined || f?.[key] === null || f?.[key] === '') {
              errors.add([...p, 'fields', j, key], 'BASE_TYPE_REQUIRED', 'This field is required');
            }
          }
          max(f?.name, 256, ['fields', j, 'name']);
          max(f?.value, 1024, ['fields', j, 'value']);
        });
      }
    }
  });
  if (total > 6000) errors.add([...base, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

function validateComponents(components: unknown, flags: number, errors: ErrorTree, base: Array<string | number>): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    errors.add([...base, 'components'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  const customIds = new Set<string>();
  let count = 0;
  const checkLeaf = (c: Obj, p: Array<string | number>): void => {
    count++;
    if (c.custom_id !== undefined) {
      const n = strLen(c.custom_id);
      if (n < 1 || n > 100) errors.add([...p, 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      if (customIds.has(c.custom_id)) errors.add([...p, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      customIds.add(c.custom_id);
    }
    if (c.type === 2) {
      // Button
      if (strLen(c.label) > 80) errors.add([...p, 'label'], 'BASE_TYPE_MAX_LENGTH', 'Must be 80 or fewer in length.');
      if (c.style === 5) {
        if (!c.url) errors.add([...p, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
        if (c.custom_id !== undefined) errors.add([...p, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', 'A custom id cannot be set on link buttons');
      } else if (c.style !== 6 && c.custom_id === undefined) {
        errors.add([...p, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      }
      if (c.style !== 6 && !c.label && !c.emoji) errors.add([...p, 'label'], 'BUTTON_COMPONENT_MISSING_LABEL', 'A label or emoji is required');
    } else if ([3, 5, 6, 7, 8].includes(c.type)) {
      // Select menus
      if (c.custom_id === undefined) errors.add([...p, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (strLen(c.placeholder) > 150) errors.add([...p, 'placeholder'], 'BASE_TYPE_MAX_LENGTH', 'Must be 150 or fewer in length.');
      if (c.type === 3) {
        const opts = Array.isArray(c.options) ? c.options : [];
        if (opts.length < 1 || opts.length > 25) errors.add([...p, 'options'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 25 in length.');
        opts.forEach((o: Obj, k: number) => {
          if (strLen(o?.label) > 100) errors.add([...p, 'options', k, 'label'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
          if (strLen(o?.value) > 100) errors.add([...p, 'options', k, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
          if (strLen(o?.description) > 100) errors.add([...p, 'options', k, 'description'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
        });
      }
    }
  };
  const walk = (list: Obj[], p: Array<string | number>): void => {
    list.forEach((c, i) => {
      const cp = [...p, i];
      if (Array.isArray(c?.components)) {
        count++;
        walk(c.components, [...cp, 'components']);
      } else if (c?.accessory) {
        count++;
        checkLeaf(c.accessory, [...cp, 'accessory']);
      } else if (c) checkLeaf(c, cp);
    });
  };
  if (flags & MESSAGE_FLAG_COMPONENTS_V2) {
    walk(components as Obj[], [...base, 'components']);
    if (count > 40) errors.add([...base, 'components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 40 or fewer in length.');
    return;
  }
  if (components.length > 5) errors.add([...base, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  (components as Obj[]).forEach((row, i) => {
    const p = [...base, 'components', i];
    if (row?.type !== 1) {
      errors.add([...p, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    const children: Obj[] = Array.isArray(row.components) ? row.components : [];
    if (children.length < 1 || children.length > 5) {
      errors.add([...p, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    const hasSelect = children.some((c) => [3, 5, 6, 7, 8].includes(c?.type));
    if (hasSelect && children.length > 1) {
      errors.add([...p, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
    }
    children.forEach((c, j) => checkLeaf(c ?? {}, [...p, 'components', j]));
  });
}

/**
 * Validates a message create/edit body. Returns field errors (for 50035) or null.
 * `base` nests the error tree (e.g. ['data'] for interaction callbacks).
 */
function validateMessageBody(body: Obj, base: Array<string | number> = []): Obj | null {
  const errors = new ErrorTree();
  if (body.content !== undefined && body.content !== null) {
    if (typeof body.content !== 'string') errors.add([...base, 'content'], 'BASE_TYPE_STRING', 'Must be a string.');
    else if (strLen(body.content) > 2000) errors.add([...base, 'content'], 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  }
  const flags = Number(body.flags ?? 0);
  if (flags & MESSAGE_FLAG_COMPONENTS_V2) {
    if (body.content) errors.add([...base, 'content'], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'content\' field cannot be used when using MessageFlags.IS_COMPONENTS_V2');
    if (Array.isArray(body.embeds) && body.embeds.length) errors.add([...base, 'embeds'], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'embeds\' field cannot be used when using MessageFlags.IS_COMPONENTS_V2');
  }
  validateEmbeds(body.embeds, errors, base);
  validateComponents(body.components, flags, errors, base);
  const am = body.allowed_mentions;
  if (am && typeof am === 'object') {
    const parse: unknown[] = Array.isArray(am.parse) ? am.parse : [];
    for (const v of parse) {
      if (!['users', 'roles', 'everyone'].includes(String(v))) {
        errors.add([...base, 'allowed_mentions', 'parse'], 'ENUM_TYPE_COERCE', `Value "${String(v)}" is not a valid enum value.`);
      }
    }
    if (parse.includes('users') && Array.isArray(am.users) && am.users.length) {
      errors.add([...base, 'allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', 'parse:["users"] and users: [ids...] are mutually exclusive.');
    }
    if (parse.includes('roles') && Array.isArray(am.roles) && am.roles.length) {
      errors.add([...base, 'allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', 'parse:["roles"] and roles: [ids...] are mutually exclusive.');
    }
    if (Array.isArray(am.users) && am.users.length > 100) errors.add([...base, 'allowed_mentions', 'users'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  }
  return errors.empty ? null : errors.root;
}

function isEmptyMessage(m: Obj, fileCount: number): boolean {
  const hasContent = typeof m.content === 'string' && m.content.length > 0;
  const hasEmbeds = Array.isArray(m.embeds) && m.embeds.length > 0;
  const hasComponents = Array.isArray(m.components) && m.components.length > 0;
  const hasAttachments = fileCount > 0 || (Array.isArray(m.attachments) && m.attachments.length > 0);
  const hasStickers = Array.isArray(m.sticker_ids) && m.sticker_ids.length > 0;
  return !(hasContent || hasEmbeds || hasComponents || hasAttachments || hasStickers || m.poll);
}

// ---------------------------------------------------------------------------------------------
// Gateway connection/session state
// ---------------------------------------------------------------------------------------------

interface Conn {
  id: number;
  ws: WebSocket;
  url: string;
  /** Identified or resumed on this connection. */
  authed: boolean;
  session: Session | null;
  deflate: zlib.Deflate | null;
  identifyCompress: boolean;
  sendChain: Promise<void>;
}

interface Session {
  id: string;
  shard: [number, number];
  token: string;
  intents: number;
  seq: number;
  buffer: Array<{ op: 0; t: string; s: number; d: unknown }>;
  conn: Conn | null;
  valid: boolean;
  presence: unknown;
  /** Highest seq actually written to a socket (to report events lost on re-identify). */
  deliveredSeq: number;
}

const MAX_REPLAY_BUFFER = 2000;

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
}

interface Route {
  method: string;
  parts: string[];
  auth: boolean;
  handler: (ctx: Ctx, p: Record<string, string>) => HttpResult | Promise<HttpResult>;
}

interface Ctx {
  req: RecordedRequest;
  body: Obj | undefined;
  files: UploadedFile[];
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

export class FakeDiscord {
  readonly ids: {
    guildId: string;
    channelId: string;
    readonlyChannelId: string;
    botId: string;
    applicationId: string;
    userId: string;
    modUserId: string;
    ownerId: string;
    modRoleId: string;
    botRoleId: string;
  };
  readonly botUser: FakeUser;
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  /** Every message the fake knows (sent by simulated users or by the bot). */
  readonly messages = new Map<string, Obj>();
  readonly interactions = new Map<string, InteractionState>();
  readonly globalCommands: StoredCommand[] = [];
  readonly guildCommands = new Map<string, StoredCommand[]>();
  /** All REST requests, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Requests that hit no route (answered 404) — a bot calling something unexpected. */
  readonly unhandledRequests: RecordedRequest[] = [];
  /** Messages/edits/autocomplete results the bot successfully produced. */
  readonly botOutputs: BotOutput[] = [];
  readonly gatewayLog: GatewayLogEntry[] = [];
  /** Last op 3 presence sent by the bot. */
  presence: unknown = null;

  private readonly opts: Required<Omit<FakeDiscordOptions, 'token' | 'bot' | 'applicationId' | 'users' | 'guilds' | 'debug' | 'port'>> & {
    token?: string;
  };
  private readonly log: (line: string) => void;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<Socket>();
  private readonly conns = new Set<Conn>();
  /** Gateway sessions by shard id. */
  private readonly sessions = new Map<number, Session>();
  private nextConnId = 1;
  private nextReqSeq = 1;
  private failRules: Array<FailRule & { remaining: number }> = [];
  private requestWaiters: Array<Waiter<RecordedRequest>> = [];
  private gatewayWaiters: Array<Waiter<GatewayLogEntry>> = [];
  private outputWaiters: Array<Waiter<BotOutput>> = [];
  private readonly dmChannelByUser = new Map<string, string>();
  private readonly pendingOutputs = new Map<RecordedRequest, BotOutput[]>();
  private readonly routes: Route[] = [];
  private port = 0;
  private closed = false;

  constructor(options: FakeDiscordOptions = {}) {
    const botId = options.bot?.id ?? DEFAULT_IDS.botId;
    this.ids = {
      ...DEFAULT_IDS,
      guildId: options.guilds?.[0]?.id ?? DEFAULT_IDS.guildId,
      botId,
      applicationId: options.applicationId ?? botId,
    };
    this.opts = {
      token: options.token,
      shards: options.shards ?? 1,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41250,
      interactionAckTimeoutMs: options.interactionAckTimeoutMs ?? 3000,
      interactionTokenTtlMs: options.interactionTokenTtlMs ?? 15 * 60_000,
      echoBotMessages: options.echoBotMessages ?? true,
      enabledPrivilegedIntents: options.enabledPrivilegedIntents ?? PRIVILEGED_INTENTS,
      maxUploadBytes: options.maxUploadBytes ?? 10 * 1024 * 1024,
    };
    this.log =
      typeof options.debug === 'function'
        ? options.debug
        : options.debug
          ? (line) => console.error(`[fake-discord] ${line}`)
          : () => {};

    this.botUser = { id: botId, username: options.bot?.username ?? 'TestBot', global_name: options.bot?.global_name ?? null, bot: true };
    this.users.set(botId, this.botUser);
    const users = options.users ?? [
      { id: DEFAULT_IDS.userId, username: 'alice', global_name: 'Alice' },
      { id: DEFAULT_IDS.modUserId, username: 'mod', global_name: 'Mod' },
      { id: DEFAULT_IDS.ownerId, username: 'owner', global_name: 'Owner' },
    ];
    for (const u of users) this.users.set(u.id, { ...u });

    const inits: FakeGuildInit[] = options.guilds ?? [
      {
        id: DEFAULT_IDS.guildId,
        name: 'Test Guild',
        ownerId: DEFAULT_IDS.ownerId,
        roles: [{ id: DEFAULT_IDS.modRoleId, name: 'Moderator', permissions: Perm.ManageGuild | Perm.ManageMessages, position: 1 }],
        channels: [
          { id: DEFAULT_IDS.channelId, name: 'general', type: ChannelTypes.GuildText },
          {
            id: DEFAULT_IDS.readonlyChannelId,
            name: 'announcements',
            type: ChannelTypes.GuildText,
            permissionOverwrites: [{ id: DEFAULT_IDS.guildId, type: 0, deny: Perm.SendMessages }],
          },
        ],
        members: [
          { userId: DEFAULT_IDS.userId, roles: [] },
          { userId: DEFAULT_IDS.modUserId, roles: [DEFAULT_IDS.modRoleId] },
          { userId: DEFAULT_IDS.ownerId, roles: [] },
        ],
      },
    ];
    for (const init of inits) this.addGuildInternal(init);
    const firstGuild = this.guilds.get(this.ids.guildId);
    const firstText = firstGuild?.channels.find((c) => c.type === ChannelTypes.GuildText);
    if (firstText) this.ids.channelId = firstText.id;
    if (options.users?.[0]) this.ids.userId = options.users[0].id;

    this.registerRoutes();
    this.server = http.createServer((req, res) => void this.handleHttp(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!url.pathname.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGatewayConnection(ws, req.url ?? '/'));
    });
  }

  /** Start listening on 127.0.0.1. */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }
  /** Distinct path so tests can check that resumes use resume_gateway_url. */
  get resumeGatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway/resume`;
  }

  /** Current gateway session of the lowest shard (null before the first IDENTIFY). */
  get sessionInfo(): SessionInfo | null {
    const s = this.session;
    return s ? this.info(s) : null;
  }
  /** Every shard's session, by shard id. */
  get shardSessions(): SessionInfo[] {
    return [...this.sessions.values()].sort((a, b) => a.shard[0] - b.shard[0]).map((s) => this.info(s));
  }
  /** Which shard Discord sends a guild's events to: (guild_id >> 22) % count; DMs (null) go to shard 0. */
  static shardOf(guildId: string | null | undefined, count: number): number {
    return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(count)) : 0;
  }
  private info(s: Session): SessionInfo {
    return { id: s.id, shard: [...s.shard], token: s.token, intents: s.intents, seq: s.seq, valid: s.valid, connected: !!s.conn && s.conn.ws.readyState === WebSocket.OPEN };
  }
  /** The lowest shard's session: the default target of the fault helpers. */
  private get session(): Session | null {
    const ids = [...this.sessions.keys()].sort((a, b) => a - b);
    return ids.length ? this.sessions.get(ids[0]!)! : null;
  }
  private sessionOf(shard: number | undefined): Session | null {
    return shard === undefined ? this.session : (this.sessions.get(shard) ?? null);
  }
  get identifyCount(): number {
    return this.gatewayLog.filter((e) => e.kind === 'identify').length;
  }
  get resumeCount(): number {
    return this.gatewayLog.filter((e) => e.kind === 'resumed').length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.conns) c.ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const s of this.sockets) s.destroy();
    });
  }

  // -------------------------------------------------------------------------------------------
  // World setup
  // -------------------------------------------------------------------------------------------

  private addGuildInternal(init: FakeGuildInit): FakeGuild {
    const id = init.id ?? snowflake();
    const botRole: FakeRole = {
      // ids.botRoleId names the bot's role in the first guild.
      id: this.guilds.size === 0 ? DEFAULT_IDS.botRoleId : snowflake(),
      name: this.botUser.username,
      permissions: init.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      position: 2,
      managed: true,
      botId: this.botUser.id,
    };
    const guild: FakeGuild = {
      id,
      name: init.name ?? 'Test Guild',
      ownerId: init.ownerId ?? DEFAULT_IDS.ownerId,
      roles: [
        { id, name: '@everyone', permissions: init.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS, position: 0 },
        botRole,
        ...(init.roles ?? []),
      ],
      channels: (init.channels ?? [{ id: snowflake(), name: 'general', type: ChannelTypes.GuildText }]).map((c) => ({ ...c, guildId: id })),
      members: [{ userId: this.botUser.id, roles: [botRole.id] }, ...(init.members ?? []).map((m) => ({ ...m, roles: [...m.roles] }))],
    };
    for (const m of guild.members) {
      if (!this.users.has(m.userId)) this.users.set(m.userId, { id: m.userId, username: `user${m.userId.slice(-4)}` });
    }
    this.guilds.set(id, guild);
    for (const c of guild.channels) this.channels.set(c.id, c);
    return guild;
  }

  /** Add a guild at runtime (the bot "joins" it): dispatches GUILD_CREATE. */
  addGuild(init: FakeGuildInit): FakeGuild {
    const g = this.addGuildInternal(init);
    const s = this.sessionForGuild(g.id);
    if (s) this.dispatch('GUILD_CREATE', this.guildCreatePayload(g, s.intents));
    return g;
  }

  /** Register (or fetch) a user; unknown users also join the given guild as plain members. */
  ensureUser(ref: UserRef | undefined, guildId?: string): FakeUser {
    let user: FakeUser;
    if (ref === undefined) user = this.users.get(this.ids.userId) ?? { id: this.ids.userId, username: 'alice' };
    else if (typeof ref === 'string') user = this.users.get(ref) ?? { id: ref, username: `user${ref.slice(-4)}` };
    else {
      const id = ref.id ?? snowflake();
      user = { ...(this.users.get(id) ?? { username: `user${id.slice(-4)}` }), ...ref, id } as FakeUser;
    }
    this.users.set(user.id, user);
    if (guildId) {
      const g = this.guilds.get(guildId);
      if (g && !g.members.some((m) => m.userId === user.id)) g.members.push({ userId: user.id, roles: [] });
    }
    return user;
  }

  /** Get or create the DM channel between the bot and a user. */
  dmChannelFor(userId: string): FakeChannel {
    let id = this.dmChannelByUser.get(userId);
    if (!id) {
      id = snowflake();
      this.dmChannelByUser.set(userId, id);
      this.channels.set(id, { id, name: '', type: ChannelTypes.DM, recipientId: userId });
    }
    return this.channels.get(id)!;
  }

  /** Member's permissions in a channel: roles + owner/admin + channel overwrites, like Discord. */
  permissionsFor(guildId: string, userId: string, channelId?: string): bigint {
    const g = this.guilds.get(guildId);
    if (!g) return 0n;
    if (g.ownerId === userId) return ALL_PERMISSIONS;
    const member = g.members.find((m) => m.userId === userId);
    const everyone = g.roles.find((r) => r.id === g.id);
    let perms = everyone?.permissions ?? 0n;
    for (const rid of member?.roles ?? []) perms |= g.roles.find((r) => r.id === rid)?.permissions ?? 0n;
    if (perms & Perm.Administrator) return ALL_PERMISSIONS;
    const channel = channelId ? this.channels.get(channelId) : undefined;
    const ows = channel?.permissionOverwrites ?? [];
    const ev = ows.find((o) => o.id === g.id);
    if (ev) perms = (perms & ~(ev.deny ?? 0n)) | (ev.allow ?? 0n);
    let allow = 0n;
    let deny = 0n;
    for (const o of ows) {
      if (o.type === 0 && o.id !== g.id && member?.roles.includes(o.id)) {
        allow |= o.allow ?? 0n;
        deny |= o.deny ?? 0n;
      }
    }
    perms = (perms & ~deny) | allow;
    const mo = ows.find((o) => o.type === 1 && o.id === userId);
    if (mo) perms = (perms & ~(mo.deny ?? 0n)) | (mo.allow ?? 0n);
    return perms;
  }

  // -------------------------------------------------------------------------------------------
  // API object builders
  // -------------------------------------------------------------------------------------------

  apiUser(u: FakeUser): Obj {
    return {
      id: u.id,
      username: u.username,
      discriminator: '0',
      global_name: u.global_name ?? null,
      avatar: null,
      ...(u.bot ? { bot: true } : {}),
      public_flags: 0,
      flags: 0,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      primary_guild: null,
    };
  }

  apiMember(g: FakeGuild, m: FakeMember, withUser = true): Obj {
    const u = this.users.get(m.userId) ?? { id: m.userId, username: 'unknown' };
    return {
      ...(withUser ? { user: this.apiUser(u) } : {}),
      nick: m.nick ?? null,
      avatar: null,
      banner: null,
      roles: [...m.roles],
      joined_at: m.joinedAt ?? '2024-01-01T00:00:00.000000+00:00',
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
  }

  apiRole(r: FakeRole, position: number): Obj {
    return {
      id: r.id,
      name: r.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: r.position ?? position,
      permissions: r.permissions.toString(),
      managed: r.managed ?? false,
      mentionable: false,
      flags: 0,
      ...(r.botId ? { tags: { bot_id: r.botId } } : {}),
    };
  }

  apiChannel(c: FakeChannel, position = 0): Obj {
    if (c.type === ChannelTypes.DM) {
      const u = this.users.get(c.recipientId ?? '') ?? { id: c.recipientId ?? '0', username: 'unknown' };
      return { id: c.id, type: 1, last_message_id: null, flags: 0, recipients: [this.apiUser(u)] };
    }
    return {
      id: c.id,
      type: c.type,
      guild_id: c.guildId,
      name: c.name,
      position,
      permission_overwrites: (c.permissionOverwrites ?? []).map((o) => ({
        id: o.id,
        type: o.type,
        allow: (o.allow ?? 0n).toString(),
        deny: (o.deny ?? 0n).toString(),
      })),
      topic: c.topic ?? null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: c.parentId ?? null,
      flags: 0,
      ...(c.type === ChannelTypes.PublicThread
        ? {
            owner_id: c.ownerId,
            member_count: 1,
            message_count: [...this.messages.values()].filter((m) => m.channel_id === c.id).length,
            thread_metadata: { archived: false, auto_archive_duration: c.autoArchiveDuration ?? 1440, archive_timestamp: new Date().toISOString(), locked: false },
          }
        : {}),
    };
  }

  apiGuild(g: FakeGuild): Obj {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: g.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: g.roles.map((r, i) => this.apiRole(r, i)),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
    };
  }

  private guildCreatePayload(g: FakeGuild, intents: number): Obj {
    // Like Discord: without GUILD_MEMBERS only the bot's own member is included.
    const members = intents & Intents.GuildMembers ? g.members : g.members.filter((m) => m.userId === this.botUser.id);
    const bot = g.members.find((m) => m.userId === this.botUser.id);
    return {
      ...this.apiGuild(g),
      unavailable: false,
      large: false,
      member_count: g.members.length,
      joined_at: bot?.joinedAt ?? '2024-01-01T00:00:00.000000+00:00',
      channels: g.channels.map((c, i) => this.apiChannel(c, i)),
      threads: [],
      members: members.map((m) => this.apiMember(g, m)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  private apiApplication(): Obj {
    return {
      id: this.ids.applicationId,
      name: this.botUser.username,
      icon: null,
      description: 'fake application',
      summary: '',
      type: null,
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      owner: this.apiUser(this.users.get(this.ids.ownerId) ?? { id: this.ids.ownerId, username: 'owner' }),
      team: null,
      bot: this.apiUser(this.botUser),
      approximate_guild_count: this.guilds.size,
      integration_types_config: { '0': {} },
    };
  }

  private mentionsFor(content: string, guildId: string | undefined): { users: Obj[]; roles: string[]; everyone: boolean } {
    const ids = new Set<string>();
    for (const m of content.matchAll(/<@!?(\d+)>/g)) if (m[1]) ids.add(m[1]);
    const users: Obj[] = [];
    const g = guildId ? this.guilds.get(guildId) : undefined;
    for (const id of ids) {
      const u = this.users.get(id);
      if (!u) continue;
      const member = g?.members.find((m) => m.userId === id);
      users.push({ ...this.apiUser(u), ...(g && member ? { member: this.apiMember(g, member, false) } : {}) });
    }
    const roles = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? '').filter(Boolean);
    return { users, roles, everyone: /@(everyone|here)\b/.test(content) };
  }

  // -------------------------------------------------------------------------------------------
  // Test helpers: simulated users
  // -------------------------------------------------------------------------------------------

  /** Where a simulated user acts: a DM with the bot, a given channel, or a guild's first text channel. */
  private resolveWhere(o: { dm?: boolean; channelId?: string; guildId?: string }, userRef: UserRef | undefined): { channel: FakeChannel; user: FakeUser; guildId?: string } {
    if (o.dm) {
      const user = this.ensureUser(userRef);
      return { channel: this.dmChannelFor(user.id), user };
    }
    const channelId =
      o.channelId ??
      (o.guildId ? this.guilds.get(o.guildId)?.channels.find((c) => c.type === ChannelTypes.GuildText)?.id : this.ids.channelId);
    const channel = channelId ? this.channels.get(channelId) : undefined;
    if (!channel) throw new Error(`fake-discord: unknown channel ${String(channelId)}`);
    if (channel.type === ChannelTypes.DM) return { channel, user: this.ensureUser(userRef ?? channel.recipientId) };
    return { channel, user: this.ensureUser(userRef, channel.guildId), guildId: channel.guildId };
  }

  /** A user posts a message; dispatches MESSAGE_CREATE (subject to intents). Returns the message id. */
  sendMessage(opts: SendMessageOptions = {}): string {
    const { channel, user: author, guildId } = this.resolveWhere(opts, opts.author);
    let content = opts.content ?? '';
    const botMention = new RegExp(`<@!?${this.botUser.id}>`);
    if (opts.mentionsBot && !botMention.test(content)) content = `<@${this.botUser.id}> ${content}`;
    const mentions = this.mentionsFor(content, guildId);
    let referenced: Obj | undefined;
    if (opts.replyTo) {
      referenced = this.messages.get(opts.replyTo);
      if (!referenced) throw new Error(`fake-discord: unknown message ${opts.replyTo} to reply to`);
      const refAuthor = referenced.author as Obj;
      if (opts.mentionRepliedUser !== false && !mentions.users.some((u) => u.id === refAuthor.id)) {
        mentions.users.push(refAuthor);
      }
    }
    const g = guildId ? this.guilds.get(guildId) : undefined;
    const member = g?.members.find((m) => m.userId === author.id);
    const id = snowflake();
    const message: Obj = {
      id,
      type: referenced ? 19 : 0,
      channel_id: channel.id,
      author: this.apiUser(author),
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: mentions.everyone,
      mentions: mentions.users,
      mention_roles: mentions.roles,
      attachments: [],
      embeds: opts.embeds ?? [],
      pinned: false,
      flags: 0,
      components: [],
      nonce: id,
      ...(referenced
        ? {
            message_reference: { type: 0, channel_id: channel.id, message_id: referenced.id, ...(guildId ? { guild_id: guildId } : {}) },
            referenced_message: referenced,
          }
        : {}),
    };
    this.messages.set(id, message);
    this.dispatch('MESSAGE_CREATE', {
      ...message,
      ...(guildId ? { guild_id: guildId } : {}),
      ...(g && member ? { member: this.apiMember(g, member, false) } : {}),
      channel_type: channel.type,
    });
    return id;
  }

  private resolveCommandDef(name: string, guildId: string | undefined, type: number): StoredCommand | undefined {
    const guildList = guildId ? (this.guildCommands.get(guildId) ?? []) : [];
    return guildList.find((c) => c.name === name && c.type === type) ?? this.globalCommands.find((c) => c.name === name && c.type === type);
  }

  private buildOptions(
    input: OptionsInput | undefined,
    defs: Obj[] | undefined,
    guildId: string | undefined,
    focused: string | undefined,
    resolved: Obj,
  ): Obj[] {
    if (Array.isArray(input)) return input;
    const out: Obj[] = [];
    for (const [name, value] of Object.entries(input ?? {})) {
      const def = defs?.find((d) => d.name === name);
      const type: number = def?.type ?? (typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3);
      const opt: Obj = { name, type, value };
      if (name === focused) {
        // Autocomplete sends the raw partial text typed so far.
        opt.focused = true;
        opt.value = String(value);
      } else if (type === 6 || type === 9) {
        const u = this.users.get(String(value));
        if (u) {
          (resolved.users ??= {})[u.id] = this.apiUser(u);
          const g = guildId ? this.guilds.get(guildId) : undefined;
          const m = g?.members.find((x) => x.userId === u.id);
          if (g && m) (resolved.members ??= {})[u.id] = { ...this.apiMember(g, m, false), permissions: this.permissionsFor(g.id, u.id).toString() };
        }
      } else if (type === 7) {
        const c = this.channels.get(String(value));
        if (c) (resolved.channels ??= {})[c.id] = { ...this.apiChannel(c), permissions: ALL_PERMISSIONS.toString() };
      } else if (type === 8) {
        const g = guildId ? this.guilds.get(guildId) : undefined;
        const r = g?.roles.find((x) => x.id === String(value));
        if (r) (resolved.roles ??= {})[r.id] = this.apiRole(r, 0);
      }
      out.push(opt);
    }
    return out;
  }

  private commandData(o: CommandInteractionOptions, guildId: string | undefined, focused?: string): Obj {
    const type = o.commandType ?? 1;
    const def = this.resolveCommandDef(o.name, guildId, type);
    let defs: Obj[] | undefined = def?.options;
    if (o.subcommandGroup) defs = defs?.find((d) => d.name === o.subcommandGroup)?.options;
    if (o.subcommand) defs = defs?.find((d) => d.name === o.subcommand)?.options;
    const resolved: Obj = {};
    let options = this.buildOptions(o.options, defs, guildId, focused, resolved);
    if (o.subcommand) options = [{ name: o.subcommand, type: 1, options }];
    if (o.subcommandGroup) options = [{ name: o.subcommandGroup, type: 2, options }];
    return {
      id: def?.id ?? snowflake(),
      name: o.name,
      type,
      ...(def?.guild_id ? { guild_id: def.guild_id } : {}),
      ...(type === 1 ? { options } : {}),
      ...(o.targetId ? { target_id: o.targetId } : {}),
      ...(Object.keys(resolved).length ? { resolved } : {}),
    };
  }

  /** Low-level: build and dispatch INTERACTION_CREATE of any type. */
  sendInteraction(type: number, data: Obj, base: InteractionBaseOptions = {}, message?: Obj): InteractionRef {
    const { channel, user, guildId } = this.resolveWhere(base, base.user);
    const isDm = guildId === undefined;
    const g = guildId ? this.guilds.get(guildId) : undefined;
    const id = snowflake();
    const token = `fake-interaction-token.${id}.${randomBytes(12).toString('hex')}`;
    const appPerms = toBig(base.appPermissions, g ? this.permissionsFor(g.id, this.botUser.id, channel.id) : DEFAULT_BOT_PERMISSIONS);
    const member = g?.members.find((m) => m.userId === user.id);
    const payload: Obj = {
      id,
      application_id: this.ids.applicationId,
      type,
      token,
      version: 1,
      data,
      channel_id: channel.id,
      channel: isDm ? this.apiChannel(channel) : { ...this.apiChannel(channel), permissions: toBig(base.permissions, this.permissionsFor(g!.id, user.id, channel.id)).toString() },
      locale: base.locale ?? 'en-US',
      app_permissions: appPerms.toString(),
      entitlements: [],
      authorizing_integration_owners: isDm ? { '1': user.id } : { '0': guildId },
      context: isDm ? 1 : 0,
      attachment_size_limit: this.opts.maxUploadBytes,
      ...(message ? { message } : {}),
    };
    if (g && member) {
      payload.guild_id = g.id;
      payload.guild = { id: g.id, locale: 'en-US', features: [] };
      payload.guild_locale = 'en-US';
      payload.member = {
        ...this.apiMember(g, member, true),
        permissions: toBig(base.permissions, this.permissionsFor(g.id, user.id, channel.id)).toString(),
      };
    } else {
      payload.user = this.apiUser(user);
    }
    const state: InteractionState = {
      id,
      token,
      applicationId: this.ids.applicationId,
      type,
      createdAt: Date.now(),
      channelId: channel.id,
      guildId: g?.id ?? null,
      ackType: null,
      ackedAt: null,
      originalMessageId: message ? (message.id as string) : null,
      followupIds: [],
      deferredConsumed: false,
      payload,
    };
    this.interactions.set(id, state);
    this.dispatch('INTERACTION_CREATE', payload);
    return { id, token, applicationId: this.ids.applicationId, type };
  }

  /** A user runs a slash command (type 2). Option types come from registered commands if any. */
  sendCommand(o: CommandInteractionOptions): InteractionRef {
    const guildId = this.resolveWhere(o, o.user).guildId;
    return this.sendInteraction(2, this.commandData(o, guildId), o);
  }

  /** A user types into an autocomplete option (type 4). */
  sendAutocomplete(o: AutocompleteInteractionOptions): InteractionRef {
    const guildId = this.resolveWhere(o, o.user).guildId;
    const options = Array.isArray(o.options) ? o.options : { ...(o.options ?? {}), [o.focused]: (o.options as Obj | undefined)?.[o.focused] ?? '' };
    return this.sendInteraction(4, this.commandData({ ...o, options }, guildId, o.focused), o);
  }

  /** A user clicks a button / uses a select menu (type 3) on a message. */
  sendButton(o: ComponentInteractionOptions): InteractionRef {
    let message: Obj | undefined;
    const channelId = this.resolveWhere(o, o.user).channel.id;
    if (o.messageId) {
      message = this.messages.get(o.messageId);
      if (!message) throw new Error(`fake-discord: unknown message ${o.messageId}`);
    } else {
      const hasId = (list: unknown): boolean =>
        Array.isArray(list) && list.some((c: Obj) => c?.custom_id === o.customId || hasId(c?.components) || c?.accessory?.custom_id === o.customId);
      message = [...this.messages.values()].reverse().find((m) => m.channel_id === channelId && m.author?.id === this.botUser.id && hasId(m.components));
    }
    if (!message) {
      // Synthesize a bot message carrying the button, so tests need not send one first.
      const id = snowflake();
      message = this.botMessage(channelId, id, {
        content: '',
        components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Button', custom_id: o.customId }] }],
      });
      this.messages.set(id, message);
    }
    const componentType = o.componentType ?? 2;
    return this.sendInteraction(
      3,
      { custom_id: o.customId, component_type: componentType, ...(componentType !== 2 ? { values: o.values ?? [] } : {}) },
      { ...o, channelId: o.dm ? undefined : channelId },
      message,
    );
  }

  /**
   * Dispatch any gateway event (subject to intent filtering) on the session of the shard its guild
   * belongs to (or `shard`). Returns the seq, or null if filtered or no session has that shard.
   */
  dispatch(t: string, d: Obj, shard?: number): number | null {
    if (this.sessions.size === 0) throw new Error(`fake-discord: cannot dispatch ${t}: no client has identified yet (wait for clientReady)`);
    const s = shard === undefined ? this.sessionForGuild(guildOfEvent(t, d)) : (this.sessions.get(shard) ?? null);
    if (!s) {
      this.gatewayEvent({ kind: 'filtered', connId: 0, t, detail: `no session for the shard of guild ${String(guildOfEvent(t, d))}` });
      return null;
    }
    if (!this.deliverable(t, d, s.intents)) {
      this.gatewayEvent({ kind: 'filtered', connId: s.conn?.id ?? 0, t, detail: 'missing intent' });
      return null;
    }
    const payload = { op: 0 as const, t, s: ++s.seq, d: this.transformForIntents(t, d, s.intents) };
    s.buffer.push(payload);
    if (s.buffer.length > MAX_REPLAY_BUFFER) s.buffer.shift();
    if (s.conn && s.conn.authed && s.conn.ws.readyState === WebSocket.OPEN) this.send(s.conn, payload);
    else this.gatewayEvent({ kind: 'send', connId: 0, op: 0, t, s: payload.s, detail: 'queued (client disconnected)' });
    return payload.s;
  }

  /** The session that gets a guild's events (DMs: shard 0), if that shard is connected. */
  private sessionForGuild(guildId: string | null | undefined): Session | null {
    for (const s of this.sessions.values()) if (s.shard[0] === FakeDiscord.shardOf(guildId, s.shard[1])) return s;
    return null;
  }

  private deliverable(t: string, d: Obj, intents: number): boolean {
    const inGuild = d.guild_id !== undefined && d.guild_id !== null;
    if (t.startsWith('MESSAGE_REACTION_')) return !!(intents & (inGuild ? Intents.GuildMessageReactions : Intents.DirectMessageReactions));
    if (t.startsWith('MESSAGE_')) return !!(intents & (inGuild ? Intents.GuildMessages : Intents.DirectMessages));
    if (t === 'TYPING_START') return !!(intents & (inGuild ? Intents.GuildMessageTyping : Intents.DirectMessageTyping));
    if (t.startsWith('GUILD_MEMBER_') && t !== 'GUILD_MEMBERS_CHUNK') return !!(intents & Intents.GuildMembers);
    if (t === 'PRESENCE_UPDATE') return !!(intents & Intents.GuildPresences);
    if (t.startsWith('GUILD_') || t.startsWith('CHANNEL_') || t.startsWith('THREAD_')) {
      if (t === 'GUILD_MEMBERS_CHUNK') return true;
      return !!(intents & Intents.Guilds);
    }
    return true;
  }

  /** Without MESSAGE_CONTENT, Discord blanks content/embeds/attachments/components/poll. */
  private transformForIntents(t: string, d: Obj, intents: number): Obj {
    if (t !== 'MESSAGE_CREATE' && t !== 'MESSAGE_UPDATE') return d;
    if (intents & Intents.MessageContent) return d;
    const isDm = d.guild_id === undefined || d.guild_id === null;
    const fromBot = d.author?.id === this.botUser.id;
    const mentioned = Array.isArray(d.mentions) && d.mentions.some((u: Obj) => u?.id === this.botUser.id);
    if (isDm || fromBot || mentioned) return d;
    const { poll: _poll, ...rest } = d;
    return { ...rest, content: '', embeds: [], attachments: [], components: [] };
  }

  // -------------------------------------------------------------------------------------------
  // Test helpers: gateway fault injection
  // -------------------------------------------------------------------------------------------

  /** Close a shard's gateway connection (default: the lowest shard's) with a close code (4000 → client resumes). */
  closeGateway(code = 4000, reason = 'fake-discord: closed by test', shard?: number): boolean {
    const session = this.sessionOf(shard);
    const conn = session?.conn;
    if (!session || !conn || conn.ws.readyState !== WebSocket.OPEN) return false;
    // Discord invalidates the session for these codes; the client must re-identify.
    if ([4007, 4009].includes(code)) session.valid = false;
    this.gatewayEvent({ kind: 'close', connId: conn.id, code, detail: 'closed by server' });
    conn.ws.close(code, reason);
    return true;
  }

  /** Send op 7 Reconnect: the client should reconnect and RESUME. */
  sendReconnect(shard?: number): boolean {
    const conn = this.sessionOf(shard)?.conn;
    if (!conn || conn.ws.readyState !== WebSocket.OPEN) return false;
    this.gatewayEvent({ kind: 'reconnect', connId: conn.id });
    this.send(conn, { op: 7, d: null });
    return true;
  }

  /** Send op 9 Invalid Session. resumable=false invalidates the session (client re-identifies). */
  sendInvalidSession(resumable: boolean, shard?: number): boolean {
    const session = this.sessionOf(shard);
    const conn = session?.conn;
    if (!session || !conn || conn.ws.readyState !== WebSocket.OPEN) return false;
    if (!resumable) session.valid = false;
    this.gatewayEvent({ kind: 'invalid-session', connId: conn.id, detail: { resumable } });
    this.send(conn, { op: 9, d: resumable });
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Test helpers: REST fault injection and waiting
  // -------------------------------------------------------------------------------------------

  /** Make the next `count` matching REST requests fail (429 with Discord's rate-limit headers, 5xx, 403 …). */
  failNext(rule: FailRule): void {
    this.failRules.push({ ...rule, remaining: rule.count ?? 1 });
  }

  /**
   * Resolves with the first answered request matching the predicate — including requests that
   * were already answered (so there is no race), hence `clearRecords()` between tests.
   */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.waitFor(
      this.requests.filter((r) => r.status !== undefined),
      this.requestWaiters,
      predicate,
      timeoutMs,
      () => `requests so far:\n${this.requests.map((r) => `  ${r.method} ${r.path} → ${String(r.status)}`).join('\n')}`,
    );
  }

  /** Resolves with the first bot output (message, edit, follow-up, autocomplete) matching. */
  waitForBotOutput(predicate: (o: BotOutput) => boolean = () => true, timeoutMs = 5000): Promise<BotOutput> {
    return this.waitFor(this.botOutputs, this.outputWaiters, predicate, timeoutMs, () =>
      `bot outputs so far:\n${this.botOutputs.map((o) => `  ${o.via}: ${JSON.stringify(o.message.content ?? o.message).slice(0, 120)}`).join('\n')}`,
    );
  }

  /** Resolves with the first gateway log entry (past or future) matching. */
  waitForGateway(predicate: (e: GatewayLogEntry) => boolean, timeoutMs = 5000): Promise<GatewayLogEntry> {
    return this.waitFor(this.gatewayLog, this.gatewayWaiters, predicate, timeoutMs, () =>
      `gateway log tail:\n${this.gatewayLog.slice(-20).map((e) => `  ${e.kind} op=${String(e.op)} t=${String(e.t)} code=${String(e.code)}`).join('\n')}`,
    );
  }

  /** Forget recorded requests/outputs (not messages, sessions or commands). */
  clearRecords(): void {
    this.requests.length = 0;
    this.unhandledRequests.length = 0;
    this.botOutputs.length = 0;
  }

  private waitFor<T>(
    existing: T[],
    waiters: Array<Waiter<T>>,
    predicate: (item: T) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    const found = existing.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i !== -1) waiters.splice(i, 1);
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms\n${describe()}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  }

  private notify<T>(waiters: Array<Waiter<T>>, item: T): void {
    for (const w of [...waiters]) {
      if (w.predicate(item)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(item);
      }
    }
  }

  private gatewayEvent(e: Omit<GatewayLogEntry, 'at'>): void {
    let shard = e.shard;
    if (shard === undefined && e.connId) for (const c of this.conns) if (c.id === e.connId && c.session) shard = c.session.shard[0];
    const entry = { at: Date.now(), ...e, ...(shard !== undefined ? { shard } : {}) };
    this.gatewayLog.push(entry);
    if (e.kind !== 'recv' && e.kind !== 'send') this.log(`gateway ${e.kind} ${JSON.stringify({ ...e, kind: undefined })}`);
    this.notify(this.gatewayWaiters, entry);
  }

  // -------------------------------------------------------------------------------------------
  // Gateway
  // -------------------------------------------------------------------------------------------

  private onGatewayConnection(ws: WebSocket, rawUrl: string): void {
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const conn: Conn = { id: this.nextConnId++, ws, url: rawUrl, authed: false, session: null, deflate: null, identifyCompress: false, sendChain: Promise.resolve() };
    this.conns.add(conn);
    this.gatewayEvent({ kind: 'connect', connId: conn.id, url: rawUrl });
    if (url.searchParams.get('v') !== '10') {
      ws.close(4012, 'Invalid API version');
      return;
    }
    const encoding = url.searchParams.get('encoding') ?? 'json';
    if (encoding !== 'json') {
      ws.close(1003, 'fake-discord only supports encoding=json');
      return;
    }
    const compress = url.searchParams.get('compress');
    if (compress === 'zlib-stream') conn.deflate = zlib.createDeflate();
    else if (compress) {
      ws.close(1003, `fake-discord does not support compress=${compress}`);
      return;
    }
    ws.on('message', (data, isBinary) => this.onGatewayMessage(conn, data, isBinary));
    ws.on('close', (code) => {
      this.conns.delete(conn);
      conn.deflate?.close();
      this.gatewayEvent({ kind: 'client-close', connId: conn.id, code, ...(conn.session ? { shard: conn.session.shard[0] } : {}) });
      const s = conn.session;
      if (s && s.conn === conn) {
        s.conn = null;
        // Closing with 1000/1001 ends the session on Discord; anything else keeps it resumable.
        if (code === 1000 || code === 1001) s.valid = false;
      }
    });
    ws.on('error', () => {});
    this.send(conn, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs, _trace: ['fake-discord'] } });
  }

  private send(conn: Conn, payload: Obj): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    if (payload.op === 0 && conn.session && typeof payload.s === 'number') {
      conn.session.deliveredSeq = Math.max(conn.session.deliveredSeq, payload.s);
    }
    this.gatewayEvent({ kind: 'send', connId: conn.id, op: payload.op, t: payload.t ?? null, s: payload.s ?? null });
    const text = JSON.stringify(payload);
    if (conn.deflate) {
      const deflate = conn.deflate;
      // zlib-stream: one shared deflate context; each payload ends with a Z_SYNC_FLUSH (00 00 ff ff).
      conn.sendChain = conn.sendChain.then(
        () =>
          new Promise<void>((resolve) => {
            const chunks: Buffer[] = [];
            const onData = (c: Buffer): void => void chunks.push(c);
            deflate.on('data', onData);
            deflate.write(text);
            deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
              deflate.off('data', onData);
              if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(Buffer.concat(chunks));
              resolve();
            });
          }),
      );
    } else if (conn.identifyCompress && payload.op === 0) {
      conn.ws.send(zlib.deflateSync(text));
    } else {
      conn.ws.send(text);
    }
  }

  private onGatewayMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    let payload: Obj;
    try {
      if (isBinary) throw new Error('binary');
      payload = JSON.parse(data.toString()) as Obj;
    } catch {
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    this.gatewayEvent({ kind: 'recv', connId: conn.id, op: payload.op, detail: payload.op === 2 || payload.op === 6 ? { ...payload.d, token: '<redacted>' } : payload.d });
    switch (payload.op) {
      case 1: // Heartbeat
        this.send(conn, { op: 11 });
        return;
      case 2:
        this.onIdentify(conn, payload.d ?? {});
        return;
      case 6:
        this.onResume(conn, payload.d ?? {});
        return;
      case 3: // Presence update
      case 4: // Voice state update
      case 8: // Request guild members
      case 31: // Request soundboard sounds
        if (!conn.authed) {
          conn.ws.close(4003, 'Not authenticated.');
          return;
        }
        if (payload.op === 3) this.presence = payload.d;
        if (payload.op === 8) this.onRequestMembers(payload.d ?? {});
        return;
      default:
        conn.ws.close(4001, 'Unknown opcode.');
    }
  }

  private onIdentify(conn: Conn, d: Obj): void {
    if (conn.authed) {
      conn.ws.close(4005, 'Already authenticated.');
      return;
    }
    const token = String(d.token ?? '').replace(/^Bot\s+/i, '');
    if (!token || (this.opts.token !== undefined && token !== this.opts.token)) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    if (typeof d.intents !== 'number' || !Number.isInteger(d.intents) || d.intents < 0 || d.intents >= 1 << 26) {
      conn.ws.close(4013, 'Invalid intent(s).');
      return;
    }
    if (d.intents & PRIVILEGED_INTENTS & ~this.opts.enabledPrivilegedIntents) {
      conn.ws.close(4014, 'Disallowed intent(s).');
      return;
    }
    const shard: [number, number] = Array.isArray(d.shard) ? [d.shard[0], d.shard[1]] : [0, 1];
    if (!shard.every(Number.isInteger) || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      conn.ws.close(4010, 'Invalid shard.');
      return;
    }
    const old = this.sessions.get(shard[0]) ?? null;
    if (old) {
      // Like Discord, a new session does not get the old session's undelivered events.
      const lost = old.buffer.filter((p) => p.s > old.deliveredSeq).map((p) => p.t);
      if (lost.length) this.gatewayEvent({ kind: 'dropped', connId: conn.id, detail: { oldSession: old.id, events: lost } });
      if (old.conn && old.conn !== conn) old.conn.session = null;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shard,
      token,
      intents: d.intents,
      seq: 0,
      buffer: [],
      conn,
      valid: true,
      presence: d.presence ?? null,
      deliveredSeq: 0,
    };
    if (d.presence) this.presence = d.presence;
    this.sessions.set(shard[0], session);
    conn.session = session;
    conn.authed = true;
    conn.identifyCompress = d.compress === true && !conn.deflate;
    this.gatewayEvent({ kind: 'identify', connId: conn.id, shard: shard[0], detail: { intents: d.intents, properties: d.properties, compress: d.compress, shard } });
    const guilds = [...this.guilds.values()].filter((g) => FakeDiscord.shardOf(g.id, shard[1]) === shard[0]);
    this.dispatch('READY', {
      v: 10,
      user: { ...this.apiUser(this.botUser), verified: true, mfa_enabled: false, email: null },
      user_settings: {},
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.resumeGatewayUrl,
      shard,
      application: { id: this.ids.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['fake-discord'],
    }, shard[0]);
    this.gatewayEvent({ kind: 'ready', connId: conn.id, detail: { sessionId: session.id } });
    // Without GUILDS Discord sends no GUILD_CREATE; discord.js then marks ready immediately.
    for (const g of guilds) this.dispatch('GUILD_CREATE', this.guildCreatePayload(g, session.intents), shard[0]);
  }

  private onResume(conn: Conn, d: Obj): void {
    const s = [...this.sessions.values()].find((x) => x.id === d.session_id) ?? null;
    const token = String(d.token ?? '').replace(/^Bot\s+/i, '');
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    this.gatewayEvent({ kind: 'resume', connId: conn.id, ...(s ? { shard: s.shard[0] } : {}), detail: { sessionId: d.session_id, seq } });
    if (!s || !s.valid || d.session_id !== s.id || token !== s.token || seq > s.seq) {
      // Like Discord: the session can't be resumed; the client must identify again.
      if (s && d.session_id === s.id) s.valid = false;
      this.send(conn, { op: 9, d: false });
      return;
    }
    if (s.conn && s.conn !== conn) {
      s.conn.session = null;
      s.conn.ws.close(4000, 'Session resumed elsewhere');
    }
    s.conn = conn;
    conn.session = s;
    conn.authed = true;
    let replayed = 0;
    for (const p of s.buffer) {
      if (p.s > seq) {
        this.send(conn, p);
        replayed++;
      }
    }
    this.send(conn, { op: 0, t: 'RESUMED', s: ++s.seq, d: { _trace: ['fake-discord'] } });
    this.gatewayEvent({ kind: 'resumed', connId: conn.id, detail: { replayed } });
  }

  private onRequestMembers(d: Obj): void {
    const g = this.guilds.get(String(d.guild_id));
    if (!g) return;
    let members = g.members;
    const notFound: string[] = [];
    if (Array.isArray(d.user_ids)) {
      members = g.members.filter((m) => (d.user_ids as string[]).includes(m.userId));
      for (const id of d.user_ids as string[]) if (!g.members.some((m) => m.userId === id)) notFound.push(id);
    } else if (typeof d.query === 'string' && d.query) {
      const q = d.query.toLowerCase();
      members = g.members.filter((m) => (this.users.get(m.userId)?.username ?? '').toLowerCase().startsWith(q));
    }
    if (typeof d.limit === 'number' && d.limit > 0) members = members.slice(0, d.limit);
    this.dispatch('GUILD_MEMBERS_CHUNK', {
      guild_id: g.id,
      members: members.map((m) => this.apiMember(g, m)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: notFound,
      ...(d.nonce ? { nonce: d.nonce } : {}),
    });
  }

  // -------------------------------------------------------------------------------------------
  // REST plumbing
  // -------------------------------------------------------------------------------------------

  private async handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    const prefix = '/api/v10';
    const rawPath = url.pathname;
    const rel = rawPath.startsWith(prefix) ? rawPath.slice(prefix.length) || '/' : rawPath;
    const segments = rel.split('/').filter(Boolean).map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    const record: RecordedRequest = {
      seq: this.nextReqSeq++,
      at: Date.now(),
      method: (req.method ?? 'GET').toUpperCase(),
      path: `/${segments.join('/')}`,
      rawPath,
      query: Object.fromEntries(url.searchParams.entries()),
      headers: req.headers,
      authorization: req.headers.authorization,
      body: undefined,
      files: [],
    };
    this.requests.push(record);

    let result: HttpResult;
    try {
      result = await this.processRequest(record, raw, size, req.headers['content-type'] ?? '', rawPath.startsWith(prefix));
    } catch (err) {
      this.log(`internal error: ${(err as Error).stack ?? String(err)}`);
      result = apiError(500, 0, `fake-discord internal error: ${(err as Error).message}`);
    }
    record.status = result.status;
    record.response = result.body;
    for (const o of this.pendingOutputs.get(record) ?? []) {
      this.botOutputs.push(o);
      this.notify(this.outputWaiters, o);
    }
    this.pendingOutputs.delete(record);
    this.log(`${record.method} ${record.path} → ${result.status}`);
    const headers: Record<string, string> = { ...(result.headers ?? {}) };
    if (result.body !== undefined && result.status !== 204) {
      headers['content-type'] = 'application/json';
      res.writeHead(result.status, headers);
      res.end(JSON.stringify(result.body));
    } else {
      res.writeHead(result.status, headers);
      res.end();
    }
    this.notify(this.requestWaiters, record);
  }

  private async processRequest(record: RecordedRequest, raw: Buffer, size: number, contentType: string, versioned: boolean): Promise<HttpResult> {
    if (!versioned) {
      this.unhandledRequests.push(record);
      return apiError(404, 0, '404: Not Found');
    }
    // Body
    let body: Obj | undefined;
    const files: UploadedFile[] = [];
    if (contentType.startsWith('multipart/form-data')) {
      if (size > this.opts.maxUploadBytes) return apiError(413, 40005, 'Request entity too large');
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
      const parts = parseMultipart(raw, boundary?.[1] ?? boundary?.[2] ?? '');
      for (const p of parts) {
        if (p.name === 'payload_json') {
          try {
            body = JSON.parse(p.data.toString('utf8')) as Obj;
          } catch {
            return apiError(400, 50109, 'The request body contains invalid JSON.');
          }
        } else if (p.filename !== undefined) {
          files.push({ field: p.name, filename: p.filename, contentType: p.contentType, size: p.data.length, data: Buffer.from(p.data) });
        }
      }
    } else if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Obj;
      } catch {
        return apiError(400, 50109, 'The request body contains invalid JSON.');
      }
    }
    record.body = body;
    record.files = files;

    // Route
    const segs = record.path.split('/').filter(Boolean);
    let matched: { route: Route; params: Record<string, string> } | undefined;
    let pathMatched = false;
    for (const route of this.routes) {
      if (route.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const part = route.parts[i]!;
        const seg = segs[i]!;
        if (part.startsWith(':')) params[part.slice(1)] = seg;
        else if (part !== seg) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      pathMatched = true;
      if (route.method === record.method) {
        matched = { route, params };
        break;
      }
    }
    if (!matched) {
      this.unhandledRequests.push(record);
      this.log(`unhandled ${record.method} ${record.path}`);
      return pathMatched ? apiError(405, 0, '405: Method Not Allowed') : apiError(404, 0, '404: Not Found');
    }

    // Auth (interaction callback / webhook-token routes are authenticated by their token instead)
    if (matched.route.auth) {
      const auth = record.authorization ?? '';
      const m = /^Bot\s+(\S+)$/.exec(auth);
      if (!m || (this.opts.token !== undefined && m[1] !== this.opts.token)) return apiError(401, 0, '401: Unauthorized');
    }

    // Injected failures
    const rule = this.failRules.find((r) => r.remaining > 0 && (!r.method || r.method.toUpperCase() === record.method) && r.pathPattern.test(record.path));
    if (rule) {
      rule.remaining--;
      this.failRules = this.failRules.filter((r) => r.remaining > 0);
      return this.failure(rule);
    }
    return matched.route.handler({ req: record, body, files }, matched.params);
  }

  private failure(rule: FailRule): HttpResult {
    if (rule.status === 429) {
      const retryAfter = rule.retryAfter ?? 0.1;
      const scope = rule.scope ?? (rule.global ? 'global' : 'user');
      const headers: Record<string, string> = {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
        'X-RateLimit-Reset-After': retryAfter.toFixed(3),
        'X-RateLimit-Bucket': 'fakebucket' + randomBytes(4).toString('hex'),
        'X-RateLimit-Scope': scope,
      };
      if (rule.global) headers['X-RateLimit-Global'] = 'true';
      return json(429, { message: rule.message ?? 'You are being rate limited.', retry_after: retryAfter, global: !!rule.global, ...(rule.code ? { code: rule.code } : {}) }, headers);
    }
    const defaults: Record<number, [number, string]> = {
      400: [50035, 'Invalid Form Body'],
      401: [0, '401: Unauthorized'],
      403: [50013, 'Missing Permissions'],
      404: [10008, 'Unknown Message'],
      500: [0, '500: Internal Server Error'],
      502: [0, '502: Bad Gateway'],
      503: [0, '503: Service Unavailable'],
    };
    const [code, message] = defaults[rule.status] ?? [0, `${rule.status}`];
    return apiError(rule.status, rule.code ?? code, rule.message ?? message);
  }

  private route(spec: string, handler: Route['handler'], auth = true): void {
    const [method, path] = spec.split(' ') as [string, string];
    this.routes.push({ method, parts: path.split('/').filter(Boolean), auth, handler });
  }

  /** Outputs become visible once their request is answered (so `request.status` is set). */
  private recordOutput(o: BotOutput): void {
    const list = this.pendingOutputs.get(o.request) ?? [];
    list.push(o);
    this.pendingOutputs.set(o.request, list);
  }

  // -------------------------------------------------------------------------------------------
  // Messages created by the bot
  // -------------------------------------------------------------------------------------------

  private attachmentsFrom(files: UploadedFile[], body: Obj | undefined): Obj[] {
    return files.map((f, i) => {
      const meta = Array.isArray(body?.attachments) ? (body.attachments as Obj[]).find((a) => String(a.id) === String(i)) : undefined;
      const id = snowflake();
      return {
        id,
        filename: meta?.filename ?? f.filename,
        size: f.size,
        url: `https://cdn.discordapp.com/attachments/0/${id}/${encodeURIComponent(f.filename)}`,
        proxy_url: `https://media.discordapp.net/attachments/0/${id}/${encodeURIComponent(f.filename)}`,
        content_type: f.contentType,
        ...(meta?.description ? { description: meta.description } : {}),
      };
    });
  }

  private botMessage(channelId: string, id: string, body: Obj, extra: Obj = {}): Obj {
    const content: string = typeof body.content === 'string' ? body.content : '';
    const channel = this.channels.get(channelId);
    const guildId = channel?.type === ChannelTypes.DM ? undefined : channel?.guildId;
    const mentions = this.mentionsFor(content, guildId);
    return {
      id,
      type: 0,
      channel_id: channelId,
      author: this.apiUser(this.botUser),
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: !!body.tts,
      mention_everyone: mentions.everyone,
      mentions: mentions.users,
      mention_roles: mentions.roles,
      attachments: [],
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      flags: Number(body.flags ?? 0) & ~MESSAGE_FLAG_LOADING,
      ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
      ...(body.poll ? { poll: body.poll } : {}),
      ...extra,
    };
  }

  /** Send MESSAGE_CREATE/UPDATE/DELETE for the bot's own message, as Discord does. */
  private echo(t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE' | 'MESSAGE_DELETE', message: Obj): void {
    if (!this.opts.echoBotMessages || this.sessions.size === 0) return;
    if (Number(message.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL) return;
    const channel = this.channels.get(message.channel_id as string);
    const guildId = channel?.type === ChannelTypes.DM ? undefined : channel?.guildId;
    if (t === 'MESSAGE_DELETE') {
      this.dispatch(t, { id: message.id, channel_id: message.channel_id, ...(guildId ? { guild_id: guildId } : {}) });
      return;
    }
    const g = guildId ? this.guilds.get(guildId) : undefined;
    const member = g?.members.find((m) => m.userId === this.botUser.id);
    this.dispatch(t, {
      ...message,
      ...(guildId ? { guild_id: guildId } : {}),
      ...(g && member ? { member: this.apiMember(g, member, false) } : {}),
      ...(channel ? { channel_type: channel.type } : {}),
    });
  }

  /** Validate a full message body; returns an error result or null. */
  private checkMessage(body: Obj | undefined, files: UploadedFile[], base: Array<string | number> = [], requireNonEmpty = true): HttpResult | null {
    if (!body && !files.length) return apiError(400, 50006, 'Cannot send an empty message');
    const errors = validateMessageBody(body ?? {}, base);
    if (errors) return formError(errors);
    if (requireNonEmpty && isEmptyMessage(body ?? {}, files.length)) return apiError(400, 50006, 'Cannot send an empty message');
    return null;
  }

  /** Apply a PATCH body to a stored message; validates the result. */
  private editMessage(existing: Obj, body: Obj, files: UploadedFile[], base: Array<string | number> = []): HttpResult | Obj {
    const errors = validateMessageBody(body, base);
    if (errors) return formError(errors);
    const updated: Obj = { ...existing, edited_timestamp: new Date().toISOString() };
    for (const key of ['content', 'embeds', 'components', 'allowed_mentions', 'poll'] as const) {
      if (body[key] !== undefined) updated[key] = body[key] ?? (key === 'content' ? '' : []);
    }
    if (body.flags !== undefined && body.flags !== null) {
      // Only SUPPRESS_EMBEDS (and the components v2 flag) are editable; ephemeral stays as-is.
      const keep = Number(existing.flags ?? 0) & (MESSAGE_FLAG_EPHEMERAL | MESSAGE_FLAG_COMPONENTS_V2);
      updated.flags = keep | (Number(body.flags) & ((1 << 2) | MESSAGE_FLAG_COMPONENTS_V2));
    }
    updated.flags = Number(updated.flags ?? 0) & ~MESSAGE_FLAG_LOADING;
    if (Array.isArray(body.attachments)) {
      const keepIds = new Set((body.attachments as Obj[]).map((a) => String(a.id)));
      updated.attachments = [
        ...((existing.attachments as Obj[] | undefined) ?? []).filter((a) => keepIds.has(String(a.id))),
        ...this.attachmentsFrom(files, body),
      ];
    } else if (files.length) {
      updated.attachments = [...((existing.attachments as Obj[] | undefined) ?? []), ...this.attachmentsFrom(files, body)];
    }
    const mentions = this.mentionsFor(String(updated.content ?? ''), this.channels.get(updated.channel_id as string)?.guildId);
    updated.mentions = mentions.users;
    updated.mention_roles = mentions.roles;
    if (isEmptyMessage(updated, 0)) return apiError(400, 50006, 'Cannot send an empty message');
    return updated;
  }

  private isResult(x: HttpResult | Obj): x is HttpResult {
    return typeof (x as HttpResult).status === 'number' && !('id' in x);
  }

  // -------------------------------------------------------------------------------------------
  // Interaction helpers
  // -------------------------------------------------------------------------------------------

  /** Finds the interaction for a webhook (appId, token) pair; Discord-like errors otherwise. */
  private interactionByToken(appId: string, token: string): InteractionState | HttpResult {
    if (appId !== this.ids.applicationId) return apiError(404, 10015, 'Unknown Webhook');
    const st = [...this.interactions.values()].find((i) => i.token === token);
    if (!st || Date.now() - st.createdAt > this.opts.interactionTokenTtlMs) return apiError(401, 50027, 'Invalid Webhook Token');
    if (st.ackType === null) return apiError(404, 10015, 'Unknown Webhook');
    return st;
  }

  private resolveWebhookMessage(st: InteractionState, messageId: string): Obj | HttpResult {
    const id = messageId === '@original' ? st.originalMessageId : messageId;
    if (!id || (messageId !== '@original' && !st.followupIds.includes(id) && id !== st.originalMessageId)) return apiError(404, 10008, 'Unknown Message');
    const m = this.messages.get(id);
    return m ?? apiError(404, 10008, 'Unknown Message');
  }

  private interactionMetadata(st: InteractionState): Obj {
    const p = st.payload;
    const user = p.member?.user ?? p.user;
    return {
      id: st.id,
      type: st.type,
      user,
      authorizing_integration_owners: p.authorizing_integration_owners,
      ...(st.type === 2 ? { name: p.data?.name, command_type: p.data?.type } : {}),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Routes
  // -------------------------------------------------------------------------------------------

  private registerRoutes(): void {
    // --- gateway discovery
    this.route('GET /gateway', () => json(200, { url: this.gatewayUrl }), false);
    this.route('GET /gateway/bot', () =>
      json(200, {
        url: this.gatewayUrl,
        shards: this.opts.shards,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      }),
    );

    // --- users / application
    this.route('GET /users/@me', () => json(200, { ...this.apiUser(this.botUser), verified: true, mfa_enabled: false, email: null, locale: 'en-US' }));
    this.route('GET /users/:user', (_c, p) => {
      const u = this.users.get(p.user!);
      return u ? json(200, this.apiUser(u)) : apiError(404, 10013, 'Unknown User');
    });
    this.route('POST /users/@me/channels', (c) => {
      const rid = String(c.body?.recipient_id ?? '');
      const u = this.users.get(rid);
      if (!u) return formError({ recipient_id: { _errors: [{ code: 'USER_NOT_FOUND', message: 'Unknown user' }] } });
      if (u.bot) return apiError(400, 50007, 'Cannot send messages to this user');
      return json(200, this.apiChannel(this.dmChannelFor(rid)));
    });
    this.route('GET /applications/@me', () => json(200, this.apiApplication()));
    this.route('GET /oauth2/applications/@me', () => json(200, this.apiApplication()));

    // --- application commands
    const listFor = (appId: string, guildId?: string): StoredCommand[] | HttpResult => {
      if (appId !== this.ids.applicationId) return apiError(403, 50001, 'Missing Access');
      if (guildId === undefined) return this.globalCommands;
      if (!this.guilds.has(guildId)) return apiError(403, 50001, 'Missing Access');
      let list = this.guildCommands.get(guildId);
      if (!list) this.guildCommands.set(guildId, (list = []));
      return list;
    };
    const registerCommandRoutes = (prefix: string): void => {
      this.route(`GET ${prefix}`, (_c, p) => {
        const list = listFor(p.app!, p.guild);
        return Array.isArray(list) ? json(200, list) : list;
      });
      this.route(`PUT ${prefix}`, (c, p) => {
        const list = listFor(p.app!, p.guild);
        if (!Array.isArray(list)) return list;
        if (!Array.isArray(c.body)) return formError({ _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] });
        const errors = this.validateCommands(c.body as Obj[]);
        if (errors) return formError(errors);
        const next = (c.body as Obj[]).map((cmd) => this.storeCommand(cmd, list, p.guild));
        list.splice(0, list.length, ...next);
        return json(200, list);
      });
      this.route(`POST ${prefix}`, (c, p) => {
        const list = listFor(p.app!, p.guild);
        if (!Array.isArray(list)) return list;
        const errors = this.validateCommands([c.body ?? {}]);
        if (errors) return formError(errors['0'] as Obj);
        const stored = this.storeCommand(c.body ?? {}, list, p.guild);
        const i = list.findIndex((x) => x.id === stored.id);
        const existed = i !== -1;
        if (existed) list[i] = stored;
        else list.push(stored);
        return json(existed ? 200 : 201, stored);
      });
      this.route(`GET ${prefix}/:cmd`, (_c, p) => {
        const list = listFor(p.app!, p.guild);
        if (!Array.isArray(list)) return list;
        const cmd = list.find((x) => x.id === p.cmd);
        return cmd ? json(200, cmd) : apiError(404, 10063, 'Unknown application command');
      });
      this.route(`PATCH ${prefix}/:cmd`, (c, p) => {
        const list = listFor(p.app!, p.guild);
        if (!Array.isArray(list)) return list;
        const i = list.findIndex((x) => x.id === p.cmd);
        if (i === -1) return apiError(404, 10063, 'Unknown application command');
        const merged = { ...list[i]!, ...(c.body ?? {}) } as StoredCommand;
        const errors = this.validateCommands([merged]);
        if (errors) return formError(errors['0'] as Obj);
        merged.version = snowflake();
        list[i] = merged;
        return json(200, merged);
      });
      this.route(`DELETE ${prefix}/:cmd`, (_c, p) => {
        const list = listFor(p.app!, p.guild);
        if (!Array.isArray(list)) return list;
        const i = list.findIndex((x) => x.id === p.cmd);
        if (i === -1) return apiError(404, 10063, 'Unknown application command');
        list.splice(i, 1);
        return noContent;
      });
    };
    registerCommandRoutes('/applications/:app/commands');
    registerCommandRoutes('/applications/:app/guilds/:guild/commands');

    // --- guilds
    const guildOr404 = (id: string): FakeGuild | HttpResult => this.guilds.get(id) ?? apiError(404, 10004, 'Unknown Guild');
    this.route('GET /guilds/:guild', (_c, p) => {
      const g = guildOr404(p.guild!);
      return 'status' in g ? g : json(200, { ...this.apiGuild(g), approximate_member_count: g.members.length });
    });
    this.route('GET /guilds/:guild/channels', (_c, p) => {
      const g = guildOr404(p.guild!);
      return 'status' in g ? g : json(200, g.channels.map((c, i) => this.apiChannel(c, i)));
    });
    this.route('GET /guilds/:guild/roles', (_c, p) => {
      const g = guildOr404(p.guild!);
      return 'status' in g ? g : json(200, g.roles.map((r, i) => this.apiRole(r, i)));
    });
    this.route('GET /guilds/:guild/members/:user', (_c, p) => {
      const g = guildOr404(p.guild!);
      if ('status' in g) return g;
      const m = g.members.find((x) => x.userId === p.user);
      return m ? json(200, this.apiMember(g, m)) : apiError(404, 10007, 'Unknown Member');
    });

    // --- channels & messages
    const channelOr404 = (id: string): FakeChannel | HttpResult => this.channels.get(id) ?? apiError(404, 10003, 'Unknown Channel');
    const canSee = (c: FakeChannel, needSend: boolean): HttpResult | null => {
      if (c.type === ChannelTypes.DM || !c.guildId) return null;
      const perms = this.permissionsFor(c.guildId, this.botUser.id, c.id);
      if (!(perms & Perm.ViewChannel)) return apiError(403, 50001, 'Missing Access');
      // In a thread, Send Messages in Threads stands in for Send Messages.
      const send = c.type === ChannelTypes.PublicThread ? Perm.SendMessagesInThreads : Perm.SendMessages;
      if (needSend && !(perms & send)) return apiError(403, 50013, 'Missing Permissions');
      return null;
    };
    this.route('GET /channels/:channel', (_c, p) => {
      const ch = channelOr404(p.channel!);
      if ('status' in ch) return ch;
      return canSee(ch, false) ?? json(200, this.apiChannel(ch));
    });
    this.route('POST /channels/:channel/typing', (_c, p) => {
      const ch = channelOr404(p.channel!);
      if ('status' in ch) return ch;
      return canSee(ch, true) ?? noContent;
    });
    this.route('GET /channels/:channel/messages', (c, p) => {
      const ch = channelOr404(p.channel!);
      if ('status' in ch) return ch;
      const limit = Math.min(Number(c.req.query.limit ?? 50), 100);
      const list = [...this.messages.values()].filter((m) => m.channel_id === ch.id).reverse();
      return canSee(ch, false) ?? json(200, list.slice(0, limit));
    });
    this.route('POST /channels/:channel/messages', (c, p) => {
      const ch = channelOr404(p.channel!);
      if ('status' in ch) return ch;
      const denied = canSee(ch, true);
      if (denied) return denied;
      if (c.files.length && ch.guildId && !(this.permissionsFor(ch.guildId, this.botUser.id, ch.id) & Perm.AttachFiles)) {
        return apiError(403, 50013, 'Missing Permissions');
      }
      const invalid = this.checkMessage(c.body, c.files);
      if (invalid) return invalid;
      const body = c.body ?? {};
      const extra: Obj = { attachments: this.attachmentsFrom(c.files, body) };
      const ref = body.message_reference as Obj | undefined;
      if (ref?.message_id) {
        const target = this.messages.get(String(ref.message_id));
        if (!target || target.channel_id !== (ref.channel_id ?? ch.id)) {
          if (ref.fail_if_not_exists !== false) {
            return formError({ message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] } });
          }
        } else {
          extra.type = 19;
          extra.message_reference = { type: 0, channel_id: target.channel_id, message_id: target.id, ...(ch.guildId ? { guild_id: ch.guildId } : {}) };
          extra.referenced_message = target;
          // Without allowed_mentions a reply pings the replied-to author; with it, only if replied_user.
          const am = body.allowed_mentions as Obj | undefined;
          if (!am || am.replied_user === true) extra.mentions = [...this.mentionsFor(String(body.content ?? ''), ch.guildId).users, target.author];
        }
      }
      const id = snowflake();
      const message = this.botMessage(ch.id, id, body, extra);
      this.messages.set(id, message);
      this.recordOutput({ via: 'channel-message', channelId: ch.id, messageId: id, ephemeral: false, message, request: c.req });
      this.echo('MESSAGE_CREATE', message);
      return json(200, message);
    });
    // Start a public thread from a message (the thread takes the message's id, like Discord's).
    this.route('POST /channels/:channel/messages/:message/threads', (c, p) => {
      const ch = channelOr404(p.channel!);
      if ('status' in ch) return ch;
      const denied = canSee(ch, false);
      if (denied) return denied;
      if (ch.type !== ChannelTypes.GuildText) return apiError(400, 50024, 'Cannot execute action on this channel type');
      if (!(this.permissionsFor(ch.guildId!, this.botUser.id, ch.id) & Perm.CreatePublicThreads)) return apiError(403, 50013, 'Missing Permissions');
      const starter = this.messages.get(p.message!);
      if (!starter || starter.channel_id !== ch.id) return apiError(404, 10008, 'Unknown Message');
      if (this.channels.has(starter.id as string)) return apiError(400, 160004, 'A thread has already been created for this message');
      const name = (c.body ?? {}).name;
      if (typeof name !== 'string' || strLen(name) < 1 || strLen(name) > 100) {
        return formError({ name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] } });
      }
      const thread: FakeChannel = {
        id: starter.id as string,
        name,
        type: ChannelTypes.PublicThread,
        guildId: ch.guildId,
        parentId: ch.id,
        // Threads take their parent's permissions.
        permissionOverwrites: ch.permissionOverwrites,
        ownerId: this.botUser.id,
        autoArchiveDuration: Number((c.body ?? {}).auto_archive_duration ?? 1440),
      };
      this.channels.set(thread.id, thread);
      starter.flags = Number(starter.flags ?? 0) | (1 << 5);
      const api = this.apiChannel(thread);
      this.dispatch('THREAD_CREATE', { ...api, newly_created: true });
      return json(201, api);
    });
    this.route('GET /channels/:channel/messages/:message', (_c, p) => {
      const m = this.messages.get(p.message!);
      return m && m.channel_id === p.channel ? json(200, m) : apiError(404, 10008, 'Unknown Message');
    });
    this.route('PATCH /channels/:channel/messages/:message', (c, p) => {
      const m = this.messages.get(p.message!);
      if (!m || m.channel_id !== p.channel) return apiError(404, 10008, 'Unknown Message');
      if (m.author?.id !== this.botUser.id) return apiError(403, 50005, 'Cannot edit a message authored by another user');
      const updated = this.editMessage(m, c.body ?? {}, c.files);
      if (this.isResult(updated)) return updated;
      this.messages.set(updated.id as string, updated);
      this.recordOutput({ via: 'channel-message-edit', channelId: p.channel!, messageId: p.message!, ephemeral: false, message: updated, request: c.req });
      this.echo('MESSAGE_UPDATE', updated);
      return json(200, updated);
    });
    this.route('DELETE /channels/:channel/messages/:message', (_c, p) => {
      const m = this.messages.get(p.message!);
      if (!m || m.channel_id !== p.channel) return apiError(404, 10008, 'Unknown Message');
      const ch = this.channels.get(p.channel!);
      if (m.author?.id !== this.botUser.id && ch?.guildId && !(this.permissionsFor(ch.guildId, this.botUser.id, ch.id) & Perm.ManageMessages)) {
        return apiError(403, 50013, 'Missing Permissions');
      }
      this.messages.delete(p.message!);
      this.echo('MESSAGE_DELETE', m);
      return noContent;
    });
    const reaction = (_c: Ctx, p: Record<string, string>): HttpResult =>
      this.messages.get(p.message!) ? noContent : apiError(404, 10008, 'Unknown Message');
    this.route('PUT /channels/:channel/messages/:message/reactions/:emoji/@me', reaction);
    this.route('DELETE /channels/:channel/messages/:message/reactions/:emoji/@me', reaction);

    // --- interactions (no bot Authorization: authenticated by the interaction token)
    this.route('POST /interactions/:id/:token/callback', (c, p) => this.interactionCallback(c, p.id!, p.token!), false);
    this.route('GET /webhooks/:app/:token/messages/:message', (_c, p) => {
      const st = this.interactionByToken(p.app!, p.token!);
      if ('status' in st) return st;
      const m = this.resolveWebhookMessage(st, p.message!);
      return this.isResult(m) ? m : json(200, m);
    }, false);
    this.route('PATCH /webhooks/:app/:token/messages/:message', (c, p) => {
      const st = this.interactionByToken(p.app!, p.token!);
      if ('status' in st) return st;
      const m = this.resolveWebhookMessage(st, p.message!);
      if (this.isResult(m)) return m;
      const updated = this.editMessage(m, c.body ?? {}, c.files);
      if (this.isResult(updated)) return updated;
      this.messages.set(updated.id as string, updated);
      const ephemeral = !!(Number(updated.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL);
      this.recordOutput({ via: 'interaction-edit', channelId: updated.channel_id as string, messageId: updated.id as string, interactionId: st.id, ephemeral, message: updated, request: c.req });
      this.echo('MESSAGE_UPDATE', updated);
      return json(200, updated);
    }, false);
    this.route('DELETE /webhooks/:app/:token/messages/:message', (_c, p) => {
      const st = this.interactionByToken(p.app!, p.token!);
      if ('status' in st) return st;
      const m = this.resolveWebhookMessage(st, p.message!);
      if (this.isResult(m)) return m;
      this.messages.delete(m.id as string);
      this.echo('MESSAGE_DELETE', m);
      return noContent;
    }, false);
    this.route('POST /webhooks/:app/:token', (c, p) => this.followup(c, p.app!, p.token!), false);
  }

  private storeCommand(cmd: Obj, existing: StoredCommand[], guildId: string | undefined): StoredCommand {
    const type = Number(cmd.type ?? 1);
    const prev = existing.find((x) => x.name === cmd.name && x.type === type);
    return {
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      contexts: null,
      integration_types: [0],
      description: '',
      ...cmd,
      id: prev?.id ?? snowflake(),
      application_id: this.ids.applicationId,
      version: snowflake(),
      type,
      name: String(cmd.name),
      ...(guildId ? { guild_id: guildId } : {}),
    };
  }

  /** Discord's application command rules that bots commonly violate. */
  private validateCommands(cmds: Obj[]): Obj | null {
    const errors = new ErrorTree();
    const nameRe = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
    const seen = new Set<string>();
    const checkOptions = (opts: unknown, path: Array<string | number>): void => {
      if (opts === undefined || opts === null) return;
      if (!Array.isArray(opts)) return errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
      if (opts.length > 25) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      let sawOptional = false;
      const names = new Set<string>();
      opts.forEach((o: Obj, i: number) => {
        const p = [...path, i];
        if (typeof o?.name !== 'string' || !nameRe.test(o.name) || o.name !== o.name.toLowerCase()) {
          errors.add([...p, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
        }
        if (names.has(o?.name)) errors.add([...p, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option name already exists');
        names.add(o?.name);
        const dl = strLen(o?.description);
        if (dl < 1 || dl > 100) errors.add([...p, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        if (o?.type === 1 || o?.type === 2) checkOptions(o.options, [...p, 'options']);
        else {
          if (o?.required) {
            if (sawOptional) errors.add([...p, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
          } else sawOptional = true;
        }
        if (Array.isArray(o?.choices)) {
          if (o.choices.length > 25) errors.add([...p, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
          if (o.autocomplete) errors.add([...p, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES', 'Autocomplete cannot be enabled with choices');
        }
      });
    };
    cmds.forEach((cmd, i) => {
      const type = Number(cmd?.type ?? 1);
      const name = cmd?.name;
      if (typeof name !== 'string' || (type === 1 ? !nameRe.test(name) || name !== name.toLowerCase() : strLen(name) < 1 || strLen(name) > 32)) {
        errors.add([i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      }
      const key = `${type}:${String(name)}`;
      if (seen.has(key)) errors.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
      seen.add(key);
      if (type === 1) {
        const dl = strLen(cmd?.description);
        if (dl < 1 || dl > 100) errors.add([i, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        checkOptions(cmd?.options, [i, 'options']);
      }
    });
    if (cmds.filter((c) => Number(c?.type ?? 1) === 1).length > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    return errors.empty ? null : errors.root;
  }

  private interactionCallback(c: Ctx, id: string, token: string): HttpResult {
    const st = this.interactions.get(id);
    if (!st || st.token !== token) return apiError(404, 10062, 'Unknown interaction');
    if (st.ackType !== null) return apiError(400, 40060, 'Interaction has already been acknowledged.');
    if (Date.now() - st.createdAt > this.opts.interactionAckTimeoutMs) return apiError(404, 10062, 'Unknown interaction');
    const body = c.body ?? {};
    const type = Number(body.type);
    const data: Obj = body.data ?? {};
    const allowed: Record<number, number[]> = {
      1: [1],
      2: [4, 5, 9, 12],
      3: [4, 5, 6, 7, 9, 12],
      4: [8],
      5: [4, 5, 6, 7],
    };
    if (!Number.isInteger(type) || !(allowed[st.type] ?? []).includes(type)) {
      return formError({ type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Interaction response type ${String(body.type)} is invalid for interaction type ${st.type}` }] } });
    }

    let message: Obj | null = null;
    let via: BotOutputVia | null = null;
    let echo: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE' | null = null;
    const meta = { interaction_metadata: this.interactionMetadata(st), webhook_id: this.ids.applicationId, application_id: this.ids.applicationId };
    switch (type) {
      case 4: {
        const invalid = this.checkMessage(data, c.files, ['data']);
        if (invalid) return invalid;
        const mid = snowflake();
        message = this.botMessage(st.channelId, mid, data, { ...meta, type: st.type === 2 ? 20 : 0, attachments: this.attachmentsFrom(c.files, data) });
        this.messages.set(mid, message);
        st.originalMessageId = mid;
        via = 'interaction-callback';
        echo = 'MESSAGE_CREATE';
        break;
      }
      case 5: {
        const mid = snowflake();
        const flags = (Number(data.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL) | MESSAGE_FLAG_LOADING;
        message = this.botMessage(st.channelId, mid, {}, { ...meta, type: st.type === 2 ? 20 : 0, flags });
        this.messages.set(mid, message);
        st.originalMessageId = mid;
        echo = 'MESSAGE_CREATE';
        break;
      }
      case 6:
        break;
      case 7: {
        const original = st.originalMessageId ? this.messages.get(st.originalMessageId) : undefined;
        if (!original) return apiError(404, 10008, 'Unknown Message');
        const updated = this.editMessage(original, data, c.files, ['data']);
        if (this.isResult(updated)) return updated;
        this.messages.set(updated.id as string, updated);
        message = updated;
        via = 'interaction-callback';
        echo = 'MESSAGE_UPDATE';
        break;
      }
      case 8: {
        const errors = new ErrorTree();
        const choices: unknown = data.choices;
        if (!Array.isArray(choices)) errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
        else {
          if (choices.length > 25) errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
          choices.forEach((ch: Obj, i: number) => {
            const nl = strLen(ch?.name);
            if (nl < 1 || nl > 100) errors.add(['data', 'choices', i, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
            if (typeof ch?.value === 'string' && strLen(ch.value) > 100) errors.add(['data', 'choices', i, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
            if (ch?.value === undefined || ch?.value === null) errors.add(['data', 'choices', i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
          });
        }
        if (!errors.empty) return formError(errors.root);
        break;
      }
      case 9: {
        const errors = new ErrorTree();
        const tl = strLen(data.title);
        if (tl < 1 || tl > 45) errors.add(['data', 'title'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
        const cl = strLen(data.custom_id);
        if (cl < 1 || cl > 100) errors.add(['data', 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        const comps = Array.isArray(data.components) ? data.components.length : 0;
        if (comps < 1 || comps > 5) errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
        if (!errors.empty) return formError(errors.root);
        break;
      }
      default:
        break;
    }
    st.ackType = type;
    st.ackedAt = Date.now();
    const ephemeral = !!(message && Number(message.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL);
    if (via && message) {
      this.recordOutput({ via, channelId: st.channelId, messageId: message.id as string, interactionId: st.id, ephemeral, message, request: c.req });
    }
    if (type === 8) {
      this.recordOutput({ via: 'autocomplete', channelId: st.channelId, messageId: null, interactionId: st.id, ephemeral: true, message: { choices: data.choices }, request: c.req });
    }
    if (echo && message) this.echo(echo, message);
    if (c.req.query.with_response !== 'true') return noContent;
    return json(200, {
      interaction: {
        id: st.id,
        type: st.type,
        ...(message ? { response_message_id: message.id, response_message_loading: type === 5, response_message_ephemeral: ephemeral } : {}),
      },
      ...(type === 6 || type === 8 ? {} : { resource: { type, ...(message ? { message } : {}) } }),
    });
  }

  private followup(c: Ctx, appId: string, token: string): HttpResult {
    const st = this.interactionByToken(appId, token);
    if ('status' in st) return st;
    const body = c.body ?? {};
    const invalid = this.checkMessage(body, c.files);
    if (invalid) return invalid;
    let message: Obj;
    const original = st.originalMessageId ? this.messages.get(st.originalMessageId) : undefined;
    if (st.ackType === 5 && !st.deferredConsumed && original && Number(original.flags ?? 0) & MESSAGE_FLAG_LOADING) {
      // Discord: the first follow-up after a deferred reply edits the loading message instead
      // of creating a new one, and keeps the defer's ephemeral flag (the follow-up's is ignored).
      st.deferredConsumed = true;
      const { flags: _ignored, ...rest } = body;
      const updated = this.editMessage(original, rest, c.files);
      if (this.isResult(updated)) return updated;
      message = updated;
      this.messages.set(message.id as string, message);
      this.echo('MESSAGE_UPDATE', message);
    } else {
      const mid = snowflake();
      message = this.botMessage(st.channelId, mid, body, {
        interaction_metadata: this.interactionMetadata(st),
        webhook_id: this.ids.applicationId,
        application_id: this.ids.applicationId,
        attachments: this.attachmentsFrom(c.files, body),
        // Follow-ups are replies to the original response.
        ...(st.originalMessageId ? { type: 19, message_reference: { type: 0, channel_id: st.channelId, message_id: st.originalMessageId } } : {}),
      });
      this.messages.set(mid, message);
      st.followupIds.push(mid);
      this.echo('MESSAGE_CREATE', message);
    }
    const ephemeral = !!(Number(message.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL);
    this.recordOutput({ via: 'followup', channelId: st.channelId, messageId: message.id as string, interactionId: st.id, ephemeral, message, request: c.req });
    // Discord only returns the message with ?wait=true (discord.js always sends it).
    return c.req.query.wait === 'true' ? json(200, message) : noContent;
  }
}

/** Start a fake Discord on 127.0.0.1 (random port by default). */
/** The guild an event belongs to (GUILD_CREATE/UPDATE/DELETE carry it as `id`). */
function guildOfEvent(t: string, d: Obj): string | null {
  if (d.guild_id) return String(d.guild_id);
  if ((t === 'GUILD_CREATE' || t === 'GUILD_UPDATE' || t === 'GUILD_DELETE') && d.id) return String(d.id);
  return null;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).listen(options.port ?? 0);
}
