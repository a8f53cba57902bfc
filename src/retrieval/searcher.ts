// Question → ranked, cited passages: one query embedding, a vector and a
// keyword look-up, rank fusion, near-duplicates folded, best sentence marked,
// and a decision on whether the passages actually answer.
import type { Passage } from '../corpus/types.js';
import type { Embedder } from '../embedding/embedder.js';
import { searchKeywords } from '../index/keyword.js';
import type { LoadedIndex } from '../index/load.js';
import { matchingForm, tokenize } from '../text/tokens.js';
import { regionByName } from '../places/lookup.js';
import { searchVectors } from '../index/vectors.js';
import { judgeAnswerable, wordInCorpus } from './answerable.js';
import { foldNearDuplicates } from './duplicates.js';
import { reciprocalRankFusion } from './fusion.js';
import { bestSentence, type TermWeights } from './highlight.js';
import { prepareQuery, type PreparedQuery } from './query.js';
import type { Answer, Citation, Hit } from './types.js';
import { Lru, QueryCache } from './query-cache.js';
import { takeTurn } from './turns.js';

export interface SearchOptions {
  /** Passages to return. */
  k?: number;
}

export interface SearcherSettings {
  topK: number;
  /** Candidates taken from each ranking before fusion. */
  candidates: number;
  rrfK?: number;
  /**
   * Rank-fusion weights. The place-aware keyword path is much the stronger
   * signal on these reports (npm run eval, Chinese questions: keyword-only
   * Hit@1 0.96, dense-only 0.82, equal weights 0.90, 0.1 : 1 with the keyword
   * margin 0.96); dense similarity breaks near-ties and lifts passages the
   * keywords rank a few places too low.
   */
  vectorWeight?: number;
  keywordWeight?: number;
  /** Bonus, in units of a first rank, scaled by a passage's keyword score relative to the best one. */
  marginWeight?: number;
  /** Bonus, in units of a first rank, for passages about a place the question names. */
  regionWeight?: number;
  /** Query embeddings remembered for repeated questions (0 turns the cache off, e.g. to measure the model). */
  queryCacheSize?: number;
}

export interface Searcher {
  readonly index: LoadedIndex;
  search(question: string, options?: SearchOptions): Promise<Answer>;
  /** Timings of the last search's stages, for benchmarks (ms). */
  lastTimings(): Record<string, number>;
}

export function createSearcher(index: LoadedIndex, embedder: Pick<Embedder, 'embedQuery'>, settings: SearcherSettings): Searcher {
  const { store } = index;
  const reportsByFile = new Map(store.reports.map((r) => [r.file, r]));
  const cache = new QueryCache(embedder, settings.queryCacheSize ?? 1024);
  // Answers are immutable for the life of an index (a rebuilt index gets a new searcher).
  const answers = new Lru<string, Answer>(settings.queryCacheSize ?? 1024);
  const corpusRegions = new Set(store.passages.flatMap((p) => p.regions));
  // Candidates from the keyword index, confirmed on the text: no scan over all passages about a region.
  const saysAbout = (region: string, word: string) =>
    index.keywords
      .passagesWithBigramsOf(word)
      .some((id) => store.passages[id]!.regions.includes(region) && matchingForm(store.passages[id]!.text).includes(word));
  let timings: Record<string, number> = {};

  const citationOf = (p: Passage): Citation => {
    const report = reportsByFile.get(p.file)!;
    return { source: p.file, title: report.title, reportNumber: report.number, paragraph: p.paragraph, sourceUrl: report.sourceUrl };
  };

  async function search(question: string, options: SearchOptions = {}): Promise<Answer> {
    const k = options.k ?? settings.topK;
    const key = `${k}\u0000${question}`;
    const known = answers.get(key);
    if (known) return { ...known, cached: true };
    const answer = await compute(question, k);
    answers.set(key, answer);
    return answer;
  }

  async function compute(question: string, k: number): Promise<Answer> {
    // Each question's main-thread work runs in its own turns of the event
    // loop, so a burst of questions cannot hold the loop for long at once.
    await takeTurn();
    const t0 = performance.now();
    const query = prepareQuery(question);
    const tokens = keywordTokens(query);
    const asked = { language: query.english ? ('en' as const) : ('zh' as const), places: query.regions.map((r) => r.name) };
    if (tokens.length === 0) {
      timings = { total: performance.now() - t0 };
      return { question: query.text, truncated: query.truncated, answerable: false, reason: 'The question has no words to search for.', hits: [], ...asked };
    }
    const vector = await cache.embed(embeddingText(query));
    await takeTurn();
    const t1 = performance.now();
    const vectorHits = searchVectors(index.vectors, vector, settings.candidates);
    const t2 = performance.now();
    const keyword = searchKeywords(index.keywords, tokens, settings.candidates);
    const t3 = performance.now();

    const fused = reciprocalRankFusion(
      [
        { hits: vectorHits, weight: settings.vectorWeight ?? 0.1 },
        { hits: keyword.hits, weight: settings.keywordWeight ?? 1 },
      ],
      settings.rrfK ?? 60,
    );
    const ranked = preferNamedRegions(keywordMargin(fused, keyword.hits, settings.marginWeight ?? 1, settings.rrfK ?? 60), query, store, settings.regionWeight ?? 1, settings.rrfK ?? 60);
    // Near-copies of a shown passage rank close to it; looking a little past k finds them.
    const groups = foldNearDuplicates(ranked.slice(0, 2 * k + 10), (f) => store.passages[f.id]!.text, k);
    const weights = termWeights(tokens, keyword.documentFrequency, keyword.documentCount);
    const hits: Hit[] = groups.map(({ item, copies }) => {
      const passage = store.passages[item.id]!;
      return {
        ...citationOf(passage),
        passageId: passage.id,
        part: passage.part,
        text: passage.text,
        regions: passage.regions,
        score: item.score,
        bestSentence: bestSentence(passage.text, weights),
        alsoIn: copies
          .map((c) => store.passages[c.id]!)
          // Parts of the same paragraph are not "other sources".
          .filter((c) => c.file !== passage.file || c.paragraph !== passage.paragraph)
          .map((c) => ({ ...citationOf(c), text: c.text })),
      };
    });
    const verdict = judgeAnswerable(query, hits, { corpusRegions, inCorpus: wordInCorpus((t) => index.keywords.documentFrequency(t)), saysAbout });
    timings = { embed: t1 - t0, vector: t2 - t1, keyword: t3 - t2, fuse: performance.now() - t3, total: performance.now() - t0 };
    return { question: query.text, truncated: query.truncated, answerable: verdict.answerable, reason: verdict.reason, hits, ...asked };
  }

  return { index, search, lastTimings: () => timings };
}

