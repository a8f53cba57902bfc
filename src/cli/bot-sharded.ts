// npm run start:sharded — one bot process per gateway shard, run by discord.js's
// ShardingManager. Each process is a plain `npm start` (src/cli/bot.ts) that
// loads its own copy of the model and index, so memory grows with the shard
// count: README → Sharding says when this is worth it. SIGINT/SIGTERM stop
// every shard gracefully (each finishes its replies in flight).
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger } from '../log.js';

const BOT_SCRIPT = fileURLToPath(new URL('./bot.ts', import.meta.url));
/** The shard processes are TypeScript too: run them through tsx's loader, resolved from here. */
const TSX_LOADER = import.meta.resolve('tsx');
/** Discord lets a bot start one session per 5 s per max_concurrency bucket; discord.js's default spacing. */
const IDENTIFY_SPACING_MS = 5500;

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const token = config.discord.token;
if (!token) {
  console.error('error: DISCORD_TOKEN is not set, so the shards cannot log in to Discord. Set it in .env (see .env.example), then run npm run start:sharded.');
  process.exit(1);
}
const logger = createLogger(config.logLevel).child({ process: 'shard-manager' });

const gateway = await gatewayInfo(config, token).catch((error: unknown) => {
  console.error(`error: could not ask Discord how many shards to run (GET /gateway/bot): ${(error as Error).message}`);
  process.exit(1);
});
const totalShards = config.sharding.count ?? gateway.shards;
const shardList = config.sharding.ids === 'auto' ? 'auto' : config.sharding.ids;
const manager = new ShardingManager(BOT_SCRIPT, {
  token,
  totalShards,
  shardList,
  mode: 'process',
  respawn: true,
  execArgv: ['--import', TSX_LOADER],
});
logger.info({ totalShards, shards: shardList === 'auto' ? 'all' : shardList, recommended: gateway.shards }, 'starting one process per shard');

manager.on('shardCreate', (shard: Shard) => {
  logger.info({ shard: shard.id }, 'shard process started');
  shard.on('death', (child) => {
    const code = 'exitCode' in child ? child.exitCode : null;
    if (!stopping) logger.warn({ shard: shard.id, code }, 'shard process died; starting it again');
  });
  shard.on('error', (error) => logger.error({ shard: shard.id, err: error }, 'shard process error'));
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  manager.respawn = false;
  logger.info({ signal }, 'stopping every shard');
  // Each shard process handles SIGTERM itself: no new questions, replies in flight finish, gateway closed.
  await Promise.all(
    manager.shards.map(
      (shard) =>
        new Promise<void>((resolve) => {
          const child = shard.process;
          if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  logger.info('every shard stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  // A shard is ready once its process has loaded the index and logged in; loading can take a while.
  await manager.spawn({ amount: totalShards, delay: Math.ceil(IDENTIFY_SPACING_MS / gateway.maxConcurrency), timeout: -1 });
} catch (error) {
  logger.error({ err: error }, 'could not start the shards');
  await shutdown('spawn failed');
}

/** Discord's recommended shard count and identify concurrency (GET /gateway/bot, through DISCORD_API_URL if set). */
async function gatewayInfo(cfg: Config, botToken: string): Promise<{ shards: number; maxConcurrency: number }> {
  const rest = new REST({ ...(cfg.discord.apiUrl ? { api: cfg.discord.apiUrl } : {}), timeout: 15_000, retries: 1 }).setToken(botToken);
  const info = (await rest.get(Routes.gatewayBot())) as { shards: number; session_start_limit?: { max_concurrency?: number } };
  return { shards: info.shards, maxConcurrency: Math.max(1, info.session_start_limit?.max_concurrency ?? 1) };
}
