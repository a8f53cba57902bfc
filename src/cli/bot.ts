// npm start — the Discord bot: loads the model and index once, logs in, and
// answers until SIGINT/SIGTERM. Without a token it says what to set and exits 1;
// with an unusable index it says to run `npm run index` and exits 1 (or, with
// AUTO_REINDEX=on, builds it first).
import { DiscordAPIError } from 'discord.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { LiveIndex } from '../runtime/live-index.js';
import { IndexError } from '../index/manifest.js';
import { rebuildIndex, searcherRebuilder } from '../runtime/rebuild.js';
import { createLogger } from '../log.js';
import { startBot, type RunningBot } from '../bot/client.js';
import { openSearch, type OpenedSearch } from '../runtime/open.js';
import { QuestionLog } from '../insight/question-log.js';
import { prepareIndex } from '../runtime/prepare.js';
import { explainFailure } from './run.js';

export const NO_TOKEN_MESSAGE = [
  'error: DISCORD_TOKEN is not set, so the bot cannot log in to Discord.',
  '  Copy .env.example to .env and set:',
  '    DISCORD_TOKEN=<bot token: Developer Portal → your application → Bot → Reset Token>',
  '    DISCORD_CLIENT_ID=<application id: Developer Portal → General Information> (for npm run deploy-commands)',
  '  then run: npm run deploy-commands && npm start',
  '  To try the answers without Discord: npm run ask -- "北京第二批主题教育涉及多少党员？"',
].join('\n');

/** Set once known: redacted from any text printed outside the logger. */
let secret: string | null = null;

function fail(message: string, exitCode = 1): never {
  console.error(redact(message));
  process.exit(exitCode);
}

/** Start-up failures get the same one-line messages and exit codes as the other commands. */
function failWith(error: unknown, prefix = ''): never {
  const { message, exitCode } = explainFailure(error);
  fail(message === null ? '' : message.replace(/^error: /, `error: ${prefix}`), exitCode);
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
secret = config.discord.token;

/** Last line of defence for text that is not a logged object (pino redacts those by key). */
function redact(text: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

// Every line names the shards this process runs, when known before login (under npm run start:sharded,
// discord.js's ShardingManager passes the shard in SHARDS); with DISCORD_SHARDS=auto startBot adds them.
const knownShards: number[] | null = process.env.SHARDING_MANAGER
  ? [JSON.parse(process.env.SHARDS ?? '0') as number | number[]].flat()
  : config.sharding.ids === 'auto'
    ? null
    : config.sharding.ids;
const baseLogger = createLogger(config.logLevel);
const logger = knownShards ? baseLogger.child({ shards: knownShards }) : baseLogger;
// A stray rejection (e.g. a reply to a deleted channel) or a throw inside a library callback (e.g.
// discord.js on a malformed gateway event) is logged; the bot keeps answering.
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));
// The token is redacted by pino's key paths (see log.ts).
logger.info({ config }, 'configuration');

const opened = await openIndex();
logger.info(
  { modelMs: Math.round(opened.timings.modelMs), indexMs: Math.round(opened.timings.indexMs), reports: opened.searcher.index.store.reports.length, passages: opened.searcher.index.store.passages.length },
  'model and index loaded',
);
const live = new LiveIndex(opened.searcher, searcherRebuilder(config, opened.embedder));
// Opening never throws: an unusable file is logged once and the bot answers without recording.
const questionLog = new QuestionLog({ file: config.stats.db, salt: config.stats.salt, retentionDays: config.stats.retentionDays, logger });
if (questionLog.enabled) logger.info({ file: config.stats.db, retentionDays: config.stats.retentionDays }, 'recording questions and feedback');

let bot: RunningBot;
try {
  bot = await startBot(config, { searcher: opened.searcher, live, logger, questionLog });
} catch (error) {
  questionLog.close();
  await opened.close().catch(() => undefined);
  fail(`error: ${loginProblem(error)}`);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, detail: 'no new questions; finishing replies in flight' }, 'shutting down');
  await bot.stop().catch((error: unknown) => logger.warn({ err: error }, 'error while logging out'));
  // After the replies in flight: their rows are written too.
  questionLog.close();
  await opened.close().catch(() => undefined);
  logger.info('stopped');
  // pino writes synchronously to stdout; exit once the line is out.
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// A shard process whose ShardingManager is gone would otherwise run on unsupervised.
if (process.env.SHARDING_MANAGER && process.send) process.on('disconnect', () => void shutdown('shard manager gone'));

/** The model and index; with AUTO_REINDEX=on a missing, damaged or mismatched index is rebuilt first. */
async function openIndex(): Promise<OpenedSearch> {
  try {
    // A first run builds the index; changed reports are brought up to date; another folder's index is warned about.
    await prepareIndex(config, (note) => logger[note.level](note.message));
  } catch (error) {
    failWith(error, 'could not build the index: ');
  }
  try {
    return await openSearch(config);
  } catch (error) {
    if (!(error instanceof IndexError)) failWith(error);
    if (!config.bot.autoReindex) fail(`error: ${error.message}\n  (Or set AUTO_REINDEX=on to have the bot build the index when it starts.)`);
    logger.warn({ reason: error.message }, 'index unusable; AUTO_REINDEX=on: building it now');
  }
  try {
    const t0 = performance.now();
    const { result, fromScratch } = await rebuildIndex(config);
    for (const { file, reason } of result.skipped) logger.warn({ file, reason }, 'skipped a report file');
    logger.info({ ms: Math.round(performance.now() - t0), counts: result.manifest.counts, fromScratch }, 'index built');
    return await openSearch(config);
  } catch (error) {
    failWith(error, 'could not build the index: ');
  }
}

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
