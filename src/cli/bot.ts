// npm start — the Discord bot: loads the model and index once, logs in, and
// answers until SIGINT/SIGTERM. Without a token it says what to set and exits 1.
import { DiscordAPIError } from 'discord.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { IndexError } from '../index/manifest.js';
import { createLogger } from '../log.js';
import { startBot, type RunningBot } from '../bot/client.js';
import { openSearch, type OpenedSearch } from '../search/open.js';

export const NO_TOKEN_MESSAGE = [
  'error: DISCORD_TOKEN is not set, so the bot cannot log in to Discord.',
  '  Copy .env.example to .env and set:',
  '    DISCORD_TOKEN=<bot token: Developer Portal → your application → Bot → Reset Token>',
  '    DISCORD_CLIENT_ID=<application id: Developer Portal → General Information> (for npm run deploy-commands)',
  '  then run: npm run deploy-commands && npm start',
  '  To try the answers without Discord: npm run ask -- "北京第二批主题教育涉及多少党员？"',
].join('\n');

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(`error: ${error.message}`);
  throw error;
}
// Checked before anything slow loads: a missing token should fail at once.
if (!config.discord.token) fail(NO_TOKEN_MESSAGE);

const logger = createLogger(config.logLevel);
// A stray rejection (e.g. a reply to a deleted channel) is logged; the bot keeps answering.
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

let opened: OpenedSearch;
try {
  opened = await openSearch(config);
} catch (error) {
  if (error instanceof IndexError || error instanceof ConfigError) fail(`error: ${error.message}`);
  throw error;
}
logger.info(
  { modelMs: Math.round(opened.timings.modelMs), indexMs: Math.round(opened.timings.indexMs), reports: opened.searcher.index.store.reports.length, passages: opened.searcher.index.store.passages.length },
  'model and index loaded',
);

let bot: RunningBot;
try {
  bot = await startBot(config, { searcher: opened.searcher, logger });
} catch (error) {
  await opened.close().catch(() => undefined);
  fail(`error: ${loginProblem(error)}`);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await bot.stop().catch((error: unknown) => logger.warn({ err: error }, 'error while logging out'));
  await opened.close().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

/** A login failure as something the operator can act on. */
function loginProblem(error: unknown): string {
  const e = error as { code?: unknown; message?: string };
  if (e.code === 'TokenInvalid' || (error instanceof DiscordAPIError && error.status === 401)) {
    return 'Discord rejected DISCORD_TOKEN. Copy the bot token again (Developer Portal → your application → Bot → Reset Token) into .env.';
  }
  if (/disallowed intents/i.test(e.message ?? '')) {
    return 'Discord refused the Message Content intent. Enable it: Developer Portal → your application → Bot → Privileged Gateway Intents → Message Content Intent.';
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|fetch failed/i.test(e.message ?? '')) {
    return `Could not reach Discord${config.discord.apiUrl ? ` at DISCORD_API_URL=${config.discord.apiUrl}` : ''}: ${e.message}`;
  }
  return `Could not log in to Discord: ${e.message ?? String(error)}`;
}
