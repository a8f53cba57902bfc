// What flows through the retrieval signals: passages by id with a score, best first.

export interface Candidate {
  /** Passage id (position in the store). */
  id: number;
  score: number;
}

/** Best first; equal scores by passage order, so results are stable. */
export function byScore(a: Candidate, b: Candidate): number {
  return b.score - a.score || a.id - b.id;
}

/**
 * A bonus in units of a first rank under reciprocal rank fusion: a signal
 * worth `weight` moves a passage as much as `weight` first places would.
 */
export function rankUnits(weight: number, rrfK: number): number {
  return weight / (rrfK + 1);
}
