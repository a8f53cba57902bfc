// A question that asks for a number, a date, a person or a place is answered
// by a passage that holds one near the question's words, not by the lead
// paragraph that merely shares the most words with it ("咸宁今年在农村饮水安全上
// 投了多少钱？" → "…今年已累计投入资金1.2亿元"). Among the leading candidates,
// those where the answer-span finder finds a phrase of the asked kind move up.
import { byScore, rankUnits, type Candidate } from './candidate.js';

export interface AnswerKindInput {
  /** Whether the passage holds a phrase of the kind the question asks for (null: the question asks for a description). */
  holdsAnswer: ((id: number) => boolean) | null;
  /** Only this many leading candidates are examined: the span finder is not free, and further down it cannot matter. */
  depth: number;
}

export function preferAnswerKind(candidates: Candidate[], input: AnswerKindInput, weight: number, rrfK: number): Candidate[] {
  if (!input.holdsAnswer || weight === 0) return candidates;
  const bonus = rankUnits(weight, rrfK);
  const examined = candidates.slice(0, input.depth).map((c) => (input.holdsAnswer!(c.id) ? { id: c.id, score: c.score + bonus } : c));
  return [...examined, ...candidates.slice(input.depth)].sort(byScore);
}
