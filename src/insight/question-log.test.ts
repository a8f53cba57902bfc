import { mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import type { Answer, Hit } from '../retrieval/types.js';
import { QuestionLog, scrubMentions, verdictOf, type AskedQuestion } from './question-log.js';
import { MIGRATIONS, openDatabase, schemaVersion } from './schema.js';

const USER = '1200000000000000020';
let dir: string;
let file: string;
let logLines: Array<Record<string, unknown>>;

function logger() {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
      done();
    },
  });
  return createLogger('info', { destination: sink, pretty: false });
}

function hit(source: string, paragraph: number): Hit {
  return { source, title: 't', reportNumber: 1, paragraph, sourceUrl: null, passageId: paragraph, part: 0, text: 'x', score: 1, places: { own: [], inherited: [] }, bestSentence: null, answerSpan: null, alsoIn: [] };
}

function answer(question: string, answerable: boolean, hits: Hit[] = [], places: string[] = []): Answer {
  return { question, truncated: false, verdict: answerable ? 'answer' : 'none', answerable, reason: answerable ? null : 'not found', hits, shown: hits.length, language: 'zh', places, cached: false };
}

function asked(a: Answer, extra: Partial<AskedQuestion> = {}): AskedQuestion {
  return { via: 'ask', guildId: '1200000000000000001', channelId: '1200000000000000002', userId: USER, answer: a, latencyMs: 12.345, ...extra };
}

