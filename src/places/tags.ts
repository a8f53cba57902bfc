// THE rule for which places a report and each of its paragraphs are about, decided once when the corpus is
// read and stored in the index (retrieval, summaries, the bot and the CLI only read it):
//
// - own: the places a paragraph names, each with its city and province (a paragraph about 梓潼县 is about
//   绵阳 and 四川 too). A name several places share (鼓楼区 ×4, 朝阳区 ×2) counts only when the report's other
//   places pick one of them (南京 named elsewhere → 南京's 鼓楼区); otherwise it stays out rather than be wrong.
// - the report's place: what its headline names — when the headline names several places, what they have in
//   common (绵阳市梓潼县、广元市旺苍县 → 四川) — made more specific by the first paragraph when that names a place
//   inside it; failing both, a *.gov.cn site whose host names a place in pinyin (changzhou.gov.cn → 常州). Pages
//   about one county say "我县", "全县" and name the county only in the headline or the lead.
// - inherited: the report's place, plus — for a paragraph that names no place of its own and either opens with
//   reported speech ("张庆伟强调，…") or refers back ("我省", "全县", "该市") — the preceding paragraph's
//   places, unless that one is an overview of more than three provinces.
import { toSimplified } from '../text/text.js';
import { initialsOf } from './gazetteer.js';
import { allRegions, findRegionMentions, shortNameIsNoun, placeById, resolveRegionCandidates, type Region, type RegionMention } from './lookup.js';

/** A paragraph's places, as ids (GB/T 2260 codes or hand-data ids), each list with the places' ancestors. */
export interface PlaceTags {
  own: string[];
  inherited: string[];
}

export interface ReportPlaceTags {
  /** The places the report as a whole is about (with ancestors). */
  report: string[];
  /** One entry per paragraph, in order. */
  paragraphs: PlaceTags[];
}

/** A paragraph naming more provinces than this is an overview; what follows it is not about all of them. */
const MAX_INHERITED_PROVINCES = 3;

/** Opens with who said it: a short subject, then 强调/指出/表示… and a comma or colon. */
const REPORTED_SPEECH = /^[^，。；：:,]{2,16}?(?:强调|指出|表示|说|要求|认为|提出|介绍|坦言)[，：:,]/;

/** Going somewhere: 赴, 到, 前往, 走进, 来到. */
const TRAVEL = /赴|前往|走进|来到|(?<![达得受])到/;

/** Words that refer back to a place named before: 我县, 全市, 该区, 本省. */
const DEIXIS = /[我全该本此](?:省|自治区|市|州|盟|县|区|旗)/;

/** The place and its ancestors, province first. */
function chain(place: Region): Region[] {
  const out: Region[] = [place];
  for (let p = place.parentId === null ? null : placeById(place.parentId); p; p = p.parentId === null ? null : placeById(p.parentId)) out.unshift(p);
  return out;
}

function ids(places: Iterable<Region>): string[] {
  const out = new Set<string>();
  for (const p of places) for (const a of chain(p)) out.add(a.id);
  return [...out];
}

/**
 * The most specific place all of them are about: the deepest when they lie on one line (海口 + 秀英区 →
 * [海南, 海口, 秀英区]), else what they lie in (梓潼县 + 旺苍县 → [四川]); [] across provinces.
 */
function commonChain(places: readonly Region[]): Region[] {
  if (places.length === 0) return [];
  const chains = places.map(chain).sort((a, b) => b.length - a.length);
  const deepest = chains[0]!;
  if (chains.every((c) => c.every((p, i) => deepest[i] === p))) return deepest;
  const out: Region[] = [];
  for (let i = 0; chains.every((c) => c[i] !== undefined && c[i] === deepest[i]); i++) out.push(deepest[i]!);
  return out;
}

let byInitials: Map<string, Region[]> | undefined;

/** Province- and prefecture-level places by the initials of their names (cq → 重庆, cxz → 楚雄州). */
function placesByInitials(): Map<string, Region[]> {
  if (!byInitials) {
    byInitials = new Map();
    for (const p of allRegions()) {
      if (p.level > 2 || p.kind === 'area') continue;
      for (const form of new Set([p.name, ...p.fullNames])) {
        const key = initialsOf(form);
        const list = byInitials.get(key) ?? [];
        if (!list.includes(p)) list.push(p);
        byInitials.set(key, list);
      }
    }
  }
  return byInitials;
}

/**
 * The single place a *.gov.cn host names (or null): in pinyin (sgj.changzhou.gov.cn → 常州), or by the initials
 * of a province- or prefecture-level name (nyncw.cq.gov.cn → 重庆, cxz.gov.cn → 楚雄州). Labels are read from
 * the right (the site's own name) and must name exactly one place.
 */
