// Paragraphs longer than the model's window (bge: 512 tokens) are split into
// passages on sentence boundaries; each keeps its paragraph's number.
import { splitSentences } from '../text/text.js';

/**
 * Every bge token covers at least one non-space character, so counting
 * non-space characters bounds the token count from above; 500 leaves room for
 * [CLS] and [SEP] within 512.
 */
export const MAX_PASSAGE_CHARS = 500;

const tokenBound = (text: string) => text.replace(/\s/g, '').length;

export function splitIntoPassages(text: string, maxChars = MAX_PASSAGE_CHARS): string[] {
  if (tokenBound(text) <= maxChars) return [text];
  const pieces: string[] = [];
  for (const sentence of splitSentences(text)) {
    // A single sentence over the limit is cut at commas, then hard at the limit.
    if (tokenBound(sentence.text) <= maxChars) pieces.push(sentence.text);
    else pieces.push(...hardSplit(sentence.text, maxChars));
  }
  const passages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && tokenBound(current + piece) > maxChars) {
      passages.push(current.trim());
      current = '';
    }
    current += piece;
  }
  if (current.trim()) passages.push(current.trim());
  return passages;
}

function hardSplit(sentence: string, maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const clause of sentence.split(/(?<=[，,、：:])/)) {
    if (current && tokenBound(current + clause) > maxChars) {
      out.push(current);
      current = '';
    }
    current += clause;
    while (tokenBound(current) > maxChars) {
      out.push(current.slice(0, maxChars));
      current = current.slice(maxChars);
    }
  }
  if (current) out.push(current);
  return out;
}

