// The question log: what users asked, what the bot answered (verdict, cited
// passages, latency) and their 👍/👎, in SQLite. Recording only queues a row
// in memory; rows are written in one transaction a moment later, after the
// reply has gone out. A failing database (locked, read-only, corrupt, full)
// is logged once and never reaches the user: the bot answers regardless.
import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Answer } from '../retrieval/types.js';
import { openDatabase, type Db } from './schema.js';

export type Via = 'ask' | 'mention' | 'dm' | 'button';
export type Verdict = 'answer' | 'related' | 'none';
export type Vote = 1 | -1;
export const REASONS = ['wrong-passage', 'not-answered', 'outdated', 'other'] as const;
export type Reason = (typeof REASONS)[number];

/** Passages recorded per answer: the ones a first page of results shows. */
export const CITED_PASSAGES = 5;
/** Rows wait this long so a burst is written in one transaction, after its replies are sent. */
export const FLUSH_DELAY_MS = 250;
/** Rows per transaction when the timer fires: a burst is written in slices, so the event loop is never held long. */
export const BATCH_ROWS = 25;
/** While the database is locked, rows wait in memory up to this many (oldest dropped beyond). */
export const MAX_QUEUED = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AskedQuestion {
  via: Via;
  guildId: string | null;
  channelId: string | null;
  /** The Discord user id: hashed with the salt at once, never stored. */
  userId: string;
  answer: Answer;
  latencyMs: number;
  /** When it was asked (ms since the epoch); default now. */
  at?: number;
}

export interface QuestionLogOptions {
  /** SQLite file; null records nothing. */
  file: string | null;
  /** STATS_SALT; null: generated once and kept in the database. */
  salt: string | null;
  retentionDays: number;
  logger: Logger;
  now?: () => number;
}

type Pending =
  | { kind: 'question'; row: QuestionRow; citations: Array<{ report: string; paragraph: number }>; places: string[] }
  | { kind: 'vote'; questionId: string; userHash: string; vote: Vote; at: number }
  | { kind: 'reason'; questionId: string; userHash: string; reason: Reason };

interface QuestionRow {
  id: string;
  asked_at: number;
  via: Via;
  guild_id: string | null;
  channel_id: string | null;
  user_hash: string;
  question: string;
  language: string;
  verdict: Verdict;
  latency_ms: number;
  cached: number;
}

/** The graded verdict when retrieval gives one, else the yes/no answerable flag. */
export function verdictOf(answer: Answer): Verdict {
  return answer.verdict ?? (answer.answerable ? 'answer' : 'none');
}

/**
 * Mentions carry raw Discord ids (of users, roles, channels): replaced by a
 * placeholder so no user id reaches the database through a question's text.
 */
