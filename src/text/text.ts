// Small text utilities shared by parsing, indexing and search.
import { createHash } from 'node:crypto';
import * as OpenCC from 'opencc-js';

const toSimplifiedConverter = OpenCC.Converter({ from: 'hk', to: 'cn' });
const toSimplifiedTw = OpenCC.Converter({ from: 'tw', to: 'cn' });

/**
 * Simplified-Chinese form of a text, used only for matching (quotes keep the
 * report's own script). Conversion is character-for-character for the
 * characters we care about, so offsets in the result line up with the input.
 */
export function toSimplified(text: string): string {
  return toSimplifiedTw(toSimplifiedConverter(text));
}

// Zero-width and bidi controls, BOMs and other invisible characters.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF\u00AD]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Trims (full-width spaces included), drops invisible characters and collapses whitespace runs. */
export function normaliseWhitespace(text: string): string {
  return text.replace(INVISIBLE, '').replace(CONTROL, ' ').replace(/[\s\u3000\u00A0]+/g, ' ').trim();
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** Sentence ends: Chinese full stops, exclamation/question marks and semicolons, plus closing quotes after them. */
const SENTENCE = /[^。！？；!?;]*(?:[。！？；!?;]+[”’」』）)]*|$)/g;

/** Splits text into sentences, keeping their end punctuation; offsets cover the whole text. */
export function splitSentences(text: string): Array<{ start: number; end: number; text: string }> {
  const out: Array<{ start: number; end: number; text: string }> = [];
  for (const m of text.matchAll(SENTENCE)) {
    if (m[0].length === 0) continue;
    const start = m.index ?? 0;
    out.push({ start, end: start + m[0].length, text: m[0] });
  }
  return out;
}
