// Question → ranked, cited passages: one query embedding, a vector and a
// keyword look-up, rank fusion, near-duplicates folded, best sentence marked,
// and a decision on whether the passages actually answer.
import type { Passage } from '../corpus/types.js';
import type { Embedder } from '../embedding/embedder.js';
import { searchKeywords } from '../index/keyword.js';
import type { LoadedIndex } from '../index/load.js';
import { matchingForm, tokenize } from '../text/tokens.js';
import { placeById, regionByName, regionPath } from '../places/lookup.js';
import { allPlaces, type PlaceTags } from '../places/tags.js';
import { askedFor } from './answer-kind.js';
import { answerSpan, spanQuestion } from './answer-span.js';
import { shownCount } from './shown.js';
import { decideVerdict, wordFrequency, wordInCorpus, type VerdictContext } from './verdict.js';
import { foldNearDuplicates } from './duplicates.js';
import { reciprocalRankFusion } from './signals/fusion.js';
import { keywordMargin } from './signals/keyword-margin.js';
import { preferNamedPlaces } from './signals/place-preference.js';
import { retrievalOptions, type RetrievalOptions } from './options.js';
import { bestSentence, type TermWeights } from './highlight.js';
import { prepareQuery, type PreparedQuery } from './query.js';
import type { Answer, Citation, Hit } from './types.js';
import { Lru, QueryCache } from './query-cache.js';
import { takeTurn } from './turns.js';

export interface SearchOptions {
  /** Passages to return. */
  k?: number;
}

/** What a searcher is created with: any retrieval option (see options.ts); the rest take their defaults. */
export type SearcherSettings = Partial<RetrievalOptions>;

export interface Searcher {
  readonly index: LoadedIndex;
  search(question: string, options?: SearchOptions): Promise<Answer>;
  /** Timings of the last search's stages, for benchmarks (ms). */
  lastTimings(): Record<string, number>;
}

export function createSearcher(index: LoadedIndex, embedder: Pick<Embedder, 'embedQuery'>, given: SearcherSettings = {}): Searcher {
  const settings = retrievalOptions(given);
  const { store } = index;
  const reportsByFile = new Map(store.reports.map((r) => [r.file, r]));
  const cache = new QueryCache(embedder, settings.queryCacheSize);
  // Answers are immutable for the life of an index (a rebuilt index gets a new searcher).
  const answers = new Lru<string, Answer>(settings.queryCacheSize);
  const tagsOf = (id: number) => store.passages[id]!.places;
  const verdictContext = placeEvidence(index);
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
    const query = prepareQuery(question, index.keywords);
    const tokens = keywordTokens(query);
    const asked = { language: query.english ? ('en' as const) : ('zh' as const), places: query.places.map((r) => r.name) };
    if (tokens.length === 0) {
      timings = { total: performance.now() - t0 };
      return { question: query.text, truncated: query.truncated, verdict: 'none', answerable: false, reason: 'The question has no words to search for.', hits: [], shown: 0, ...asked };
    }
    const vector = await cache.embed(embeddingText(query));
    await takeTurn();
    const t1 = performance.now();
    const vectorHits = index.vectors.search(vector, settings.candidates);
    const t2 = performance.now();
    const keyword = searchKeywords(index.keywords, tokens, settings.candidates);
    const t3 = performance.now();

    // The signals, in order: rank fusion of the two retrievers, the keyword
    // leader's margin, the places the question names.
    const { rrfK } = settings;
    let ranked = reciprocalRankFusion(
      [
        { hits: vectorHits, weight: settings.vectorWeight },
        { hits: keyword.hits, weight: settings.keywordWeight },
      ],
      rrfK,
    );
    ranked = keywordMargin(ranked, keyword.hits, settings.marginWeight, rrfK);
    ranked = preferNamedPlaces(ranked, { named: namedPlaces(query), tagsOf, breadth }, { own: settings.placeOwnWeight, inherited: settings.placeInheritedWeight }, rrfK);
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
        places: passage.places,
        score: item.score,
        bestSentence: bestSentence(passage.text, weights),
        answerSpan: null,
        alsoIn: copies
          .map((c) => store.passages[c.id]!)
          // Parts of the same paragraph are not "other sources".
          .filter((c) => c.file !== passage.file || c.paragraph !== passage.paragraph)
          .map((c) => ({ ...citationOf(c), text: c.text })),
      };
    });
    // What the question asks for, the phrase of each passage that gives it, how many quotes to list, and whether any answers.
    const named = [...query.places, ...query.regionGroup].map((r) => r.name);
    const spanQuery = spanQuestion(query.matching, askedFor(query.text), weights, named);
    for (const hit of hits) hit.answerSpan = answerSpan(hit.text, spanQuery);
    const shown = shownCount(
      hits.map((h) => h.score),
      hits.map((h) => named.length === 0 || !verdictContext.namesPlaces(h) || named.some((p) => verdictContext.hitAbout(h, p))),
    );
    const verdict = decideVerdict({ query, asked: spanQuery.asked, hits, shown, question: spanQuery }, verdictContext);
    timings = { embed: t1 - t0, vector: t2 - t1, keyword: t3 - t2, fuse: performance.now() - t3, total: performance.now() - t0 };
    return { question: query.text, truncated: query.truncated, verdict: verdict.verdict, answerable: verdict.answerable, reason: verdict.reason, hits, shown, ...asked };
  }

  return { index, search, lastTimings: () => timings };
}

