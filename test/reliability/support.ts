// Shared set-up for the reliability tests: the real bot (real discord.js client,
// real handlers, real index and model) against the fake Discord, with every log
// line captured.
import { Writable } from 'node:stream';
import type { ClientOptions } from 'discord.js';
import type { Config } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/bot/client.js';
import type { BotDeps } from '../../src/bot/context.js';
import { deployCommands } from '../../src/bot/deploy.js';
import { createLogger } from '../../src/log.js';
import type { BotOutput, FakeDiscord } from '../fake-discord/server.js';
import { baseConfig } from '../support/index-fixture.js';
import { spawnClean, TSX, type Spawned } from '../support/spawn.js';

export interface LogCapture {
  lines: string[];
  records(): Array<Record<string, unknown>>;
}

export function captureLogs(): { capture: LogCapture; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { sink, capture: { lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) } };
}

export function botConfig(fake: FakeDiscord, token: string, bot: Partial<Config['bot']> = {}, extra: Partial<Config> = {}): Config {
  return {
    ...baseConfig,
    ...extra,
    discord: { token, clientId: fake.ids.applicationId, guildId: fake.ids.guildId, apiUrl: fake.apiUrl },
    bot: { ...baseConfig.bot, ...bot },
  };
}

/** Tests: REST fails fast and a re-identify after op 9 does not wait ~5 s. */
export const TEST_CLIENT_OPTIONS: Partial<ClientOptions> = {
  ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
};

export async function startTestBot(fake: FakeDiscord, config: Config, deps: Omit<BotDeps, 'logger'>, rest: { retries?: number } = {}): Promise<{ bot: RunningBot; logs: LogCapture }> {
  await deployCommands(config);
  const { sink, capture } = captureLogs();
  const logger = createLogger('debug', { destination: sink, pretty: false });
  const bot = await startBot(config, { ...deps, logger }, {
    clientOptions: { ...TEST_CLIENT_OPTIONS, rest: { api: fake.apiUrl, timeout: 5000, retries: rest.retries ?? 1 } },
  });
  return { bot, logs: capture };
}

export const replyTo = (messageId: string) => (o: BotOutput) => o.via === 'channel-message' && o.message.message_reference?.message_id === messageId;
export const forInteraction = (id: string, via?: BotOutput['via']) => (o: BotOutput) => o.interactionId === id && (via === undefined || o.via === via);

/** Everything a user could see in a message: content, embeds (all text fields) and button labels. */
export function shownText(message: Record<string, unknown>): string {
  const embeds = ((message.embeds as Array<Record<string, unknown>>) ?? []).map((e) =>
    [e.title, e.description, ...((e.fields as Array<{ name: string; value: string }>) ?? []).flatMap((f) => [f.name, f.value]), (e.footer as { text?: string })?.text].join('\n'),
  );
  return [message.content ?? '', ...embeds].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Spawning the bot as `npm start` runs it.

export { killGroup, TSX, type Spawned } from '../support/spawn.js';

/** `tsx src/cli/bot.ts` with an explicit environment (a developer's .env cannot fill in DISCORD_*). */
export function spawnBot(env: Record<string, string>, timeoutMs = 60_000): Spawned {
  return spawnClean(TSX, ['src/cli/bot.ts'], env, timeoutMs);
}

/** JSON log lines of a spawned bot's stdout. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
