import type { PlaceTags } from '../places/tags.js';

/** One report file under data/. */
export interface Report {
  /** Path of the file relative to the data folder, with forward slashes: the report's id. */
  file: string;
  title: string;
  /** Sequence number carried by the title line (e.g. "26各地…"), if any. */
  number: number | null;
  /** Link given by a `来源：<url>` line under the title, if any. */
  sourceUrl: string | null;
  paragraphCount: number;
  /** Ids of the places the report as a whole is about, with their ancestors (see places/tags.ts). */
  places: string[];
}

/** A paragraph as the report wrote it (whitespace normalised). */
export interface Paragraph {
  file: string;
  /** 1-based position within its report. */
  number: number;
  text: string;
  hash: string;
  /** Ids of the places the paragraph is about: named in it (own) or from its report and the paragraph before (inherited). */
  places: PlaceTags;
}

/** The unit that is embedded and searched: a paragraph, or a sentence-aligned part of a long one. */
export interface Passage {
  id: number;
  file: string;
  paragraph: number;
  /** 0-based part of its paragraph (0 when the paragraph fits in one passage). */
  part: number;
  text: string;
  hash: string;
  /** Its paragraph's places. */
  places: PlaceTags;
}

export interface SkippedFile {
  file: string;
  reason: string;
}
