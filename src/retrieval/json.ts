// The hits of an Answer in the `search --jsonl` contract's shape.
import type { Answer } from './types.js';

export interface JsonHit {
  source: string;
  paragraph: number;
  title: string;
  text: string;
  score: number;
}

/** Folded near-copies are listed right after their passage, so either source can be cited. */
export function jsonHits(answer: Answer, k: number): JsonHit[] {
  const score = (s: number) => Number(s.toFixed(6));
  return answer.hits
    .flatMap((h) => [h, ...h.alsoIn].map((c) => ({ source: c.source, paragraph: c.paragraph, title: c.title, text: c.text, score: score(h.score) })))
    .slice(0, k);
}
