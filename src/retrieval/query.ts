// A user's question → what is searched: cleaned, bounded in length, in
// simplified characters, and for English questions with the Chinese words the
// reports use (CC-CEDICT, see english.ts, + gazetteer), so the keyword path can match them.
import { readFileSync } from 'node:fs';
import { normaliseWhitespace } from '../text/text.js';
import { matchingForm } from '../text/tokens.js';
import { findEnglishRegionMentions, findRegionMentions, regionByName, type Place } from '../places/lookup.js';
import { translateEnglish, type ReportVocabulary } from './english.js';

/** Longer questions are cut: a question is a sentence or two, and the model reads at most 512 tokens. */
export const MAX_QUERY_CHARS = 300;

interface Glossary {
  regionGroups: Record<string, string[]>;
}
const glossary = JSON.parse(readFileSync(new URL('./glossary.json', import.meta.url), 'utf8')) as Glossary;
const longestFirst = (words: string[]) => words.sort((a, b) => b.length - a.length);
const groupNames = longestFirst(Object.keys(glossary.regionGroups));

export interface PreparedQuery {
  /** The question as searched (cleaned, maybe truncated), in the user's script. */
  text: string;
  truncated: boolean;
  /** Simplified, lower-case form used for matching. */
  matching: string;
  english: boolean;
  /** Chinese words the English question's terms and places translate to. */
  translations: string[];
  /** Places the question names (Chinese, English or pinyin), distinct; for a name several places share, the best-known. */
  places: Place[];
  /**
   * Every place the question's names can mean (朝阳区: 北京's and 长春's), suffix-less county names included
   * (永新, which might be an everyday word: never a reason for "not found"), for matching place tags.
   */
  placeCandidates: Place[];
  /** Provinces covered by a part of China the question names (东北, 西北, "northeast"). */
  regionGroup: Place[];
}

/** English words a question is phrased in (possessives dropped), lower-case, space-padded. */
function englishText(text: string): string {
  return ` ${text.toLowerCase().replace(/['’]s\b/g, '').replace(/[^a-z0-9'’\- ]+/g, ' ').replace(/\s+/g, ' ')} `;
}

/** Phrases of `list` found in the text (longest first, each stretch of text used once). */
function phrasesIn(text: string, list: string[], english: boolean): string[] {
  let rest = english ? englishText(text) : text;
  const found: string[] = [];
  for (const phrase of list) {
    const needle = english ? ` ${phrase} ` : phrase;
    if (rest.includes(needle)) {
      found.push(phrase);
      rest = rest.split(needle).join(' | ');
    }
  }
  return found;
}

/** `vocabulary`: the reports' keyword index, which English words are translated into (without it, only places are). */
export function prepareQuery(question: string, vocabulary?: ReportVocabulary): PreparedQuery {
  let text = normaliseWhitespace(question);
  const truncated = text.length > MAX_QUERY_CHARS;
  if (truncated) text = text.slice(0, MAX_QUERY_CHARS);
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  const han = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  const english = latin > 0 && latin >= han * 2;
  const matching = matchingForm(text);

  const englishMentions = latin > 0 ? findEnglishRegionMentions(text) : [];
  const mentions = [...findRegionMentions(matching), ...englishMentions];
  const places = [...new Map(mentions.filter((m) => !m.bare).map((m) => [m.region.id, m.region])).values()];
  const placeCandidates = [...new Map(mentions.flatMap((m) => m.candidates).map((r) => [r.id, r])).values()];
  const groups = [...phrasesIn(matching, groupNames.filter((g) => /[^a-z ]/.test(g)), false), ...(latin > 0 ? phrasesIn(text, groupNames.filter((g) => /^[a-z ]+$/.test(g)), true) : [])];
  const regionGroup = [...new Set(groups.flatMap((g) => glossary.regionGroups[g]!))].map((name) => regionByName(name)).filter((r): r is Place => r !== null);

  const words = english && vocabulary ? translateEnglish(text, vocabulary, { skip: englishMentions }).map((t) => t.chinese) : [];
  const translations = english ? [...words, ...places.map((r) => r.name)] : [];
  return { text, truncated, matching, english, translations: [...new Set(translations)], places, placeCandidates, regionGroup };
}