export function placeOfSite(url: string | null): Region | null {
  if (!url) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (!host.endsWith('.gov.cn')) return null;
  const labels = host.slice(0, -'.gov.cn'.length).split('.').filter((l) => /^[a-z]{2,}$/.test(l) && l !== 'www');
  for (const label of labels.reverse()) {
    const candidates = label.length >= 4 ? resolveRegionCandidates(label).filter((r) => r.level <= 3) : [];
    const top = candidates.filter((r) => r.level === candidates[0]?.level);
    if (top.length === 1) return top[0]!;
    if (top.length > 1) return null;
    const initials = placesByInitials().get(label) ?? [];
    if (initials.length === 1) return initials[0]!;
    if (initials.length > 1) return null;
  }
  return null;
}

/** The candidates whose nearest named ancestor is the most specific (南京 named: 南京's 鼓楼区, not 徐州's). */
function closest(candidates: readonly Region[], anchors: ReadonlySet<string>): Region[] {
  const depth = (c: Region) => chain(c).slice(0, -1).filter((a) => anchors.has(a.id)).length;
  const best = Math.max(...candidates.map(depth));
  return best === 0 ? [] : candidates.filter((c) => depth(c) === best);
}

/**
 * Picks each mention's place: the only one, or the one the report's other places point to; null when unclear.
 * A suffix-less county name (永新, 惠民) is also an everyday word often enough that it counts only when the
 * report names that county or its city in full elsewhere (永新县, 吉安市), or when the headline uses it as a
 * noun with no place of another province beside it ("西北师大在会宁开展…").
 */
function resolver(mentionLists: RegionMention[][], extraAnchors: readonly Region[]) {
  const headline = mentionLists[0] ?? [];
  const headlineProvinces = new Set(headline.filter((m) => !m.bare).flatMap((m) => m.candidates.map((c) => c.provinceId)));
  const anchors = new Set<string>();
  const named = new Set<string>();
  for (const list of mentionLists) {
    for (const m of list) {
      if (m.bare) continue;
      if (m.candidates.length === 1) for (const a of chain(m.region)) anchors.add(a.id);
      for (const c of m.candidates) named.add(c.id);
    }
  }
  for (const p of extraAnchors) for (const a of chain(p)) anchors.add(a.id), named.add(a.id);
  // What the headline confirms counts for the whole report (会宁 in the headline, then "会宁会师是…").
  for (const m of headline) {
    if (!m.bare || !shortNameIsNoun(m.surface)) continue;
    const fits = m.candidates.filter((c) => [...headlineProvinces].every((id) => id === c.provinceId));
    if (fits.length === 1) named.add(fits[0]!.id);
  }
  return (m: RegionMention): Region | null => {
    const fits = m.bare
      ? m.candidates.filter((c) => named.has(c.id) || (c.cityId !== null && anchors.has(c.cityId)))
      : m.candidates.length === 1
        ? m.candidates
        : closest(m.candidates, anchors);
    return fits.length === 1 ? fits[0]! : null;
  };
}

/** The places a report and each of its paragraphs are about (see the rule at the top of this file). */
export function tagReport(report: { title: string; paragraphs: readonly string[]; sourceUrl?: string | null }): ReportPlaceTags {
  const texts = [report.title, ...report.paragraphs].map((t) => toSimplified(t));
  const mentionLists = texts.map((t) => findRegionMentions(t));
  const site = placeOfSite(report.sourceUrl ?? null);
  const pick = resolver(mentionLists, site ? [site] : []);
  const named = mentionLists.map((list) => [...new Set(list.map(pick).filter((r): r is Region => r !== null))]);

  // The report's place: the headline's common place, narrowed by the lead; else the site's place. A headline
  // whose places disagree but that says who went where ("梁园区…赴革命圣地延安") is about who went.
  const headline = named[0]!;
  let context = commonChain(headline);
  const travel = TRAVEL.exec(texts[0]!);
  if (context.length === 0 && travel) {
    const before = mentionLists[0]!.filter((m) => m.end <= travel.index).map(pick).filter((r): r is Region => r !== null);
    context = commonChain(before);
  }
  const lead = commonChain(named[1] ?? []);
  // A headline naming places of several provinces is an overview: its lead's place is not the report's.
  const overview = headline.length > 0 && context.length === 0;
  if (!overview && lead.length > context.length && context.every((p, i) => lead[i] === p)) context = lead;
  if (context.length === 0 && site) context = chain(site);
  const reportIds = context.map((p) => p.id);

  const paragraphs: PlaceTags[] = [];
  let previous: string[] = [];
  report.paragraphs.forEach((_, i) => {
    const text = texts[i + 1]!;
    const own = ids(named[i + 1]!);
    const followsOn = own.length === 0 && (REPORTED_SPEECH.test(text) || DEIXIS.test(text));
    const inherited = [...new Set([...reportIds, ...(followsOn ? previous : [])])].filter((id) => !own.includes(id));
    paragraphs.push({ own, inherited });
    const current = own.length > 0 ? own : followsOn ? previous : [];
    const provinces = current.filter((id) => placeById(id)?.level === 1).length;
    previous = provinces <= MAX_INHERITED_PROVINCES ? current : [];
  });
  return { report: reportIds, paragraphs };
}

/** Own and inherited together: every place the paragraph counts for. */
export function allPlaces(tags: PlaceTags): string[] {
  return tags.inherited.length === 0 ? tags.own : [...tags.own, ...tags.inherited];
}
