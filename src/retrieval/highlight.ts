// The sentence of a passage that best matches the question, for bold/markers.
import { splitSentences } from '../text/text.js';
import { matchingForm } from '../text/tokens.js';
import type { Span } from './types.js';

/** Weighted query terms: rarer terms (higher IDF) say more about which sentence answers. */
export type TermWeights = Map<string, number>;

export function bestSentence(passage: string, weights: TermWeights): Span | null {
  const sentences = splitSentences(passage);
  if (sentences.length === 0) return null;
  let best: Span | null = null;
  let bestScore = 0;
  for (const s of sentences) {
    const form = matchingForm(s.text);
    let score = 0;
    for (const [term, weight] of weights) if (form.includes(term)) score += weight;
    // Ties go to the earlier sentence, which usually carries the subject.
    if (score > bestScore) {
      bestScore = score;
      const lead = s.text.length - s.text.trimStart().length;
      const text = s.text.trim();
      best = { start: s.start + lead, end: s.start + lead + text.length, text };
    }
  }
  return best;
}
