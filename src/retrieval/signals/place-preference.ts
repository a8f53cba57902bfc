// A question that names a place asks about that place: passages about it move
// ahead of passages that merely share words. "About" is read from the place
// tags the corpus step stored (a paragraph's own places, and those it inherits
// from its report or the paragraph it follows); nothing is re-derived here.
import { byScore, rankUnits, type Candidate } from './candidate.js';

export interface PlaceTags {
  own: readonly string[];
  inherited: readonly string[];
}

export interface PlacePreferenceInput {
  /** Places the question names (ids as stored in the tags), with what they cover. */
  named: ReadonlySet<string>;
  tagsOf: (id: number) => PlaceTags;
  /**
   * How many distinct top-level places (provinces) a tag list spans: a passage
   * listing a dozen provinces is about each of them only weakly.
   */
  breadth: (places: readonly string[]) => number;
}

export interface PlacePreferenceWeights {
  /** Bonus, in first ranks, for a passage that names the place itself. */
  own: number;
  /** Bonus for a passage that is about the place only through its report or the paragraph before. */
  inherited: number;
}

export function preferNamedPlaces(candidates: Candidate[], input: PlacePreferenceInput, weights: PlacePreferenceWeights, rrfK: number): Candidate[] {
  if (input.named.size === 0 || (weights.own === 0 && weights.inherited === 0)) return candidates;
  const hits = (places: readonly string[]) => places.some((p) => input.named.has(p));
  return candidates
    .map((c) => {
      const tags = input.tagsOf(c.id);
      const weight = hits(tags.own) ? weights.own : hits(tags.inherited) ? weights.inherited : 0;
      if (weight === 0) return c;
      const breadth = input.breadth(hits(tags.own) ? tags.own : tags.inherited);
      return { id: c.id, score: c.score + rankUnits(weight, rrfK) / Math.max(1, breadth - 1) };
    })
    .sort(byScore);
}
