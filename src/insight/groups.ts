// Questions that are "the same question": equal once script, case, width,
// punctuation and spaces are set aside (/stats), and, for the report, also
// when their characters mostly coincide.
import { toSimplified } from '../text/text.js';

export interface QuestionGroup {
  /** The wording asked most often (the first asked on a tie). */
  question: string;
  count: number;
  /** Every distinct wording in the group, most asked first. */
  variants: string[];
}

/** What two wordings of one question share: simplified, lower-case, half-width, no punctuation, symbols or spaces. */
export function questionKey(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/[\p{P}\p{S}\p{Z}\s]+/gu, '');
}

/** Groups by questionKey; most asked first. */
export function groupQuestions(questions: readonly string[]): QuestionGroup[] {
  return [...byKey(questions).values()].map(toGroup).sort(byCount);
}

/**
 * Groups by questionKey, then merges groups whose keys share at least
 * `threshold` of their character pairs (Dice coefficient over bigrams): "北京
 * 有多少党员" and "北京市有多少党员" are one entry on the operator's list. A
 * group joins the first (most asked) group it is similar enough to.
 */
export function groupSimilarQuestions(questions: readonly string[], threshold = 0.7): QuestionGroup[] {
  const exact = [...byKey(questions)].sort((a, b) => total(b[1]) - total(a[1]));
  const merged: Array<{ bigrams: Set<string>; wordings: Map<string, number> }> = [];
  for (const [key, wordings] of exact) {
    const bigrams = bigramsOf(key);
    const into = merged.find((m) => dice(m.bigrams, bigrams) >= threshold);
    if (into) for (const [w, n] of wordings) into.wordings.set(w, (into.wordings.get(w) ?? 0) + n);
    else merged.push({ bigrams, wordings: new Map(wordings) });
  }
  return merged.map((m) => toGroup(m.wordings)).sort(byCount);
}

/** Key → wording → times asked. */
function byKey(questions: readonly string[]): Map<string, Map<string, number>> {
  const byKey = new Map<string, Map<string, number>>();
  for (const q of questions) {
    const key = questionKey(q) || q;
    let wordings = byKey.get(key);
    if (!wordings) byKey.set(key, (wordings = new Map()));
    wordings.set(q, (wordings.get(q) ?? 0) + 1);
  }
  return byKey;
}

const total = (wordings: Map<string, number>) => [...wordings.values()].reduce((a, b) => a + b, 0);

function toGroup(wordings: Map<string, number>): QuestionGroup {
  // Map order is first-seen order, and sort is stable: ties keep the earlier wording first.
  const variants = [...wordings.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  return { question: variants[0]!, count: total(wordings), variants };
}

const byCount = (a: QuestionGroup, b: QuestionGroup) => b.count - a.count;

function bigramsOf(key: string): Set<string> {
  const chars = [...key];
  if (chars.length < 2) return new Set(chars);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}
