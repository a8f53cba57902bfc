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
  /**
   * The phrase of `text` that answers (a number with its unit, a date, a name,
   * a place, the items of a list; offsets into `text`), or null for a
   * description or when the passage holds none: then show `bestSentence`.
   */
  answerSpan: Span | null;
  /** Other places carrying (nearly) the same passage, folded into this hit. */
  alsoIn: Array<Citation & { text: string }>;
}

export type VerdictKind = 'answer' | 'related' | 'none';

export interface Answer {
  question: string;
  /** True when a very long question was cut before searching. */
  truncated: boolean;
  /**
   * answer: a passage about what the question names holds an answer of the kind asked;
   * related: the reports discuss the subject but no passage gives the asked detail (hits are the closest passages);
   * none: the reports say nothing about it.
   */
  verdict: VerdictKind;
  /** True only for the verdict `answer`. */
  answerable: boolean;
  /** Why the verdict is not `answer`, in plain words for the reply (null for `answer`). */
  reason: string | null;
  /** All hits found; the reply lists the first `shown` and offers the rest under "more results". */
  hits: Hit[];
  /** The question's language as the query step read it (absent on answers not made by the searcher). */
  language?: 'zh' | 'en';
  /** Places the question names (canonical names, distinct). */
  places?: string[];
  /** True when the answer was served from the searcher's answer cache. */
  cached?: boolean;
  /** How many hits to list at first: relevance drops well below the first after these. */
  shown: number;
}