/**
 * Rank fusion keeps only ranks; when one passage matches the question's words
 * far better than the next (533 vs 30), that margin matters: a bonus in
 * proportion to the keyword score relative to the best keeps it.
 */
function keywordMargin(fused: Array<{ id: number; score: number }>, keywordHits: Array<{ id: number; score: number }>, weight: number, rrfK: number) {
  const best = keywordHits[0]?.score ?? 0;
  if (weight === 0 || best <= 0) return fused;
  const relative = new Map(keywordHits.map((h) => [h.id, h.score / best]));
  return fused.map((f) => ({ id: f.id, score: f.score + (weight * (relative.get(f.id) ?? 0)) / (rrfK + 1) })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/**
 * A question that names a place asks about that place: passages about it (by
 * their region tags, which include cities' provinces and carry over to
 * follow-on paragraphs) move ahead of passages that merely share words. A
 * passage listing a dozen provinces is about each of them only weakly.
 */
function preferNamedRegions(fused: Array<{ id: number; score: number }>, query: PreparedQuery, store: LoadedIndex['store'], weight: number, rrfK: number) {
  const named = new Set([...query.regions, ...query.regionGroup].map((r) => r.name));
  if (named.size === 0 || weight === 0) return fused;
  const bonus = weight / (rrfK + 1);
  return fused
    .map((f) => {
      const tags = store.passages[f.id]!.regions;
      if (!tags.some((r) => named.has(r))) return f;
      const provinces = tags.filter((r) => regionByName(r)?.level === 1).length;
      return { id: f.id, score: f.score + bonus / Math.max(1, provinces - 1) };
    })
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

function keywordTokens(query: PreparedQuery): string[] {
  const tokens = tokenize(query.matching);
  for (const word of query.translations) tokens.push(...tokenize(word));
  for (const region of query.regionGroup) tokens.push(...tokenize(region.name));
  return tokens;
}

function embeddingText(query: PreparedQuery): string {
  return query.translations.length > 0 ? `${query.matching} ${query.translations.join(' ')}` : query.matching;
}

/** IDF weights of query terms, from how many passages contain each. */
function termWeights(tokens: string[], df: Map<string, number>, n: number): TermWeights {
  const weights: TermWeights = new Map();
  for (const token of tokens) {
    const count = df.get(token);
    if (!count) continue;
    weights.set(token.startsWith('#') ? token.slice(1) : token, Math.log(1 + n / count));
  }
  return weights;
}
