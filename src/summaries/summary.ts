// Region summaries: everything the reports say about one place — its paragraphs, the reports and
// sub-places they name, and a few key sentences quoted verbatim with their citations. Pure functions over
// a Store; no model. Membership comes from the paragraphs' region tags (see corpus/places.ts), so the
// gazetteer's hard cases (吉林 vs 吉林市 vs 巴丹吉林沙漠, 雄安新区 vs 安新县) are decided in one place.
import { splitSentences, toSimplified } from '../text/text.js';
import type { Paragraph } from '../corpus/types.js';
import type { Store } from '../index/store.js';
import { matchingForm } from '../text/tokens.js';
import { similarity } from '../retrieval/duplicates.js';
import { findRegionMentions, placeById, provinceOf, regionPath, resolveRegion, suggestRegions, type Region } from '../places/lookup.js';
import { allPlaces } from '../places/tags.js';

/** Where a quoted text comes from. */
export interface RegionCitation {
  /** Report file name relative to data/ (the report's id). */
  source: string;
  /** 1-based paragraph number within the report. */
  paragraph: number;
  title: string;
}

export interface RegionReport {
  source: string;
  title: string;
  /** How many of the report's paragraphs are about the region. */
  paragraphs: number;
}

export interface RegionParagraph extends RegionCitation {
  /** The paragraph exactly as the report wrote it. */
  text: string;
}

export interface PlaceCount {
  /** Canonical name of a place inside the region. */
  name: string;
  kind: string;
  /** Paragraphs naming it (itself or a place inside it). */
  paragraphs: number;
}

export interface KeySentence extends RegionCitation {
  /** A sentence of the cited paragraph, verbatim (trimmed). */
  text: string;
}

export interface RegionSummary {
  /** The name as given. */
  query: string;
  region: Region | null;
  /** Canonical short name of the region's province; the region itself for a province. */
  province: string | null;
  reports: RegionReport[];
  /** Every paragraph about the region, in report order; a province's include its cities' and counties'. */
  paragraphs: RegionParagraph[];
  /** Places inside the region named in those paragraphs, most mentioned first. */
  places: PlaceCount[];
  /** 3–6 key sentences in report and paragraph order (fewer only when the reports say less). */
  summary: KeySentence[];
  /** "Did you mean" names when the query is not a known region; otherwise empty. */
  suggestions: string[];
}

export interface SummaryOptions {
  /** Key sentences wanted: default 5, clamped to 3–6. */
  maxSentences?: number;
}

const DEFAULT_SENTENCES = 5;
const MIN_SENTENCES = 3;
const MAX_SENTENCES = 6;
const SUGGESTIONS = 5;

// ---------------------------------------------------------------------------------------------
// Per-store analysis, computed once: the bot summarises many regions from one store.

interface Sentence {
  paragraph: Paragraph;
  /** Offset in the paragraph: keeps the final order readable. */
  start: number;
  text: string;
}

interface ParagraphPlaces {
  /** Per sentence, the regions it names (from findRegionMentions). */
  mentions: Region[][];
  /** False for a follow-on paragraph that names no place and inherits its tags. */
  namesPlaces: boolean;
}

interface StoreAnalysis {
  titles: Map<string, string>;
  reportOrder: Map<string, number>;
  /** Paragraphs tagged (own or inherited) with each place id. */
  paragraphsByRegion: Map<string, Paragraph[]>;
  sentences: Map<Paragraph, Sentence[]>;
  /** Terms (character bigrams) of the sentences scored so far. */
  terms: Map<Sentence, string[]>;
  places: Map<Paragraph, ParagraphPlaces>;
  /** Per term, how many provinces' paragraphs use it: boilerplate is used everywhere. */
  termSpread: Map<string, number> | null;
  /** Number of distinct province keys in the corpus (the spread's maximum). */
  provinceKeys: number;
  phraseSpread: Map<string, number>;
}

