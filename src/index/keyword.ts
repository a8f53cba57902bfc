// The keyword half of the index: BM25 over Chinese tokens (MiniSearch).
import MiniSearch from 'minisearch';
import { tokenize } from './tokens.js';

interface KeywordDocument {
  id: number;
  text: string;
  /** Names of the regions the passage is about, so a follow-on paragraph matches its place like the one naming it. */
  regions: string;
  /** For a follow-on paragraph ("王建军指出…"), the paragraph it follows ("青海召开…省委书记王建军出席"). */
  context: string;
}

export interface KeywordSource {
  text: string;
  regions: string[];
  context: string | null;
}

const OPTIONS = {
  fields: ['text', 'regions', 'context'],
  idField: 'id',
  tokenize: (text: string) => tokenize(text),
  // Tokens are already normalised (simplified, lower-case) by tokenize().
  processTerm: (term: string) => term,
  searchOptions: { combineWith: 'OR' as const, prefix: false, fuzzy: false },
};

/** Context counts less than the passage's own words. */
const CONTEXT_BOOST = 0.5;

export type KeywordIndex = MiniSearch<KeywordDocument>;

export function buildKeywordIndex(passages: KeywordSource[]): KeywordIndex {
  const index = new MiniSearch<KeywordDocument>(OPTIONS);
  index.addAll(passages.map((p, id) => ({ id, text: p.text, regions: p.regions.join(' '), context: p.context ?? '' })));
  return index;
}

export function loadKeywordIndex(json: string): KeywordIndex {
  return MiniSearch.loadJSON<KeywordDocument>(json, OPTIONS);
}

export interface KeywordHit {
  id: number;
  score: number;
  terms: string[];
}

export interface KeywordResults {
  hits: KeywordHit[];
  /** In how many passages each query term occurs (for weighting terms elsewhere). */
  documentFrequency: Map<string, number>;
  documentCount: number;
}

export function searchKeywords(index: KeywordIndex, tokens: string[], k: number): KeywordResults {
  const documentFrequency = new Map<string, number>();
  if (tokens.length === 0) return { hits: [], documentFrequency, documentCount: index.documentCount };
  // MiniSearch tokenises string queries itself; give it our tokens as an OR query instead.
  const results = index.search({ queries: [...new Set(tokens)], combineWith: 'OR' }, { tokenize: (t) => [t], boost: { text: 1, regions: 1, context: CONTEXT_BOOST } });
  // Every passage holding any query term is in the results, so this count is exact.
  for (const r of results) for (const t of r.terms) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
  const hits = results.slice(0, k).map((r) => ({ id: r.id as number, score: r.score, terms: r.terms }));
  return { hits, documentFrequency, documentCount: index.documentCount };
}
