// Splitting a quoted paragraph over several embeds. Only what can be shown is
// touched: a message holds a few thousand characters, so a 200,000-character
// paragraph is cut to that first, and escaping and splitting never see the rest
// (they used to, once per chunk: seconds on the event loop).
import { splitSentences } from '../text/text.js';

const ELLIPSIS = '…';

export interface ChunkLimits {
  /** Characters per chunk (an embed description). */
  size: number;
  /** Characters in all chunks together. */
  total: number;
  /** Chunks at most (embeds per message). */
  chunks: number;
}

/**
 * Escaped text in chunks of at most `size`, `total` in all, split at sentence
 * ends; a sentence longer than a chunk is split inside. Text beyond what fits is
 * cut with "…". `escape` must never shorten text (markdown escaping only adds).
 */
export function chunkQuote(text: string, limits: ChunkLimits, escape: (s: string) => string): string[] {
  const { size, total } = limits;
  // Escaping never shortens, so no more than `total` units of the text can be shown (less the "…" when cut).
  let cutAt = text.length <= total ? text.length : total - ELLIPSIS.length;
  if (cutAt < text.length && isHighSurrogate(text.charCodeAt(cutAt - 1))) cutAt--;
  const shown = text.slice(0, cutAt);
  const cut = cutAt < text.length;

  const pieces: string[] = [];
  for (const sentence of splitSentences(shown)) {
    let rest = sentence.text;
    while (rest.length > 0) {
      const n = longestFitting(rest, size - 1, escape);
      pieces.push(escape(rest.slice(0, n)));
      rest = rest.slice(n);
    }
  }
  const chunks: string[] = [];
  let current = '';
  let used = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const reserve = i === pieces.length - 1 && !cut ? 0 : ELLIPSIS.length;
    if (used + piece.length + reserve > total) {
      if (current.length + ELLIPSIS.length > size) {
        chunks.push(current);
        current = '';
      }
      current += ELLIPSIS;
      break;
    }
    if (current.length + piece.length > size) {
      chunks.push(current);
      current = '';
    }
    current += piece;
    used += piece.length;
    if (i === pieces.length - 1 && cut) {
      if (current.length + ELLIPSIS.length > size) {
        chunks.push(current);
        current = '';
      }
      current += ELLIPSIS;
    }
  }
  if (current) chunks.push(current);
  return chunks.length > 0 ? chunks.slice(0, limits.chunks) : [ELLIPSIS];
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The longest prefix of `text` (in UTF-16 units, never splitting a surrogate pair) whose escaped form fits `max`. */
function longestFitting(text: string, max: number, escape: (s: string) => string): number {
  if (escape(text).length <= max) return text.length;
  // Escaped length grows with the prefix: binary search, over at most `max` units.
  let lo = 1;
  let hi = Math.min(text.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escape(text.slice(0, mid)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  if (lo < text.length && lo > 1 && isHighSurrogate(text.charCodeAt(lo - 1))) lo--;
  return Math.max(1, lo);
}