export function scrubMentions(text: string): string {
  return text.replace(/<@!?\d+>/g, '@user').replace(/<@&\d+>/g, '@role').replace(/<#\d+>/g, '#channel');
}

/** Question ids: random (not a counter) so several bot processes can share one file. */
export const QUESTION_ID = /^[0-9a-z]{12}$/;
function newQuestionId(): string {
  return [...randomBytes(12)].map((b) => (b % 36).toString(36)).join('');
}

export class QuestionLog {
  private db: Db | null = null;
  private salt: string | null;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private failing = false;
  private closed = false;
  private readonly logger: Logger;
  private readonly now: () => number;
  private statements: ReturnType<QuestionLog['prepare']> | null = null;

  constructor(private readonly options: QuestionLogOptions) {
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.salt = options.salt;
    if (!options.file) return;
    try {
      this.db = openDatabase(options.file);
      this.statements = this.prepare(this.db);
      this.salt ??= this.storedSalt(this.db);
      this.prune();
      this.pruneTimer = setInterval(() => this.prune(), DAY_MS);
      this.pruneTimer.unref();
    } catch (error) {
      this.db?.close();
      this.db = null;
      this.fail(error, 'open');
    }
  }

  /** False when STATS_DB=off or the file could not be opened: nothing is recorded. */
  get enabled(): boolean {
    return this.db !== null && !this.closed;
  }

  /** Whether the last write or read failed (it was logged once). */
  get isFailing(): boolean {
    return this.failing;
  }

  /** Queues a question; returns its id (for its feedback buttons), or null when nothing is recorded. */
  record(q: AskedQuestion): string | null {
    if (!this.enabled) return null;
    const { answer } = q;
    const verdict = verdictOf(answer);
    const id = newQuestionId();
    this.enqueue({
      kind: 'question',
      row: {
        id,
        asked_at: q.at ?? this.now(),
        via: q.via,
        guild_id: q.guildId,
        // A DM channel belongs to one user: Discord would say whose it is, so DMs keep no channel.
        channel_id: q.guildId === null ? null : q.channelId,
        user_hash: this.hash(q.userId),
        question: scrubMentions(answer.question),
        language: answer.language ?? (/[\u3400-\u9fff]/.test(answer.question) ? 'zh' : 'en'),
        verdict,
        latency_ms: Math.round(q.latencyMs * 100) / 100,
        cached: answer.cached ? 1 : 0,
      },
      // A "none" reply quotes nothing.
      citations: verdict === 'none' ? [] : answer.hits.slice(0, CITED_PASSAGES).map((h) => ({ report: h.source, paragraph: h.paragraph })),
      places: [...new Set(answer.places ?? [])],
    });
    return id;
  }

  /** A 👍 (1) or 👎 (-1); a user's second vote on a question replaces the first. */
  vote(questionId: string, userId: string, vote: Vote, at = this.now()): void {
    if (!this.enabled) return;
    this.enqueue({ kind: 'vote', questionId, userHash: this.hash(userId), vote, at });
  }

  /** What was wrong, after a 👎 (ignored when the user's vote is not a 👎). */
  reason(questionId: string, userId: string, reason: Reason): void {
    if (!this.enabled) return;
    this.enqueue({ kind: 'reason', questionId, userHash: this.hash(userId), reason });
  }

  /** Runs a read against the database (pending rows written first); null when it is off or failing. */
  read<T>(query: (db: Db) => T): T | null {
    if (!this.enabled) return null;
    this.flush();
    try {
      const result = query(this.db!);
      this.recovered();
      return result;
    } catch (error) {
      this.fail(error, 'read');
      return null;
    }
  }

  /** Writes every queued row now (before a read, at shutdown). */
  flush(): void {
    while (this.writeSome(Infinity) && this.queue.length > 0);
  }

  /**
   * Writes up to `max` queued rows in one transaction; false when the write failed.
   * Rows of a locked database wait for the next try; anything else will not heal by retrying the same rows.
   */
  private writeSome(max: number): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.db || this.queue.length === 0) return true;
    const batch = this.queue.splice(0, max);
    try {
      this.write(batch);
      this.recovered();
      if (this.queue.length > 0) this.schedule(true);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
        this.queue = [...batch, ...this.queue].slice(-MAX_QUEUED);
        this.schedule();
      }
      this.fail(error, 'write');
      return false;
    }
  }

  /** Deletes questions (with their citations and votes) older than the retention period; returns how many. */
  prune(now = this.now()): number {
    if (!this.db) return 0;
    try {
      const cutoff = now - this.options.retentionDays * DAY_MS;
      const { changes } = this.statements!.prune.run(cutoff);
      if (changes > 0) this.logger.info({ event: 'stats-pruned', questions: changes, retentionDays: this.options.retentionDays }, 'old questions deleted from the stats database');
      return changes;
    } catch (error) {
      this.fail(error, 'prune');
      return 0;
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    try {
      this.db?.close();
    } catch (error) {
      this.fail(error, 'close');
    }
  }

  private hash(userId: string): string {
    return createHmac('sha256', this.salt!).update(userId).digest('base64url').slice(0, 22);
  }

  private enqueue(item: Pending): void {
    this.queue.push(item);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
    this.schedule();
  }

  private schedule(soon = false): void {
    if (this.timer || this.closed) return;
    // The rest of a burst follows at once, after whatever the event loop has waiting.
    this.timer = setTimeout(() => this.writeSome(BATCH_ROWS), soon ? 0 : FLUSH_DELAY_MS);
    // Pending rows never keep the process alive; close() writes them on shutdown.
    this.timer.unref();
  }

  private prepare(db: Db) {
    return {
      question: db.prepare(
        `INSERT INTO questions (id, asked_at, via, guild_id, channel_id, user_hash, question, language, verdict, latency_ms, cached)
         VALUES (@id, @asked_at, @via, @guild_id, @channel_id, @user_hash, @question, @language, @verdict, @latency_ms, @cached)`,
      ),
      citation: db.prepare('INSERT INTO citations (question_id, rank, report, paragraph) VALUES (?, ?, ?, ?)'),
      place: db.prepare('INSERT OR IGNORE INTO question_places (question_id, place) VALUES (?, ?)'),
      // A vote on a question no longer (or never) in the log is dropped, not an error.
      vote: db.prepare(
        `INSERT INTO feedback (question_id, user_hash, vote, reason, voted_at)
         SELECT @question, @user, @vote, NULL, @at WHERE EXISTS (SELECT 1 FROM questions WHERE id = @question)
         ON CONFLICT (question_id, user_hash) DO UPDATE SET vote = excluded.vote, reason = NULL, voted_at = excluded.voted_at`,
      ),
      reason: db.prepare('UPDATE feedback SET reason = ? WHERE question_id = ? AND user_hash = ? AND vote = -1'),
      prune: db.prepare('DELETE FROM questions WHERE asked_at < ?'),
    };
  }

  private write(batch: Pending[]): void {
    const s = this.statements!;
    this.db!.transaction(() => {
      for (const item of batch) {
        if (item.kind === 'question') {
          s.question.run(item.row);
          item.citations.forEach((c, i) => s.citation.run(item.row.id, i + 1, c.report, c.paragraph));
          for (const place of item.places) s.place.run(item.row.id, place);
        } else if (item.kind === 'vote') {
          s.vote.run({ question: item.questionId, user: item.userHash, vote: item.vote, at: item.at });
        } else {
          s.reason.run(item.reason, item.questionId, item.userHash);
        }
      }
    })();
  }

  private storedSalt(db: Db): string {
    // INSERT OR IGNORE then read: two processes starting together agree on one salt.
    db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('salt', ?)").run(randomBytes(32).toString('hex'));
    return (db.prepare("SELECT value FROM settings WHERE key = 'salt'").get() as { value: string }).value;
  }

  private fail(error: unknown, during: string): void {
    if (this.failing) return;
    this.failing = true;
    const e = error as { code?: string; message?: string };
    this.logger.warn(
      { event: 'stats-db-failing', during, file: this.options.file, code: e.code, error: e.message },
      'stats database not usable: questions are answered but not recorded until it works again (logged once)',
    );
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.info({ event: 'stats-db-recovered', file: this.options.file }, 'stats database works again');
  }
}