/** Ids of the places the question names (every place a shared name can mean) and of a named part of China's provinces. */
const namedPlaces = (query: PreparedQuery) => new Set([...query.placeCandidates, ...query.regionGroup].map((r) => r.id));

/** Distinct provinces among place tags. */
const breadth = (places: readonly string[]) => places.filter((id) => placeById(id)?.level === 1).length;

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

/**
 * What the verdict knows of places, by name: a passage is about a place when
 * tagged so, when its own words name the place or a place inside it, or when
 * its report names it and is about one or two provinces (a county's page
 * names its place once, then says 我县).
 */
function placeEvidence(index: LoadedIndex): VerdictContext & { namesPlaces: (hit: Hit) => boolean } {
  const { store } = index;
  const nameOf = (id: string) => placeById(id)?.name;
  // Names of the places stored in the tags (decided once in the corpus step; nothing is re-read from the text here).
  const names = (ids: readonly string[]) => new Set(ids.map(nameOf).filter((n): n is string => !!n));
  // Passages share a few distinct tag objects (the store makes one per distinct pair): names are worked out once per object.
  const namesByTags = new Map<PlaceTags, Set<string>>();
  const tagNames = (id: number) => {
    const tags = store.passages[id]!.places;
    let found = namesByTags.get(tags);
    if (!found) namesByTags.set(tags, (found = names(allPlaces(tags))));
    return found;
  };
  const reportPlaces = new Map(store.reports.map((r) => [r.file, names(r.places)]));
  for (const p of store.passages) for (const name of tagNames(p.id)) reportPlaces.get(p.file)?.add(name);
  const provinces = (names: Set<string>) => [...names].filter((n) => regionByName(n)?.level === 1).length;
  // A report that surveys many provinces (a national round-up) says nothing about each paragraph's place.
  for (const [file, names] of reportPlaces) if (provinces(names) > 2) reportPlaces.set(file, new Set());
  const focused = new Set([...reportPlaces].filter(([, names]) => provinces(names) === 1).map(([file]) => file));
  const ownPlaces = tagNames;
  const mentions = (id: number, place: string) => {
    const p = store.passages[id]!;
    return reportPlaces.get(p.file)!.has(place) || ownPlaces(id).has(place) || matchingForm(p.text).includes(place);
  };
  // A passage whose report names only the province of the place asked about (浙江 for 杭州) and no other place at its level may be about it.
  const compatible = (id: number, place: string) => {
    const target = regionByName(place);
    if (!target) return false;
    const names = new Set([...ownPlaces(id), ...reportPlaces.get(store.passages[id]!.file)!]);
    if (!regionPath(target).some((a) => a.name !== place && names.has(a.name))) return false;
    return ![...names].some((n) => {
      const r = regionByName(n);
      return r !== null && r.level >= target.level && !regionPath(r).some((a) => a.name === place);
    });
  };
  const corpusPlaces = new Set([...namesByTags.values()].flatMap((names) => [...names]));
  const frequency = wordFrequency((t) => index.keywords.documentFrequency(t));
  return {
    corpusPlaces,
    inCorpus: wordInCorpus((t) => index.keywords.documentFrequency(t)),
    // Candidates from the keyword index, confirmed on the text: its own words or tags name the place, or its report is about that one province's place alone.
    saysAbout: (place, word) =>
      index.keywords.someWithBigramsOf(word, (id) => {
        const p = store.passages[id]!;
        const about = ownPlaces(id).has(place) || (focused.has(p.file) && reportPlaces.get(p.file)!.has(place));
        return about && matchingForm(p.text).includes(word);
      }),
    hitAbout: (hit, place) => mentions(hit.passageId, place) || compatible(hit.passageId, place),
    namesPlaces: (hit) => ownPlaces(hit.passageId).size > 0 || (reportPlaces.get(hit.source)?.size ?? 0) > 0,
    documentFrequency: frequency,
    documentCount: index.keywords.documentCount,
  };
}