const analyses = new WeakMap<Store, StoreAnalysis>();

function analysis(store: Store): StoreAnalysis {
  let a = analyses.get(store);
  if (a) return a;
  const paragraphsByRegion = new Map<string, Paragraph[]>();
  for (const p of store.paragraphs) {
    for (const id of new Set(allPlaces(p.places))) {
      const list = paragraphsByRegion.get(id);
      if (list) list.push(p);
      else paragraphsByRegion.set(id, [p]);
    }
  }
  a = {
    titles: new Map(store.reports.map((r) => [r.file, r.title])),
    reportOrder: new Map(store.reports.map((r, i) => [r.file, i])),
    paragraphsByRegion,
    sentences: new Map(),
    terms: new Map(),
    places: new Map(),
    termSpread: null,
    provinceKeys: 1,
    phraseSpread: new Map(),
  };
  analyses.set(store, a);
  return a;
}

const WORD_RUN = /[\p{L}\p{N}]+/gu;

/**
 * Character bigrams of the matching form, within runs of letters and digits: the usual terms for Chinese
 * text, and cheap enough to compute for the whole corpus on first use (no word segmenter to load).
 */
function termsOf(text: string): string[] {
  const terms = new Set<string>();
  for (const [run] of matchingForm(text).matchAll(WORD_RUN)) {
    for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
  }
  return [...terms];
}

function sentencesOf(a: StoreAnalysis, p: Paragraph): Sentence[] {
  let list = a.sentences.get(p);
  if (!list) {
    list = [];
    for (const s of splitSentences(p.text)) {
      const text = s.text.trim();
      if (text.length === 0) continue;
      list.push({ paragraph: p, start: s.start + (s.text.length - s.text.trimStart().length), text });
    }
    a.sentences.set(p, list);
  }
  return list;
}

function termsOfSentence(a: StoreAnalysis, s: Sentence): string[] {
  let terms = a.terms.get(s);
  if (!terms) a.terms.set(s, (terms = termsOf(s.text)));
  return terms;
}

function placesOf(a: StoreAnalysis, p: Paragraph): ParagraphPlaces {
  let places = a.places.get(p);
  if (!places) {
    // Which sentence names which place; a name several places share is the one the paragraph's tags chose.
    const own = new Set(p.places.own);
    const mentions = sentencesOf(a, p).map((s) => [
      ...new Set(findRegionMentions(toSimplified(s.text)).map((m) => m.candidates.find((c) => own.has(c.id)) ?? m.region)),
    ]);
    places = { mentions, namesPlaces: p.places.own.length > 0 };
    a.places.set(p, places);
  }
  return places;
}

const UNATTRIBUTED = '';

/**
 * Provinces a paragraph names (its own place tags). Paragraphs naming none count as one more "province":
 * their "各地区各单位…" is nobody's in particular.
 */
function provinceKeys(p: Paragraph): string[] {
  const provinces = p.places.own.filter((id) => placeById(id)?.level === 1);
  return provinces.length > 0 ? provinces : [UNATTRIBUTED];
}

/** Term -> number of provinces whose paragraphs use it, over the whole corpus. */
function termSpread(store: Store, a: StoreAnalysis): Map<string, number> {
  if (a.termSpread) return a.termSpread;
  const users = new Map<string, Set<string>>();
  const keys = new Set<string>();
  for (const [i, p] of store.paragraphs.entries()) {
    const provinces = provinceKeys(p);
    provinces.forEach((k) => keys.add(k));
    // Whole paragraphs: bigrams never cross punctuation, so these are the sentences' terms.
    for (const t of termsOf(p.text)) {
      let set = users.get(t);
      if (!set) users.set(t, (set = new Set()));
      provinces.forEach((k) => set.add(k));
    }
  }
  a.termSpread = new Map([...users].map(([t, set]) => [t, set.size]));
  a.provinceKeys = keys.size;
  return a.termSpread;
}

