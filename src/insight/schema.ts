// The question log's SQLite file: opened in WAL mode (readers never wait for
// the writer, and several bot processes may share the file), schema created
// and migrated in order at open.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Schema steps, applied in order; schema_version holds how many have run.
 * Append only: a released step is never edited, a change is a new step.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE questions (
    id         TEXT PRIMARY KEY,
    asked_at   INTEGER NOT NULL,            -- ms since the epoch
    via        TEXT NOT NULL CHECK (via IN ('ask', 'mention', 'dm', 'button')),
    guild_id   TEXT,                         -- null in DMs
    channel_id TEXT,
    user_hash  TEXT NOT NULL,                -- HMAC of the user id with the salt, never the id
    question   TEXT NOT NULL,
    language   TEXT NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('answer', 'related', 'none')),
    latency_ms REAL NOT NULL,
    cached     INTEGER NOT NULL CHECK (cached IN (0, 1))
  );
  CREATE INDEX questions_by_time ON questions (asked_at);
  -- The passages an answer quoted, best first.
  CREATE TABLE citations (
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    rank        INTEGER NOT NULL,
    report      TEXT NOT NULL,               -- report file, relative to DATA_DIR
    paragraph   INTEGER NOT NULL,
    PRIMARY KEY (question_id, rank)
  ) WITHOUT ROWID;
  -- The places a question names.
  CREATE TABLE question_places (
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    place       TEXT NOT NULL,
    PRIMARY KEY (question_id, place)
  ) WITHOUT ROWID;
  CREATE TABLE feedback (
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_hash   TEXT NOT NULL,
    vote        INTEGER NOT NULL CHECK (vote IN (1, -1)),
    reason      TEXT CHECK (reason IN ('wrong-passage', 'not-answered', 'outdated', 'other')),
    voted_at    INTEGER NOT NULL,
    PRIMARY KEY (question_id, user_hash)
  ) WITHOUT ROWID;
  `,
];

/** Opens (creating the folder and file if needed) and migrates; throws when the file is unusable. */
export function openDatabase(file: string, options: { busyTimeoutMs?: number } = {}): Db {
  mkdirSync(path.dirname(file), { recursive: true });
  // At open, wait as long as another process (a second shard) may take to migrate.
  const db = new Database(file, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a power cut may lose the last batch, never corrupt the file; much cheaper than FULL.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    // better-sqlite3 is synchronous: while answering, a wait for a lock stalls the bot, so it stays short.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 50}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  return row?.version ?? 0;
}

function migrate(db: Db): void {
  // IMMEDIATE: two processes starting at once do not both run a step.
  db.transaction(() => {
    const from = schemaVersion(db);
    if (from > MIGRATIONS.length) {
      throw new Error(`stats database schema version ${from} is newer than this bot knows (${MIGRATIONS.length}); update the bot or set STATS_DB to another file`);
    }
    for (let v = from; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    if (from === 0) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
    else if (from < MIGRATIONS.length) db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
  }).immediate();
}

/** Opens for reading only (reports): never creates, migrates or writes; throws with what to do when unusable. */
export function openForReading(file: string): Db {
  if (!existsSync(file)) throw new Error(`no stats database at ${file}: the bot creates it when it starts with STATS_DB set (see .env.example)`);
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const version = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_version'").get() as { n: number }).n
      ? ((db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined)?.version ?? 0)
      : 0;
    if (version === 0) throw new Error(`${file} is not a stats database (no schema_version table)`);
    if (version > MIGRATIONS.length) throw new Error(`${file} has schema version ${version}, newer than this tool knows (${MIGRATIONS.length}): update the project`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
