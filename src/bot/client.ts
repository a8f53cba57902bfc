// The Discord client: intents, partials, REST override, no-ping default and
// shards (discord.js's own sharding); event modules wired to the shared
// context; startBot() for the CLI and tests.
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials, type ClientEvents, type ClientOptions } from 'discord.js';
import { ConfigError, type Config } from '../config.js';
import { suggestRegions } from '../places/lookup.js';
import { createContext, DEFAULT_SETTINGS, type BotContext, type BotDeps } from './context.js';
import { event as interactionCreate } from './events/interactionCreate.js';
import { event as messageCreate } from './events/messageCreate.js';
import { event as ready } from './events/ready.js';
import type { BotEvent } from './events/types.js';
import { NO_MENTIONS } from './views/common.js';
import { watchDataForReindex } from './reindex.js';

export const events: ReadonlyArray<BotEvent<keyof ClientEvents>> = [ready, interactionCreate, messageCreate] as ReadonlyArray<BotEvent<keyof ClientEvents>>;

export function createClient(config: Config, extra: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      // Privileged; without it guild messages arrive empty unless they mention the bot (enough for us),
      // but Discord refuses the login (4014) if the portal has it off: see README.
      GatewayIntentBits.MessageContent,
    ],
    // DM channels are not cached at start-up: without this, discord.js drops DM messages.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    ...(config.discord.apiUrl ? { rest: { api: config.discord.apiUrl } } : {}),
    ...shardOptions(config),
    ...extra,
  });
}

/**
 * Internal sharding: every shard of this process shares one client, so one loaded index serves them
 * all. Under `npm run start:sharded` discord.js's ShardingManager gives each process its shard in the
 * SHARDS/SHARD_COUNT environment, which the client reads itself when no shards are passed here.
 */
export function shardOptions(config: Config): Partial<ClientOptions> {
  if (process.env.SHARDING_MANAGER) return {};
  const { ids, count } = config.sharding;
  return ids === 'auto' ? { shards: 'auto' } : { shards: ids, shardCount: count };
}

/** The shard an interaction or message came through (DMs always arrive on shard 0). */
function shardOfEvent(args: unknown[]): number | undefined {
  const first = args[0] as { guild?: { shardId?: number } | null; guildId?: string | null } | undefined;
  if (!first || typeof first !== 'object' || !('guildId' in first)) return undefined;
  return first.guild?.shardId ?? 0;
}

export function registerEvents(client: Client, context: BotContext): void {
  for (const e of events) {
    const handler = (...args: unknown[]) => {
      try {
        // Each event's log lines carry the shard it arrived on; the context is otherwise shared.
        const shard = shardOfEvent(args);
        const ctx = shard === undefined ? context : (Object.create(context, { logger: { value: context.logger.child({ shard }) } }) as BotContext);
        const result = (e.execute as (...a: unknown[]) => unknown)(...args, ctx);
        if (result instanceof Promise) {
          // Tracked, so a shutdown can let replies being written finish.
          context.lifecycle.track(result);
          result.catch((error: unknown) => context.logger.error({ err: error, event: e.name }, 'event handler failed'));
        }
      } catch (error) {
        context.logger.error({ err: error, event: e.name }, 'event handler failed');
      }
    };
    if (e.once) client.once(e.name, handler);
    else client.on(e.name, handler);
  }
  const { logger } = context;
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ shard, code: event.code }, 'gateway disconnected'));
  // discord.js retries every few hundred ms while Discord is unreachable: not worth an info line each time.
  client.on(Events.ShardReconnecting, (shard) => logger.debug({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));
  client.on(Events.ShardReady, (shard) => logger.info({ shard }, 'gateway session ready'));
  client.rest.on('rateLimited', (info) =>
    logger.warn({ route: info.route, method: info.method, retryAfterMs: info.retryAfter, global: info.global, scope: info.scope }, 'Discord rate limit: request delayed'),
  );
}

export interface RunningBot {
  client: Client<true>;
  context: BotContext;
  /**
   * Stops taking new questions, waits up to `graceMs` (default SHUTDOWN_GRACE_SECONDS) for replies
   * being written, then closes the gateway (code 1000). `drained` is false when the wait ran out.
   */
  stop(options?: { graceMs?: number }): Promise<{ drained: boolean }>;
}

export interface StartOptions {
  /** Extra client options (tests: a no-op identify throttler, short REST timeouts). */
  clientOptions?: Partial<ClientOptions>;
}

/** Logs in with the already-loaded searcher and store; resolves once the client is ready. */
export async function startBot(config: Config, deps: BotDeps, options: StartOptions = {}): Promise<RunningBot> {
  const token = config.discord.token;
  if (!token) throw new ConfigError('DISCORD_TOKEN is not set.');
  const context = createContext(deps, config.bot ?? DEFAULT_SETTINGS);
  const { logger } = context;
  // Lazy one-time work (region analysis, gazetteer indexes, the traditional→simplified converter,
  // the model's first run) happens here, not inside the first user's 3-second interaction window.
  const t0 = performance.now();
  const covered = context.covered();
  suggestRegions('河北');
  suggestRegions('he');
  const t1 = performance.now();
  await context.searcher.search('主题教育');
  logger.info(
    { regions: covered.length, reports: context.store.reports.length, regionsMs: Math.round(t1 - t0), warmUpMs: Math.round(performance.now() - t1) },
    'ready to answer',
  );

  const client = createClient(config, options.clientOptions);
  registerEvents(client, context);
  // Registered before login: the event can fire before login() resolves.
  const isReady = once(client, Events.ClientReady);
  const tLogin = performance.now();
  try {
    await client.login(token);
    await isReady;
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw error;
  }
  // From here on every line names the shards this process runs (known only now with DISCORD_SHARDS=auto).
  const shards = client.ws.shards.map((s) => s.id);
  if (!('shards' in logger.bindings())) logger.setBindings({ shards });
  logger.info({ ms: Math.round(performance.now() - tLogin), api: config.discord.apiUrl ?? 'discord.com', shardCount: client.options.shardCount }, 'connected to Discord');
  const appId = client.application?.id;
  if (config.discord.clientId && appId && appId !== config.discord.clientId) {
    logger.warn({ configured: config.discord.clientId, actual: appId }, 'DISCORD_CLIENT_ID does not match the bot\'s application id: deploy-commands would register commands for another app');
  }
  const watcher = config.bot?.watchData ? watchDataForReindex(config.dataDir, context) : null;
  const readyClient = client as Client<true>;
  let stopping: Promise<{ drained: boolean }> | null = null;
  return {
    client: readyClient,
    context,
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        watcher?.close();
        const graceMs = stopOptions.graceMs ?? context.settings.shutdownGraceSeconds * 1000;
        const inFlight = context.lifecycle.inFlight;
        const drained = await context.lifecycle.drain(graceMs);
        if (drained) logger.info({ replies: inFlight }, 'in-flight replies finished');
        else logger.warn({ graceMs, unfinished: context.lifecycle.inFlight }, 'gave up waiting for in-flight replies');
        await client.destroy();
        return { drained };
      })();
      return stopping;
    },
  };
}
