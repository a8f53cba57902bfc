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
}

/** A paragraph as the report wrote it (whitespace normalised). */
export interface Paragraph {
  file: string;
  /** 1-based position within its report. */
  number: number;
  text: string;
  hash: string;
  /** Canonical names of the regions the paragraph is about (see places.ts). */
  regions: string[];
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
  /** Its paragraph's regions. */
  regions: string[];
}

export interface SkippedFile {
  file: string;
  reason: string;
}
