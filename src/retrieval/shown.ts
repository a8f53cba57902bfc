// How many hits a reply lists: a fact question usually needs one to three
// quotes, so listing stops where relevance drops well below the first hit's,
// and, for a question naming places, after the last passage about them (the
// 4th and 5th are often about other provinces). The rest stay in the Answer
// for "more results".

export const SHOWN_OPTIONS = {
  /**
   * A hit is listed while its fused score keeps this share of the first's.
   * Fused scores fall slowly with rank; measured (npm run eval on both dev
   * sets) the lowest share of a gold passage in the top 5 is 0.37.
   */
  keep: 0.35,
  max: 5,
};

/**
 * @param scores fused scores, best first
 * @param onSubject for each hit, whether it is about what the question names (all true when it names nothing)
 */
export function shownCount(scores: number[], onSubject: boolean[] = [], options = SHOWN_OPTIONS): number {
  if (scores.length === 0) return 0;
  let n = 1;
  while (n < Math.min(scores.length, options.max) && scores[n]! >= options.keep * scores[0]!) n++;
  // Trailing passages about other places are not shown first.
  while (n > 1 && onSubject[n - 1] === false) n--;
  return n;
}
