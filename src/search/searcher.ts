// Question → ranked, cited passages: one query embedding, a vector and a
// keyword look-up, rank fusion, near-duplicates folded, best sentence marked,
// and a decision on whether the passages actually answer.
import type { Passage } from '../corpus/types.js';
import type { Embedder } from '../embedding/embedder.js';
import { searchKeywords } from '../index/keyword.js';
import type { LoadedIndex } from '../index/load.js';
import { tokenize } from '../index/tokens.js';
import { searchVectors } from '../index/vectors.js';
import { judgeAnswerable } from './answerable.js';
import { foldNearDuplicates } from './duplicates.js';
import { reciprocalRankFusion } from './fusion.js';
import { bestSentence, type TermWeights } from './highlight.js';
import { prepareQuery, type PreparedQuery } from './query.js';
import type { Answer, Citation, Hit } from './types.js';
import { QueryCache } from './query-cache.js';

export interface SearchOptions {
  /** Passages to return. */
  k?: number;
}

export interface SearcherSettings {
  topK: number;
  /** Candidates taken from each ranking before fusion. */
  candidates: number;
  rrfK?: number;
  vectorWeight?: number;
  keywordWeight?: number;
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
  const cache = new QueryCache(embedder, 512);
  let timings: Record<string, number> = {};

  const citationOf = (p: Passage): Citation => {
    const report = reportsByFile.get(p.file)!;
    return { source: p.file, title: report.title, reportNumber: report.number, paragraph: p.paragraph, sourceUrl: report.sourceUrl };
  };

  async function search(question: string, options: SearchOptions = {}): Promise<Answer> {
    const k = options.k ?? settings.topK;
    const t0 = performance.now();
    const query = prepareQuery(question);
    const tokens = keywordTokens(query);
    if (tokens.length === 0) {
      timings = { total: performance.now() - t0 };
      return { question: query.text, truncated: query.truncated, answerable: false, reason: 'The question has no words to search for.', hits: [] };
    }
    const vector = await cache.embed(embeddingText(query));
    const t1 = performance.now();
    const vectorHits = searchVectors(index.vectors, vector, settings.candidates);
    const t2 = performance.now();
    const keyword = searchKeywords(index.keywords, tokens, settings.candidates);
    const t3 = performance.now();

    const fused = reciprocalRankFusion(
      [
        { hits: vectorHits, weight: settings.vectorWeight ?? 1 },
        { hits: keyword.hits, weight: settings.keywordWeight ?? 1 },
      ],
      settings.rrfK ?? 60,
    );
    const groups = foldNearDuplicates(fused, (f) => store.passages[f.id]!.text, k);
    const weights = termWeights(tokens, keyword.documentFrequency, keyword.documentCount);
    const hits: Hit[] = groups.map(({ item, copies }) => {
      const passage = store.passages[item.id]!;
      return {
        ...citationOf(passage),
        passageId: passage.id,
        part: passage.part,
        text: passage.text,
        score: item.score,
        bestSentence: bestSentence(passage.text, weights),
        alsoIn: copies
          .map((c) => store.passages[c.id]!)
          // Parts of the same paragraph are not "other sources".
          .filter((c) => c.file !== passage.file || c.paragraph !== passage.paragraph)
          .map((c) => ({ ...citationOf(c), text: c.text })),
      };
    });
    const verdict = judgeAnswerable({ query, hits, similarity: vectorHits[0]?.similarity ?? 0, store });
    timings = { embed: t1 - t0, vector: t2 - t1, keyword: t3 - t2, fuse: performance.now() - t3, total: performance.now() - t0 };
    return { question: query.text, truncated: query.truncated, answerable: verdict.answerable, reason: verdict.reason, hits };
  }

  return { index, search, lastTimings: () => timings };
}

function keywordTokens(query: PreparedQuery): string[] {
  const tokens = tokenize(query.matching);
  for (const word of query.translations) tokens.push(...tokenize(word));
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