const open = (extra: Partial<ConstructorParameters<typeof QuestionLog>[0]> = {}) => new QuestionLog({ file, salt: null, retentionDays: 90, logger: logger(), ...extra });
const warnings = () => logLines.filter((l) => l.event === 'stats-db-failing');

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'insight-'));
  file = path.join(dir, 'sub', 'bot.sqlite');
  logLines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the question log', () => {
  it('creates the schema, records questions with verdict, citations and places, and keeps no raw user id', () => {
    const log = open();
    const id = log.record(asked(answer('北京有多少党员？<@1200000000000000099>', true, [hit('002_a.txt', 4), hit('001_b.txt', 6)], ['北京市']), { via: 'mention' }))!;
    const none = log.record(asked(answer('广东开会是哪天？', false, [hit('003_c.txt', 1)], ['广东省']), { via: 'dm', guildId: null }))!;
    expect(id).toMatch(/^[0-9a-z]{12}$/);
    log.close();

    const db = new Database(file, { readonly: true });
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const rows = db.prepare('SELECT * FROM questions ORDER BY asked_at, verdict').all() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(2);
    const first = rows.find((r) => r.id === id)!;
    expect(first).toMatchObject({ via: 'mention', verdict: 'answer', language: 'zh', latency_ms: 12.35, cached: 0, guild_id: '1200000000000000001', question: '北京有多少党员？@user' });
    expect(rows.find((r) => r.id === none)).toMatchObject({ verdict: 'none', via: 'dm', guild_id: null, channel_id: null });
    expect(db.prepare('SELECT report, paragraph FROM citations WHERE question_id = ? ORDER BY rank').all(id)).toEqual([
      { report: '002_a.txt', paragraph: 4 },
      { report: '001_b.txt', paragraph: 6 },
    ]);
    // "Not found" quotes nothing.
    expect(db.prepare('SELECT count(*) AS n FROM citations WHERE question_id = ?').get(none)).toEqual({ n: 0 });
    expect(db.prepare('SELECT place FROM question_places ORDER BY place').all()).toEqual([{ place: '北京市' }, { place: '广东省' }]);
    expect(String(first.user_hash)).not.toContain(USER);
    db.close();
    // Nowhere in the file (nor a WAL left behind): not in any table, not in any free page.
    for (const f of [file, `${file}-wal`]) if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(USER))).toBe(false);
    expect(readFileSync(file).includes(Buffer.from('1200000000000000099'))).toBe(false);
  });

  it('keeps one vote per user and question: a 👍 then a 👎 leaves one 👎, with its reason', () => {
    const log = open();
    const id = log.record(asked(answer('q', true, [hit('a.txt', 1)])))!;
    log.vote(id, USER, 1);
    log.vote(id, USER, -1);
    log.reason(id, USER, 'wrong-passage');
    log.vote(id, 'someone-else', 1);
    // A vote on a question the log does not hold is dropped, not an error.
    log.vote('zzzzzzzzzzzz', USER, 1);
    const votes = log.read((db) => db.prepare('SELECT vote, reason FROM feedback ORDER BY vote').all());
    expect(votes).toEqual([
      { vote: -1, reason: 'wrong-passage' },
      { vote: 1, reason: null },
    ]);
    // Changing back to 👍 clears the reason; a reason without a 👎 is ignored.
    log.vote(id, USER, 1);
    log.reason(id, USER, 'other');
    expect(log.read((db) => db.prepare('SELECT vote, reason FROM feedback').all())).toEqual([
      { vote: 1, reason: null },
      { vote: 1, reason: null },
    ]);
    expect(warnings()).toEqual([]);
    log.close();
  });

  it('hashes a user the same way across restarts with a generated salt, differently with another salt', () => {
    const a = open();
    a.record(asked(answer('q', true)));
    a.close();
    const b = open();
    b.record(asked(answer('q', true)));
    const hashes = b.read((db) => (db.prepare('SELECT DISTINCT user_hash FROM questions').all() as Array<{ user_hash: string }>).map((r) => r.user_hash))!;
    b.close();
    expect(hashes).toHaveLength(1);
    const c = open({ salt: 'another-salt-of-16-chars' });
    c.record(asked(answer('q', true)));
    expect(c.read((db) => db.prepare('SELECT count(DISTINCT user_hash) AS n FROM questions').get())).toEqual({ n: 2 });
    c.close();
  });

  it('prunes questions, citations, places and votes older than the retention period', () => {
    const now = Date.UTC(2026, 0, 100);
    const day = 86_400_000;
    const log = open({ retentionDays: 30, now: () => now });
    const old = log.record(asked(answer('old', true, [hit('a.txt', 1)], ['北京市']), { at: now - 31 * day }))!;
    const recent = log.record(asked(answer('recent', true, [hit('a.txt', 2)]), { at: now - 29 * day }))!;
    log.vote(old, USER, -1);
    log.vote(recent, USER, 1);
    log.flush();
    expect(log.prune()).toBe(1);
    const counts = log.read((db) => ({
      questions: db.prepare('SELECT id FROM questions').all(),
      citations: (db.prepare('SELECT count(*) AS n FROM citations').get() as { n: number }).n,
      places: (db.prepare('SELECT count(*) AS n FROM question_places').get() as { n: number }).n,
      feedback: (db.prepare('SELECT count(*) AS n FROM feedback').get() as { n: number }).n,
    }));
    expect(counts).toEqual({ questions: [{ id: recent }], citations: 1, places: 0, feedback: 1 });
    log.close();
    // Pruning also runs at open.
    const later = open({ retentionDays: 30, now: () => now + 2 * day });
    expect(later.read((db) => db.prepare('SELECT count(*) AS n FROM questions').get())).toEqual({ n: 0 });
    later.close();
  });

  it('migrates once and refuses a newer schema with one warning, recording nothing', () => {
    open().close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length + 1);
    db.close();
    const log = open();
    expect(log.enabled).toBe(false);
    expect(log.record(asked(answer('q', true)))).toBeNull();
    expect(warnings()).toHaveLength(1);
    expect(String(warnings()[0]!.error)).toMatch(/newer than this bot knows/);
  });

  it('STATS_DB=off records nothing and creates no file', () => {
    const log = open({ file: null });
    expect(log.record(asked(answer('q', true)))).toBeNull();
    log.vote('x', USER, 1);
    expect(log.read(() => 1)).toBeNull();
    log.close();
    expect(existsSync(file)).toBe(false);
  });

  it('a database corrupted mid-run: one warning, recording calls keep returning', () => {
    const log = open();
    log.record(asked(answer('before', true)));
    log.flush();
    // Overwrite the database, its WAL and its shared index in place, as a disk fault would.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (!existsSync(f)) continue;
      const size = statSync(f).size;
      const fd = openSync(f, 'r+');
      writeSync(fd, Buffer.alloc(size, 7), 0, size, 0);
      closeSync(fd);
    }
    for (let i = 0; i < 20; i++) {
      log.record(asked(answer(`after ${i}`, true)));
      log.flush();
    }
    expect(log.read((db) => db.prepare('SELECT count(*) FROM questions').get())).toBeNull();
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ code: 'SQLITE_NOTADB' });
    log.close();
  });

  it('a database locked by another process: one warning, the rows wait and are written once it is free', () => {
    const log = open();
    log.record(asked(answer('first', true)));
    log.flush();
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) {
      log.record(asked(answer(`while locked ${i}`, true)));
      log.flush();
    }
    // Short waits: a lock must not stall the bot.
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.code).toMatch(/^SQLITE_BUSY/);
    other.exec('ROLLBACK');
    other.close();
    log.flush();
    expect(log.read((db) => db.prepare('SELECT count(*) AS n FROM questions').get())).toEqual({ n: 6 });
    expect(logLines.some((l) => l.event === 'stats-db-recovered')).toBe(true);
    log.close();
  });

  it('two bot processes (shards) share one file: one salt, every row kept', () => {
    const a = open();
    const b = open();
    for (let i = 0; i < 50; i++) {
      a.record(asked(answer(`a${i}`, true, [hit('a.txt', 1)])));
      b.record(asked(answer(`b${i}`, false)));
      if (i % 10 === 0) {
        a.flush();
        b.flush();
      }
    }
    a.close();
    b.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n, count(DISTINCT user_hash) AS users FROM questions').get()).toEqual({ n: 100, users: 1 });
    db.close();
    expect(warnings()).toEqual([]);
  });

  it('an unusable file at start (a folder in its place): one warning, recording is off', () => {
    const log = new QuestionLog({ file: dir, salt: null, retentionDays: 90, logger: logger() });
    expect(log.enabled).toBe(false);
    expect(log.record(asked(answer('q', true)))).toBeNull();
    expect(warnings()).toHaveLength(1);
  });

  it('writes rows in one batch, after a short delay', async () => {
    const log = open();
    for (let i = 0; i < 100; i++) log.record(asked(answer(`q${i}`, i % 2 === 0)));
    const count = () => (log as unknown as { db: Database.Database }).db.prepare('SELECT count(*) AS n FROM questions').get();
    expect(count()).toEqual({ n: 0 });
    await new Promise((r) => setTimeout(r, 400));
    expect(count()).toEqual({ n: 100 });
    log.close();
  });
});

describe('helpers', () => {
  it('takes the graded verdict when retrieval gives one', () => {
    expect(verdictOf(answer('q', true))).toBe('answer');
    expect(verdictOf(answer('q', false))).toBe('none');
    expect(verdictOf({ ...answer('q', false), verdict: 'related' } as Answer)).toBe('related');
  });

  it('scrubs user, role and channel mentions', () => {
    expect(scrubMentions('<@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678> 北京')).toBe('@user @user @role #channel 北京');
  });
});
