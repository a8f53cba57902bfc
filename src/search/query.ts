// A user's question → what is searched: cleaned, bounded in length, in
// simplified characters, and for English questions with the Chinese words the
// reports use (glossary + gazetteer), so the keyword path can match them.
import { readFileSync } from 'node:fs';
import { normaliseWhitespace } from '../corpus/text.js';
import { matchingForm } from '../index/tokens.js';

/** Longer questions are cut: a question is a sentence or two, and the model reads at most 512 tokens. */
export const MAX_QUERY_CHARS = 300;

interface Glossary {
  terms: Record<string, string[]>;
}
const glossary = JSON.parse(readFileSync(new URL('./glossary.json', import.meta.url), 'utf8')) as Glossary;
const glossaryPhrases = Object.keys(glossary.terms).sort((a, b) => b.length - a.length);

export interface PreparedQuery {
  /** The question as searched (cleaned, maybe truncated), in the user's script. */
  text: string;
  truncated: boolean;
  /** Simplified, lower-case form used for matching. */
  matching: string;
  english: boolean;
  /** Chinese words the English question's terms and places translate to. */
  translations: string[];
}

/** English words a question is phrased in (possessives dropped), lower-case. */
function englishText(text: string): string {
  return ` ${text.toLowerCase().replace(/['’]s\b/g, '').replace(/[^a-z0-9'’\- ]+/g, ' ').replace(/\s+/g, ' ')} `;
}

export function translateEnglish(text: string, places: (text: string) => string[] = () => []): string[] {
  let rest = englishText(text);
  const out: string[] = [];
  for (const phrase of glossaryPhrases) {
    const needle = ` ${phrase} `;
    if (rest.includes(needle)) {
      out.push(...glossary.terms[phrase]!);
      rest = rest.split(needle).join(' | ');
    }
  }
  out.push(...places(text));
  return [...new Set(out)];
}

export function prepareQuery(question: string, places?: (text: string) => string[]): PreparedQuery {
  let text = normaliseWhitespace(question);
  const truncated = text.length > MAX_QUERY_CHARS;
  if (truncated) text = text.slice(0, MAX_QUERY_CHARS);
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  const han = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  const english = latin > 0 && latin >= han * 2;
  return { text, truncated, matching: matchingForm(text), english, translations: english ? translateEnglish(text, places) : [] };
}
