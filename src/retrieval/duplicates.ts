// Near-duplicate passages (the same paragraph carried by two reports, maybe
// lightly edited) are shown once, citing the other sources.

/** Character bigrams (UTF-16 unit pairs, as numbers: no string is made for each) of a text without spaces and punctuation. */
function bigrams(text: string): Set<number> {
  const clean = text.replace(/[\s\p{P}]/gu, '');
  const out = new Set<number>();
  for (let i = 0; i + 1 < clean.length; i++) out.add(clean.charCodeAt(i) * 0x10000 + clean.charCodeAt(i + 1));
  return out;
}

/**
 * Jaccard similarity of character bigrams. Not containment: short formulaic
 * paragraphs ("9月9日，山东召开…省委书记刘家义出席") share most bigrams with
 * their siblings for other provinces, yet say different things.
 */
function jaccard(x: Set<number>, y: Set<number>): number {
  if (x.size === 0 || y.size === 0) return 0;
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  let shared = 0;
  for (const g of small) if (large.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}

export function similarity(a: string, b: string): number {
  return jaccard(bigrams(a), bigrams(b));
}

export const NEAR_DUPLICATE = 0.8;

/**
 * Groups a ranked list into at most `limit` groups, in rank order; later
 * near-copies of a group's passage (anywhere in the list) fold into it.
 */
export function foldNearDuplicates<T>(ranked: T[], textOf: (item: T) => string, limit: number): Array<{ item: T; copies: T[] }> {
  const groups: Array<{ item: T; copies: T[]; grams: Set<number> }> = [];
  for (const item of ranked) {
    const grams = bigrams(textOf(item));
    const group = groups.find((g) => jaccard(g.grams, grams) >= NEAR_DUPLICATE);
    if (group) group.copies.push(item);
    else if (groups.length < limit) groups.push({ item, copies: [], grams });
  }
  return groups.map(({ item, copies }) => ({ item, copies }));
}