/** Provinces whose paragraphs contain a phrase (for quoted names: 《…》 specific, “不忘初心、牢记使命” not). */
function phraseSpread(store: Store, a: StoreAnalysis, phrase: string): number {
  let n = a.phraseSpread.get(phrase);
  if (n === undefined) {
    const keys = new Set<string>();
    for (const [i, p] of store.paragraphs.entries()) {
      if (p.text.includes(phrase)) provinceKeys(p).forEach((k) => keys.add(k));
    }
    n = keys.size;
    a.phraseSpread.set(phrase, n);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Region facts

function citationOf(a: StoreAnalysis, p: Paragraph): RegionCitation {
  return { source: p.file, paragraph: p.number, title: a.titles.get(p.file) ?? '' };
}

function regionParagraphs(store: Store, region: Region): Paragraph[] {
  return analysis(store).paragraphsByRegion.get(region.id) ?? [];
}

/** Number of paragraphs about a region (names are resolved first); 0 for unknown names. */
export function regionParagraphCount(store: Store, region: Region | string): number {
  const r = typeof region === 'string' ? resolveRegion(region) : region;
  return r ? regionParagraphs(store, r).length : 0;
}

/** True when `inner` lies inside `outer` (not the region itself). */
function isInside(inner: Region, outer: Region): boolean {
  return inner !== outer && regionPath(inner).includes(outer);
}

function reportsAbout(a: StoreAnalysis, paragraphs: Paragraph[]): RegionReport[] {
  const counts = new Map<string, number>();
  for (const p of paragraphs) counts.set(p.file, (counts.get(p.file) ?? 0) + 1);
  return [...counts].map(([source, n]) => ({ source, title: a.titles.get(source) ?? '', paragraphs: n }));
}

/** Sub-places counted from the tags of paragraphs that name places themselves (not inherited ones). */
function placesNamedIn(a: StoreAnalysis, region: Region, paragraphs: Paragraph[]): PlaceCount[] {
  const counts = new Map<Region, number>();
  for (const p of paragraphs) {
    if (!placesOf(a, p).namesPlaces) continue;
    for (const id of new Set(p.places.own)) {
      const place = placeById(id);
      if (place && isInside(place, region)) counts.set(place, (counts.get(place) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort(([x, m], [y, n]) => n - m || x.level - y.level)
    .map(([place, n]) => ({ name: place.name, kind: place.kind, paragraphs: n }));
}

// ---------------------------------------------------------------------------------------------
// Key sentences

interface Candidate {
  sentence: Sentence;
  /**
   * 1: names the region (or a place in it), or belongs to a follow-on paragraph; 2: names no place, in a
   * paragraph wholly about the region; 3: names mostly other places. Lower tiers only make up the minimum.
   */
  tier: 1 | 2 | 3;
  /** Share of the places it names that lie in the region: a 13-province list says little about one. */
  focus: number;
  /** The region's child it is about (石家庄 for a 河北 sentence naming 石家庄), for spreading the picks. */
  branch: string;
  score: number;
}

const MIN_LENGTH = 12;
const MAX_LENGTH = 220;
const NEAR_DUPLICATE = 0.5;
/** Focus given to sentences that name no place: they are about the region only by their paragraph. */
const UNNAMED_FOCUS = 0.6;
/** Below this share of its places inside the region, a sentence is about somewhere else. */
const MIN_FOCUS = 0.5;

/** Child of `region` on the way to `place` (the region itself when `place` is the region). */
function branchOf(place: Region, region: Region): string {
  const path = regionPath(place);
  const i = path.indexOf(region);
  return (path[i + 1] ?? region).name;
}

function candidatesFor(a: StoreAnalysis, region: Region, paragraphs: Paragraph[]): Candidate[] {
  const out: Candidate[] = [];
  const related = (r: Region): boolean => r === region || isInside(r, region) || isInside(region, r);
  for (const p of paragraphs) {
    const { mentions, namesPlaces } = placesOf(a, p);
    // Its unnamed sentences are about the region only if the paragraph names nothing outside it.
    const focused = mentions.every((named) => named.every(related));
    sentencesOf(a, p).forEach((sentence, i) => {
      const named = mentions[i]!;
      const inside = named.filter((r) => r === region || isInside(r, region));
      if (!namesPlaces) out.push({ sentence, tier: 1, focus: UNNAMED_FOCUS, branch: region.name, score: 0 });
      else if (inside.length > 0) {
        // The most specific place named decides the branch.
        const deepest = inside.reduce((x, y) => (y.level > x.level ? y : x));
        const focus = inside.length / named.length;
        // Mostly about other places ("河北、内蒙古、上海…等地"): a fallback, not a key sentence.
        out.push({ sentence, tier: focus >= MIN_FOCUS ? 1 : 3, focus, branch: branchOf(deepest, region), score: 0 });
      } else if (named.length === 0 && focused) out.push({ sentence, tier: 2, focus: UNNAMED_FOCUS, branch: region.name, score: 0 });
    });
  }
  return out;
}

/** Dates, quantities and named measures: the concrete content a summary should carry. */
const DATE = /\d{4}年|\d{1,2}月\d{1,2}日/;
const QUANTITY = /\d+(?:\.\d+)?\s*(?:万|亿)?(?:余|多)?(?:个|项|名|人|件|所|村|户|册|元|家|次|条|类|座|辆|位|天|周|%|％|万|亿)|(?<![第一二三四五六七八九十])[两三四五六七八九十]+(?:个|项|条|类)/g;
const NAMED = /《[^》]{2,40}》|“[^”]{2,16}”/g;

function factBonus(store: Store, a: StoreAnalysis, text: string): number {
  let bonus = 0;
  if (DATE.test(text)) bonus += 0.1;
  const quantities = text.match(QUANTITY)?.length ?? 0;
  bonus += Math.min(quantities, 2) * 0.1;
  // A quoted name counts only when few provinces use it (“不忘初心、牢记使命” is everywhere).
  if ((text.match(NAMED) ?? []).some((n) => phraseSpread(store, a, n) <= 2)) bonus += 0.1;
  return Math.min(bonus, 0.35);
}

/** A sentence cut from a longer quotation reads badly on its own. */
function unbalancedQuotes(text: string): boolean {
  const open = (text.match(/[“「]/g) ?? []).length;
  const close = (text.match(/[”」]/g) ?? []).length;
  return open !== close;
}

/** "吉林市致和南小区居民徐桃珍说。": the speaker of the previous sentence's quote, nothing on its own. */
const ATTRIBUTION = /^[^，,：:]{0,30}(?:说|表示|介绍|告诉记者)[。！]?$/;
/**
 * "各地区各单位党员、干部坚持…": the compiler's link between regional items, about every region at once.
 * Such sentences often stand in follow-on paragraphs, whose inherited tags pin them on one region.
 */
const GENERIC_SUBJECT = /^(?:[^。；]{0,16}，)?(?:各地区各单位|各地各单位|各地区和单位|各地区、各单位|各地)/;

/**
 * Informativeness: centrality (weighted term overlap with the other candidates), specificity (terms used
 * by few provinces; boilerplate such as 深入学习贯彻… is used by all), facts, and focus on the region.
 */
function scoreCandidates(store: Store, a: StoreAnalysis, candidates: Candidate[]): void {
  const spread = termSpread(store, a);
  const top = Math.log(a.provinceKeys + 1);
  const weight = (t: string): number => Math.max(0, Math.log((a.provinceKeys + 1) / ((spread.get(t) ?? 1) + 0.5)));
  const terms = candidates.map((c) => termsOfSentence(a, c.sentence));
  // Each sentence as a unit vector of term weights (empty when it has no weighted term).
  const units = terms.map((ts) => {
    const w = new Map(ts.map((t) => [t, weight(t)]));
    let norm = 0;
    for (const v of w.values()) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [t, v] of w) w.set(t, v / norm);
    else w.clear();
    return w;
  });
  // Centrality: a sentence's mean cosine with the sentences of other paragraphs only (parallel clauses
  // of one paragraph, "要在…取得新进展", echo each other). The sum of cosines with a set of sentences is
  // the dot product with the sum of their unit vectors, so the all-pairs sum (minutes for a province
  // with thousands of paragraphs) is one sum over all sentences minus one per paragraph.
  const add = (into: Map<string, number>, w: Map<string, number>) => {
    for (const [t, v] of w) into.set(t, (into.get(t) ?? 0) + v);
  };
  const all = new Map<string, number>();
  const byParagraph = new Map<Paragraph, { sum: Map<string, number>; count: number }>();
  candidates.forEach((c, i) => {
    add(all, units[i]!);
    let group = byParagraph.get(c.sentence.paragraph);
    if (!group) byParagraph.set(c.sentence.paragraph, (group = { sum: new Map(), count: 0 }));
    add(group.sum, units[i]!);
    group.count++;
  });
  const centrality = candidates.map((c, i) => {
    const own = byParagraph.get(c.sentence.paragraph)!;
    const n = candidates.length - own.count;
    if (n === 0) return 0;
    let sum = 0;
    for (const [t, v] of units[i]!) sum += v * ((all.get(t) ?? 0) - (own.sum.get(t) ?? 0));
    return sum / n;
  });
  const maxCentrality = Math.max(...centrality, 1e-9);
  candidates.forEach((c, i) => {
    const ts = terms[i]!;
    const specificity = ts.length === 0 ? 0 : ts.reduce((sum, t) => sum + weight(t), 0) / ts.length / top;
    c.score =
      0.4 * (centrality[i]! / maxCentrality) +
      0.3 * specificity +
      factBonus(store, a, c.sentence.text) +
      0.2 * c.focus -
      (unbalancedQuotes(c.sentence.text) ? 0.1 : 0);
  });
}

/** Very short or long sentences, bare attributions and generic links are picked only when nothing else is left. */
function readable(c: Candidate): boolean {
  const { text } = c.sentence;
  return text.length >= MIN_LENGTH && text.length <= MAX_LENGTH && !ATTRIBUTION.test(text) && !GENERIC_SUBJECT.test(text);
}

/**
 * Greedy MMR: each pick maximises its score minus redundancy with the picks so far, preferring new
 * paragraphs, reports and branches. Near-duplicates are never picked. Readable tier-1 sentences come
 * first; readable tier-2 ones, then anything left, only make up the minimum.
 */
function selectKeySentences(candidates: Candidate[], count: number): Candidate[] {
  const chosen: Candidate[] = [];
  const minimum = Math.min(count, MIN_SENTENCES);
  const pools: Array<{ members: Candidate[]; upTo: number }> = [
    { members: candidates.filter((c) => c.tier === 1 && readable(c)), upTo: count },
    { members: candidates.filter((c) => c.tier === 2 && readable(c)), upTo: minimum },
    { members: candidates.filter((c) => c.tier === 3 || !readable(c)), upTo: minimum },
  ];
  for (const pool of pools) {
    while (chosen.length < pool.upTo) {
      const next = bestNext(pool.members, chosen);
      if (!next) break;
      chosen.push(next);
    }
  }
  return chosen;
}

function bestNext(pool: Candidate[], chosen: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  let bestValue = -Infinity;
  for (const c of pool) {
    if (chosen.includes(c)) continue;
    const redundancy = Math.max(0, ...chosen.map((o) => similarity(c.sentence.text, o.sentence.text)));
    if (redundancy >= NEAR_DUPLICATE) continue;
    const sameParagraph = chosen.filter((o) => o.sentence.paragraph === c.sentence.paragraph).length;
    const sameReport = chosen.filter((o) => o.sentence.paragraph.file === c.sentence.paragraph.file).length;
    const newBranch = !chosen.some((o) => o.branch === c.branch);
    const value =
      c.score -
      0.4 * redundancy -
      0.25 * sameParagraph -
      0.05 * sameReport +
      (newBranch ? 0.1 : 0);
    if (value > bestValue) {
      best = c;
      bestValue = value;
    }
  }
  return best;
}

function clampSentences(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n)) return DEFAULT_SENTENCES;
  return Math.min(MAX_SENTENCES, Math.max(MIN_SENTENCES, Math.round(n)));
}

function keySentences(store: Store, region: Region, paragraphs: Paragraph[], count: number): KeySentence[] {
  const a = analysis(store);
  const candidates = candidatesFor(a, region, paragraphs);
  if (candidates.length === 0) return [];
  scoreCandidates(store, a, candidates);
  const order = (c: Candidate): [number, number, number] => [a.reportOrder.get(c.sentence.paragraph.file) ?? 0, c.sentence.paragraph.number, c.sentence.start];
  return selectKeySentences(candidates, count)
    .sort((x, y) => {
      const [p, q] = [order(x), order(y)];
      return p[0] - q[0] || p[1] - q[1] || p[2] - q[2];
    })
    .map((c) => ({ text: c.sentence.text, ...citationOf(a, c.sentence.paragraph) }));
}

// ---------------------------------------------------------------------------------------------
// Public API

/** What the reports say about a region named by the user (any form resolveRegion accepts). */
export function summariseRegion(store: Store, name: string, options: SummaryOptions = {}): RegionSummary {
  const region = resolveRegion(name);
  if (!region) {
    const suggestions = name.trim() === '' ? [] : suggestRegions(name, SUGGESTIONS).map((r) => r.name);
    return { query: name, region: null, province: null, reports: [], paragraphs: [], places: [], summary: [], suggestions };
  }
  const a = analysis(store);
  const paragraphs = regionParagraphs(store, region);
  return {
    query: name,
    region,
    province: provinceOf(region)?.name ?? region.province,
    reports: reportsAbout(a, paragraphs),
    paragraphs: paragraphs.map((p) => ({ ...citationOf(a, p), text: p.text })),
    places: placesNamedIn(a, region, paragraphs),
    summary: keySentences(store, region, paragraphs, clampSentences(options.maxSentences)),
    suggestions: [],
  };
}

export interface RegionCoverage {
  region: Region;
  paragraphs: number;
  reports: number;
}

/**
 * Regions the reports cover, most paragraphs first: province-level ones, plus prefecture-level cities
 * when `includeCities` is set.
 */
export function regionsCovered(store: Store, options: { includeCities?: boolean } = {}): RegionCoverage[] {
  const a = analysis(store);
  const out: RegionCoverage[] = [];
  for (const [id, paragraphs] of a.paragraphsByRegion) {
    const region = placeById(id);
    if (!region || (region.level !== 1 && !(options.includeCities && region.level === 2))) continue;
    out.push({ region, paragraphs: paragraphs.length, reports: new Set(paragraphs.map((p) => p.file)).size });
  }
  return out.sort((x, y) => y.paragraphs - x.paragraphs || y.reports - x.reports || x.region.level - y.region.level);
}

export interface RegionChoice {
  region: Region;
  paragraphs: number;
  /** For autocomplete menus: "石家庄 (2 段)". */
  label: string;
}

/** Autocomplete: suggestRegions' matches for what the user typed, each with its paragraph count. */
export function regionChoices(store: Store, input: string, limit = 25): RegionChoice[] {
  return suggestRegions(input, limit).map((region) => {
    const paragraphs = regionParagraphCount(store, region);
    return { region, paragraphs, label: `${region.name} (${paragraphs} 段)` };
  });
}
