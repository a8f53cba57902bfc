// The paragraph store: every Report, Paragraph and Passage with the text and
// citation data answers need, so answering never touches data/.
import type { Paragraph, Passage, Report } from '../corpus/types.js';

export interface Store {
  reports: Report[];
  paragraphs: Paragraph[];
  passages: Passage[];
}

/** Generation folder file names. */
export const FILES = {
  store: 'store.json',
  vectors: 'vectors.f32',
  hnsw: 'hnsw.bin',
  keyword: 'keyword.bin',
} as const;
