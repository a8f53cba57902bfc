// The hits of an Answer in the `search --jsonl` contract's shape.
import type { Answer, Span } from './types.js';

export interface JsonHit {
  source: string;
  paragraph: number;
  title: string;
  text: string;
  score: number;
  /** The phrase of `text` that answers (JavaScript string indices), or null. */
  answer_span: { start: number; end: number } | null;
}

/** The span's place in a near-copy's text (copies may differ slightly), or null. */
function spanIn(text: string, original: string, span: Span | null): JsonHit['answer_span'] {
  if (!span) return null;
  if (text === original) return { start: span.start, end: span.end };
  const at = text.indexOf(span.text);
  return at < 0 ? null : { start: at, end: at + span.text.length };
}

/** Folded near-copies are listed right after their passage, so either source can be cited. */
export function jsonHits(answer: Answer, k: number): JsonHit[] {
  const score = (s: number) => Number(s.toFixed(6));
  return answer.hits
    .flatMap((h) =>
      [h, ...h.alsoIn].map((c) => ({
        source: c.source,
        paragraph: c.paragraph,
        title: c.title,
        text: c.text,
        score: score(h.score),
        answer_span: spanIn(c.text, h.text, h.answerSpan),
      })),
    )
    .slice(0, k);
}
