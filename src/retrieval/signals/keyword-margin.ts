// Rank fusion keeps only ranks; when one passage matches the question's words
// far better than the next (533 vs 30), that margin matters: a bonus in
// proportion to each passage's keyword score relative to the best keeps it.
import { byScore, rankUnits, type Candidate } from './candidate.js';

export function keywordMargin(candidates: Candidate[], keywordHits: Candidate[], weight: number, rrfK: number): Candidate[] {
  const best = keywordHits[0]?.score ?? 0;
  if (weight === 0 || best <= 0) return candidates;
  const relative = new Map(keywordHits.map((h) => [h.id, h.score / best]));
  const unit = rankUnits(weight, rrfK);
  return candidates.map((c) => ({ id: c.id, score: c.score + unit * (relative.get(c.id) ?? 0) })).sort(byScore);
}
