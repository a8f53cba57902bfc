// Whether the retrieved passages actually answer the question (placeholder until calibrated).
import type { Store } from '../index/store.js';
import type { PreparedQuery } from './query.js';
import type { Hit } from './types.js';

export interface AnswerabilityInput {
  query: PreparedQuery;
  hits: Hit[];
  similarity: number;
  store: Store;
}

export function judgeAnswerable(input: AnswerabilityInput): { answerable: boolean; reason: string | null } {
  if (input.hits.length === 0) return { answerable: false, reason: 'No passage matches the question.' };
  return { answerable: true, reason: null };
}
