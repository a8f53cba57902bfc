// The figures /stats and `npm run report` show, read from the question log:
// how many questions, how they were answered, what users thought, how fast,
// which places they ask about, and what the reports could not answer.
import type { Db } from './schema.js';
import { groupQuestions, groupSimilarQuestions, type QuestionGroup } from './groups.js';
import { REASONS, type Reason, type Verdict, type Via } from './question-log.js';

export interface Figures {
  /** The window: questions asked at or after `since` (ms since the epoch) up to `until`. */
  since: number;
  until: number;
  questions: number;
  verdicts: Record<Verdict, number>;
  /** Votes on the window's questions (a user's last vote counts). */
  votes: { up: number; down: number };
  latencyMs: { p50: number | null; p95: number | null };
  /** Places the questions name, most asked first (top 5). */
  topPlaces: Array<{ place: string; count: number }>;
  /** Questions answered "not found", grouped when they differ only in punctuation, script, case or spacing (top 5). */
  topNotFound: QuestionGroup[];
}

export interface DislikedPassage {
  report: string;
  paragraph: number;
  /** 👎 on answers that quoted this passage first. */
  count: number;
  reasons: Partial<Record<Reason, number>>;
}

export interface GapsReport extends Figures {
  byVia: Partial<Record<Via, number>>;
  /** Share of questions served from the answer cache. */
  cachedShare: number;
  /** Every not-found question, grouped by similarity. */
  notFound: QuestionGroup[];
  /** Every 👎 question, grouped by similarity, with what users said was wrong. */
  disliked: Array<QuestionGroup & { reasons: Partial<Record<Reason, number>> }>;
  /** Passages quoted first in 👎 answers, most 👎 first. */
  dislikedPassages: DislikedPassage[];
}

const TOP = 5;

/** Which questions: asked in [since, until], and in one server when `guild` is given. */
export interface Window {
  since: number;
  until: number;
  guild?: string | null;
}

const IN_WINDOW = 'q.asked_at >= @since AND q.asked_at <= @until AND (@guild IS NULL OR q.guild_id = @guild)';

export function figures(db: Db, { since, until, guild = null }: Window): Figures {
  const window = { since, until, guild };
  const count = (db.prepare(`SELECT count(*) AS n FROM questions q WHERE ${IN_WINDOW}`).get(window) as { n: number }).n;
  const verdicts: Record<Verdict, number> = { answer: 0, related: 0, none: 0 };
  for (const row of db.prepare(`SELECT verdict, count(*) AS n FROM questions q WHERE ${IN_WINDOW} GROUP BY verdict`).all(window) as Array<{ verdict: Verdict; n: number }>) {
    verdicts[row.verdict] = row.n;
  }
  const votes = { up: 0, down: 0 };
  for (const row of db
    .prepare(`SELECT f.vote, count(*) AS n FROM feedback f JOIN questions q ON q.id = f.question_id WHERE ${IN_WINDOW} GROUP BY f.vote`)
    .all(window) as Array<{ vote: number; n: number }>) {
    if (row.vote === 1) votes.up = row.n;
    else votes.down = row.n;
  }
  const nth = db.prepare(`SELECT latency_ms AS ms FROM questions q WHERE ${IN_WINDOW} ORDER BY latency_ms LIMIT 1 OFFSET @offset`);
  // Nearest-rank percentiles.
  const percentile = (p: number) => (count === 0 ? null : (nth.get({ ...window, offset: Math.ceil(p * count) - 1 }) as { ms: number }).ms);
  const topPlaces = db
    .prepare(
      `SELECT p.place, count(*) AS count FROM question_places p JOIN questions q ON q.id = p.question_id
       WHERE ${IN_WINDOW} GROUP BY p.place ORDER BY count DESC, p.place LIMIT ${TOP}`,
    )
    .all(window) as Array<{ place: string; count: number }>;
  return {
    since,
    until,
    questions: count,
    verdicts,
    votes,
    latencyMs: { p50: percentile(0.5), p95: percentile(0.95) },
    topPlaces,
    topNotFound: groupQuestions(notFoundQuestions(db, window)).slice(0, TOP),
  };
}

export function gapsReport(db: Db, { since, until, guild = null }: Window): GapsReport {
  const window = { since, until, guild };
  const base = figures(db, window);
  const byVia: Partial<Record<Via, number>> = {};
  for (const row of db.prepare(`SELECT via, count(*) AS n FROM questions q WHERE ${IN_WINDOW} GROUP BY via`).all(window) as Array<{ via: Via; n: number }>) {
    byVia[row.via] = row.n;
  }
  const cached = (db.prepare(`SELECT count(*) AS n FROM questions q WHERE cached = 1 AND ${IN_WINDOW}`).get(window) as { n: number }).n;

  const downRows = db
    .prepare(`SELECT q.question, f.reason FROM feedback f JOIN questions q ON q.id = f.question_id WHERE f.vote = -1 AND ${IN_WINDOW} ORDER BY q.asked_at`)
    .all(window) as Array<{ question: string; reason: Reason | null }>;
  const disliked = groupSimilarQuestions(downRows.map((r) => r.question)).map((group) => {
    const wordings = new Set(group.variants);
    return { ...group, reasons: tally(downRows.filter((r) => wordings.has(r.question)).map((r) => r.reason)) };
  });

  const passageRows = db
    .prepare(
      `SELECT c.report, c.paragraph, f.reason FROM feedback f
       JOIN questions q ON q.id = f.question_id
       JOIN citations c ON c.question_id = f.question_id AND c.rank = 1
       WHERE f.vote = -1 AND ${IN_WINDOW}`,
    )
    .all(window) as Array<{ report: string; paragraph: number; reason: Reason | null }>;
  const passages = new Map<string, { report: string; paragraph: number; reasons: Array<Reason | null> }>();
  for (const r of passageRows) {
    const key = `${r.report}#${r.paragraph}`;
    const entry = passages.get(key) ?? { report: r.report, paragraph: r.paragraph, reasons: [] };
    entry.reasons.push(r.reason);
    passages.set(key, entry);
  }
  const dislikedPassages = [...passages.values()]
    .map((p) => ({ report: p.report, paragraph: p.paragraph, count: p.reasons.length, reasons: tally(p.reasons) }))
    .sort((a, b) => b.count - a.count || a.report.localeCompare(b.report) || a.paragraph - b.paragraph);

  return {
    ...base,
    byVia,
    cachedShare: base.questions === 0 ? 0 : cached / base.questions,
    notFound: groupSimilarQuestions(notFoundQuestions(db, window)),
    disliked,
    dislikedPassages,
  };
}

function notFoundQuestions(db: Db, window: Required<Window>): string[] {
  const rows = db.prepare(`SELECT question FROM questions q WHERE verdict = 'none' AND ${IN_WINDOW} ORDER BY asked_at`).all(window) as Array<{ question: string }>;
  return rows.map((r) => r.question);
}

function tally(reasons: Array<Reason | null>): Partial<Record<Reason, number>> {
  const out: Partial<Record<Reason, number>> = {};
  for (const r of reasons) if (r && (REASONS as readonly string[]).includes(r)) out[r] = (out[r] ?? 0) + 1;
  return out;
}
