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

/** What two wordings of one question share: simplified, lower-case, half-width, no punctuation or symbols, spaces only between Latin words. */
export function questionKey(text: string): string {
  return toSimplified(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{Z}\s]+/gu, ' ')
    .replace(/ (?![a-z0-9])|(?<![a-z0-9]) /g, '')
    .trim();
}

/** Groups by questionKey; most asked first. */
export function groupQuestions(questions: readonly string[]): QuestionGroup[] {
  return [...byKey(questions).values()].map(toGroup).sort(byCount);
}

/**
 * Groups by questionKey, then merges groups whose keys are made of nearly the
 * same units (Han characters one by one, Latin words whole): a Dice overlap of
 * at least `threshold` over those multisets. "北京有多少党员" joins "北京市有多少
 * 党员" (0.93) and "雄安新区人口有多少" joins "雄安新区有多少人口" (1.0), while
 * "北京有多少党组织" (0.80) and "上海有多少党员" (0.71) stay apart: one differing
 * word is a different question. A group joins the first (most asked) group it
 * is close enough to.
 */
export function groupSimilarQuestions(questions: readonly string[], threshold = 0.85): QuestionGroup[] {
  const exact = [...byKey(questions)].sort((a, b) => total(b[1]) - total(a[1]));
  const merged: Array<{ units: Map<string, number>; size: number; wordings: Map<string, number> }> = [];
  for (const [key, wordings] of exact) {
    const units = unitsOf(key);
    const size = [...units.values()].reduce((a, b) => a + b, 0);
    const into = merged.find((m) => dice(m.units, m.size, units, size) >= threshold);
    if (into) for (const [w, n] of wordings) into.wordings.set(w, (into.wordings.get(w) ?? 0) + n);
    else merged.push({ units, size, wordings: new Map(wordings) });
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

/** A key's units with their counts: Latin words and digit runs whole, every other character alone. */
function unitsOf(key: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [unit] of key.matchAll(/[a-z0-9]+|[^ ]/gu)) out.set(unit, (out.get(unit) ?? 0) + 1);
  return out;
}

function dice(a: Map<string, number>, aSize: number, b: Map<string, number>, bSize: number): number {
  if (aSize === 0 || bSize === 0) return 0;
  let shared = 0;
  for (const [unit, n] of a) shared += Math.min(n, b.get(unit) ?? 0);
  return (2 * shared) / (aSize + bSize);
}
