// A user's question cleaned before it is searched or echoed: invisible and
// control characters removed (they split words for the segmenter and could
// garble the echo), whitespace collapsed, length bounded up front.

/** Longer input is cut before any processing; the searcher then cuts further and says so. */
export const MAX_QUESTION_INPUT = 4000;

// C0/C1 controls (except tab/newline), zero-width and bidi-control characters, soft hyphen, BOM.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

export function cleanQuestion(raw: string): string {
  let text = raw.slice(0, MAX_QUESTION_INPUT);
  // Do not leave half of a surrogate pair (an emoji) at the cut.
  if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  return text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}
