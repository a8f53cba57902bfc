// Reciprocal rank fusion of the vector and keyword rankings: robust to their
// incomparable score scales, and measured better than either alone (npm run eval).

export interface Ranked {
  id: number;
}

/** k dampens the lead of the very first ranks; weights tilt towards one ranking. */
export function reciprocalRankFusion(rankings: Array<{ hits: Ranked[]; weight: number }>, k = 60): Array<{ id: number; score: number }> {
  const scores = new Map<number, number>();
  for (const { hits, weight } of rankings) {
    hits.forEach((hit, rank) => scores.set(hit.id, (scores.get(hit.id) ?? 0) + weight / (k + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
