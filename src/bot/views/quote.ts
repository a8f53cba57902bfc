// A passage quoted verbatim as a Discord block quote: cut at sentence ends around the part
// that matters (about 200 characters), "…" wherever text was left out, and only the
// answering words in bold — never the whole quote.
import { splitSentences } from '../../text/text.js';
import { ELLIPSIS, escapeText } from './common.js';

export interface Range {
  start: number;
  end: number;
}

export interface Quote {
  /** Escaped markdown, without the "> " prefix. */
  body: string;
  /** The part of the passage shown. */
  shown: Range;
  /** True when part of the passage was left out. */
  cut: boolean;
}

/** A bold span covering more than this share of what is shown is not bold: it would not stand out. */
const MAX_BOLD_SHARE = 0.6;
/** Inside an over-long sentence, a cut looks for a comma within this many characters of the budget. */
const CLAUSE_SLACK = 40;

/**
 * Quotes `text` within about `budget` characters of passage text: whole when it fits, else whole
 * sentences around `focus` (the sentence holding the answer), else a clause-aligned window of an
 * over-long sentence. `bold` (the answer span) is bold when it lies inside and is not nearly all of it.
 */
export function quotePassage(text: string, focus: Range | null, bold: Range | null, budget: number): Quote {
  const shown = window(text, focus ?? bold, budget);
  return { body: render(text, shown, bold), shown, cut: shown.start > 0 || shown.end < text.length };
}

function window(text: string, focus: Range | null, budget: number): Range {
  const all = trim(text, 0, text.length);
  if (all.end - all.start <= budget) return all;
  const sentences = splitSentences(text)
    .map((s) => trim(text, s.start, s.end))
    .filter((s) => s.end > s.start);
  if (sentences.length === 0) return { start: all.start, end: Math.min(all.end, all.start + budget) };
  let centre = focus ? sentences.findIndex((s) => focus.start < s.end) : 0;
  if (centre < 0) centre = 0;
  const one = sentences[centre]!;
  if (one.end - one.start > budget) return clause(text, one, focus, budget);
  let lo = centre;
  let hi = centre;
  // Grow one sentence at a time, after first (it usually continues the thought).
  for (let grew = true; grew; ) {
    grew = false;
    if (hi + 1 < sentences.length && sentences[hi + 1]!.end - sentences[lo]!.start <= budget) {
      hi++;
      grew = true;
    }
    if (lo > 0 && sentences[hi]!.end - sentences[lo - 1]!.start <= budget) {
      lo--;
      grew = true;
    }
  }
  return { start: sentences[lo]!.start, end: sentences[hi]!.end };
}

/** A window of about `budget` characters inside one long sentence, around `focus`, cut after commas where possible. */
function clause(text: string, sentence: Range, focus: Range | null, budget: number): Range {
  const f = focus && focus.start >= sentence.start && focus.end <= sentence.end ? focus : { start: sentence.start, end: sentence.start };
  // Start at a clause boundary before the focus, so the quote reads from the start of a clause.
  let start = sentence.start;
  if (f.end - sentence.start > budget) {
    start = Math.max(sentence.start, f.start - Math.floor((budget - (f.end - f.start)) / 3));
    const comma = firstClauseEnd(text, Math.max(sentence.start, start - CLAUSE_SLACK), f.start);
    if (comma > 0) start = comma;
  }
  let end = Math.min(sentence.end, start + budget);
  if (end < sentence.end) {
    const comma = lastClauseEnd(text, Math.max(f.end, end - CLAUSE_SLACK), end);
    if (comma > 0) end = comma;
  }
  return trim(text, start, Math.max(end, f.end));
}

/** Position just after the first clause mark (，、：；) in [from, to), or -1. */
function firstClauseEnd(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if ('，、：；,;'.includes(text[i]!)) return i + 1;
  return -1;
}

/** Position just after the last clause mark (，、：；) in [from, to), or -1. */
function lastClauseEnd(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if ('，、：；,;'.includes(text[i]!)) return i + 1;
  return -1;
}

function trim(text: string, start: number, end: number): Range {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}

function render(text: string, shown: Range, bold: Range | null): string {
  const flat = (s: string) => escapeText(s.replace(/\s*\n\s*/g, ' '));
  const length = shown.end - shown.start;
  const b = bold && bold.end > bold.start ? trim(text, Math.max(bold.start, shown.start), Math.min(bold.end, shown.end)) : null;
  const useBold = b !== null && b.end > b.start && b.end - b.start <= length * MAX_BOLD_SHARE;
  const inner = useBold
    ? `${flat(text.slice(shown.start, b.start))}**${flat(text.slice(b.start, b.end))}**${flat(text.slice(b.end, shown.end))}`
    : flat(text.slice(shown.start, shown.end));
  return `${shown.start > 0 ? ELLIPSIS : ''}${inner}${shown.end < text.length ? ELLIPSIS : ''}`;
}

/** Markdown block quote: every line starts with "> ". */
export function blockQuote(body: string): string {
  return body
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
