// Reciprocal rank fusion of the vector and keyword rankings: robust to their
// incomparable score scales, and measured better than either alone (npm run eval).
import { byScore, type Candidate } from './candidate.js';

export interface Ranking {
  hits: Array<{ id: number }>;
  weight: number;
}

/** k dampens the lead of the very first ranks; weights tilt towards one ranking. */
export function reciprocalRankFusion(rankings: Ranking[], k: number): Candidate[] {
  const scores = new Map<number, number>();
  for (const { hits, weight } of rankings) {
    if (weight === 0) continue;
    hits.forEach((hit, rank) => scores.set(hit.id, (scores.get(hit.id) ?? 0) + weight / (k + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort(byScore);
}
