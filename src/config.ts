// The one place that reads process.env: every CLI command and the bot get
// their settings from here, validated, so a typo fails loudly at start-up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { z } from 'zod';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const fromRoot = (p: string) => path.resolve(PROJECT_ROOT, p);

const schema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  INDEX_DIR: z.string().min(1).default('embeddings'),
  EMBEDDING_MODEL_ID: z.string().min(1).default('Xenova/bge-small-zh-v1.5'),
  EMBEDDING_MODEL_DIR: z.string().optional(),
  /** Prepend bge's retrieval instruction to queries. Off: measured to lower accuracy on our reports. */
  QUERY_INSTRUCTION: z.enum(['on', 'off']).default('off'),
  /** Passages returned per question. */
  SEARCH_TOP_K: z.coerce.number().int().min(1).max(50).default(5),
  /** Candidates taken from each of the vector and keyword indexes before fusion. */
  SEARCH_CANDIDATES: z.coerce.number().int().min(5).max(500).default(40),
  /** HNSW search breadth (layer 0): higher finds more of the true nearest passages, slower; README's Performance section has the measured trade. */
  HNSW_EF: z.coerce.number().int().min(128).max(5000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_CLIENT_ID: z.string().regex(/^\d{5,25}$/, 'must be the numeric application id from the Discord developer portal').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{5,25}$/, 'must be a numeric server (guild) id').optional(),
  DISCORD_API_URL: z.string().url('must be a URL such as https://discord.com/api').optional(),
  /** Gateway shards this process runs: `auto` (Discord's recommended count) or a number, all in this process. */
  DISCORD_SHARDS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(10000)], { error: "must be 'auto' or a whole number of shards (1 or more)" }).default('auto'),
  /** A subset of shards for this process or machine (e.g. `0,1` or `4-7`); needs DISCORD_SHARD_COUNT. */
  DISCORD_SHARD_IDS: z.string().regex(/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/, 'must be shard ids such as 1 or 0,2 or 4-7').optional(),
  /** Total shards across every process/machine (with DISCORD_SHARD_IDS). */
  DISCORD_SHARD_COUNT: z.coerce.number().int().min(1).max(10000).optional(),
  /** Questions (/ask, mentions, DMs) one user may ask per window; extra ones get a friendly "slow down". */
  RATE_LIMIT_QUESTIONS: z.coerce.number().int().min(1).max(100000).default(5),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(30),
  /** Questions being answered at once; beyond it users are told the bot is busy (bounded queue). */
  MAX_PENDING_QUESTIONS: z.coerce.number().int().min(1).max(100000).default(200),
  /** On SIGINT/SIGTERM, how long in-flight replies may take before the bot exits anyway. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
  /** Rebuild and swap in the index when files under DATA_DIR change (debounced). */
  WATCH_DATA: z.enum(['on', 'off']).default('off'),
  /** Answer a mention in a text channel in a new thread named after the question (follow-ups there answered in place). */
  REPLY_IN_THREAD: z.enum(['on', 'off']).default('off'),
  /** Rebuild an index that is damaged, for another model or of another data folder, instead of refusing (or warning); a missing or stale one is always built. */
  AUTO_REINDEX: z.enum(['on', 'off']).default('off'),
  /** SQLite file for the question log and feedback (/stats, npm run report), relative to the project; `off` records nothing. */
  STATS_DB: z.string().min(1).default('embeddings/bot.sqlite'),
  /** Secret mixed into user-id hashes; when unset, one is generated on first use and kept in the database. */
  STATS_SALT: z.string().min(16, 'must be at least 16 characters (or leave it empty to have one generated)').optional(),
  /** Questions and votes older than this are deleted (checked at start and daily). */
  STATS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
});

