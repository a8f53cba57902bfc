import type { PlaceTags } from '../places/tags.js';

/** Everything needed to cite a passage: formatting never goes back to the store. */
export interface Citation {
  /** Report file name relative to data/ (the report's id). */
  source: string;
  title: string;
  reportNumber: number | null;
  /** 1-based paragraph number within the report. */
  paragraph: number;
  sourceUrl: string | null;
}

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Hit extends Citation {
  passageId: number;
  /** 0-based part of a long paragraph split for the model. */
  part: number;
  /** The passage exactly as the report wrote it. */
  text: string;
  score: number;
  /** Places the passage is about (ids; see places/tags.ts). */
  places: PlaceTags;
  /** The sentence of `text` that best matches the question (offsets into `text`). */
  bestSentence: Span | null;
  /** The words that answer the question (offsets into `text`), when retrieval found them. */
  answerSpan?: Span | null;
  /** Other places carrying (nearly) the same passage, folded into this hit. */
  alsoIn: Array<Citation & { text: string }>;
}

export interface Answer {
  question: string;
  /** True when a very long question was cut before searching. */
  truncated: boolean;
  answerable: boolean;
  /** Why the answer is "not found", for the reply (null when answerable). */
  reason: string | null;
  hits: Hit[];
  /** The question's language as the query step read it (absent on answers not made by the searcher). */
  language?: 'zh' | 'en';
  /** Places the question names (canonical names, distinct). */
  places?: string[];
  /** True when the answer was served from the searcher's answer cache. */
  cached?: boolean;
  /** answer: a passage answers; related: the reports discuss it but not the detail asked; none. */
  verdict?: 'answer' | 'related' | 'none';
}
