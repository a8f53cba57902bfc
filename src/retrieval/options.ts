// Every retrieval option in one place, documented, with its default. Weights
// were chosen by `npm run eval` on both development sets together (the five
// reports' questions and the external-dev set indexed with them); README's
// "Retrieval quality" has the numbers.

export interface RetrievalOptions {
  /** Passages returned per question. */
  topK: number;
  /** Candidates taken from each retriever (vector, keyword) before fusion. */
  candidates: number;
  /** Reciprocal rank fusion constant: larger values flatten the lead of the first ranks. */
  rrfK: number;
  /** Weight of the vector (dense embedding) ranking in rank fusion. */
  vectorWeight: number;
  /** Weight of the keyword (BM25+) ranking in rank fusion. */
  keywordWeight: number;
  /** Keyword margin: bonus in first ranks, scaled by a passage's keyword score relative to the best. */
  marginWeight: number;
  /** Place preference: bonus in first ranks for a passage that names a place the question names. */
  placeOwnWeight: number;
  /** Place preference: bonus for a passage about that place only through its report or the paragraph it follows. */
  placeInheritedWeight: number;
  /** Query embeddings and answers remembered for repeated questions (0 turns the caches off). */
  queryCacheSize: number;
}

export const defaultRetrievalOptions: Readonly<RetrievalOptions> = Object.freeze({
  topK: 5,
  candidates: 40,
  rrfK: 60,
  vectorWeight: 0.2,
  keywordWeight: 1,
  marginWeight: 1.5,
  placeOwnWeight: 1,
  placeInheritedWeight: 1,
  queryCacheSize: 1024,
});

/** Defaults overridden by the given options; undefined values keep the default. */
export function retrievalOptions(given: Partial<RetrievalOptions> = {}): RetrievalOptions {
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return { ...defaultRetrievalOptions, ...set };
}