export interface Config {
  dataDir: string;
  indexDir: string;
  modelId: string;
  modelDir: string;
  queryInstruction: boolean;
  topK: number;
  candidates: number;
  hnswEf: number;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** Which gateway shards the bot runs (discord.js sharding). */
  sharding: Sharding;
  discord: {
    /** Secret: never log it. */
    token: string | null;
    clientId: string | null;
    guildId: string | null;
    /** REST base URL (a Discord API proxy, or a local fake in tests); null for Discord itself. */
    apiUrl: string | null;
  };
  /** Bot behaviour under load, on shutdown and when the reports change. */
  bot: {
    rateLimitQuestions: number;
    rateLimitWindowSeconds: number;
    maxPendingQuestions: number;
    shutdownGraceSeconds: number;
    watchData: boolean;
    replyInThread: boolean;
    autoReindex: boolean;
  };
  /** The question log (src/insight). */
  stats: {
    /** Absolute path of the SQLite file, or null when STATS_DB=off. */
    db: string | null;
    /** Secret: never log it. */
    salt: string | null;
    retentionDays: number;
  };
}

/** `auto`: as many shards as Discord recommends, all here; otherwise these ids out of `count`. */
export type Sharding = { ids: 'auto'; count: null } | { ids: number[]; count: number };

export class ConfigError extends Error {}

/** Parses configuration from `env` (default: process.env after loading `.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = loadDotenv()): Config {
  // An empty `FOO=` line in .env means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid configuration (check your .env, see .env.example):\n${problems}`);
  }
  const e = parsed.data;
  const indexDir = fromRoot(e.INDEX_DIR);
  return {
    dataDir: fromRoot(e.DATA_DIR),
    indexDir,
    modelId: e.EMBEDDING_MODEL_ID,
    modelDir: e.EMBEDDING_MODEL_DIR ? fromRoot(e.EMBEDDING_MODEL_DIR) : path.join(fromRoot('embeddings'), 'models', e.EMBEDDING_MODEL_ID),
    queryInstruction: e.QUERY_INSTRUCTION === 'on',
    topK: e.SEARCH_TOP_K,
    candidates: e.SEARCH_CANDIDATES,
    hnswEf: e.HNSW_EF,
    logLevel: e.LOG_LEVEL,
    sharding: parseSharding(e.DISCORD_SHARDS, e.DISCORD_SHARD_IDS, e.DISCORD_SHARD_COUNT),
    discord: {
      token: e.DISCORD_TOKEN ?? null,
      clientId: e.DISCORD_CLIENT_ID ?? null,
      guildId: e.DISCORD_GUILD_ID ?? null,
      apiUrl: e.DISCORD_API_URL ?? null,
    },
    bot: {
      rateLimitQuestions: e.RATE_LIMIT_QUESTIONS,
      rateLimitWindowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      maxPendingQuestions: e.MAX_PENDING_QUESTIONS,
      shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
      watchData: e.WATCH_DATA === 'on',
      replyInThread: e.REPLY_IN_THREAD === 'on',
      autoReindex: e.AUTO_REINDEX === 'on',
    },
    stats: {
      db: e.STATS_DB === 'off' ? null : fromRoot(e.STATS_DB),
      salt: e.STATS_SALT ?? null,
      retentionDays: e.STATS_RETENTION_DAYS,
    },
  };
}

function parseSharding(shards: 'auto' | number, ids: string | undefined, count: number | undefined): Sharding {
  const total = count ?? (typeof shards === 'number' ? shards : undefined);
  if (count !== undefined && typeof shards === 'number' && shards !== count) {
    throw new ConfigError(`DISCORD_SHARDS=${shards} and DISCORD_SHARD_COUNT=${count} disagree: set one of them (see .env.example).`);
  }
  if (ids === undefined) return total === undefined ? { ids: 'auto', count: null } : { ids: range(0, total - 1), count: total };
  if (total === undefined) {
    throw new ConfigError('DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, the total number of shards across all processes (see .env.example).');
  }
  const list = [...new Set(ids.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map((x) => Number(x.trim()));
    return range(a!, b ?? a!);
  }))].sort((x, y) => x - y);
  const outside = list.filter((id) => id >= total);
  if (outside.length || list.length === 0) {
    throw new ConfigError(`DISCORD_SHARD_IDS=${ids}: shard ids run from 0 to DISCORD_SHARD_COUNT-1 (${total - 1}).`);
  }
  return { ids: list, count: total };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

let dotenvLoaded = false;
function loadDotenv(): NodeJS.ProcessEnv {
  if (!dotenvLoaded) {
    dotenv.config({ path: fromRoot('.env'), quiet: true });
    dotenvLoaded = true;
  }
  return process.env;
}
