// Region lookup: exact resolution of user-given names, autocomplete suggestions, and place mentions in
// Chinese and English text. Pure functions over the gazetteer, which is loaded once on first use.
import { Lru } from '../lru.js';
import { toSimplified } from '../text/text.js';
import { dictionaryEntries, segmenter } from '../text/tokens.js';
import { loadGazetteer, type Region } from './gazetteer.js';

export type { Place, Region, RegionKind, RegionLevel, PlaceKind, ProvinceKind } from './gazetteer.js';

export interface RegionMention {
  /** The best-known place with this name (see candidates). */
  readonly region: Region;
  /** Every place the surface can name, best-known first (鼓楼区: four cities); one for most names. */
  readonly candidates: readonly Region[];
  /** A county-level name without its suffix (永新): a place only when the context confirms it (see places/tags.ts). */
  readonly bare: boolean;
  /** UTF-16 offsets into the string that was passed in: text.slice(start, end) === surface. */
  readonly start: number;
  readonly end: number;
  readonly surface: string;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const hasCjk = (s: string): boolean => CJK.test(s);

/** Lower-case Latin words: diacritics dropped (Lüliang -> luliang), apostrophes removed (Xi'an -> xian). */
function latinWords(s: string): string[] {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const compactLatin = (s: string): string => latinWords(s).join('');

// ---------------------------------------------------------------------------------------------
// Ranking

/** Higher levels first (province before city before county), primary before secondary, then JSON order. */
function compareRank(a: Region, b: Region): number {
  if (a.level !== b.level) return a.level - b.level;
  if (a.secondary !== b.secondary) return a.secondary ? 1 : -1;
  return order().get(a)! - order().get(b)!;
}

let orderMap: Map<Region, number> | undefined;
function order(): Map<Region, number> {
  orderMap ??= new Map(loadGazetteer().regions.map((r, i) => [r, i]));
  return orderMap;
}

// ---------------------------------------------------------------------------------------------
// Indexes

interface TextForm {
  readonly region: Region;
  /** weak = ambiguous bare name of a prefecture-level unit: accepted only in list/province context. */
  readonly weak: boolean;
  /** A county-level name without its suffix (永新): accepted only as a whole word (jieba word boundaries). */
  readonly bare: boolean;
}

interface LatinIndex {
  /** Compact Latin keys (pinyin and English, spaces removed). */
  readonly latin: Map<string, Region[]>;
  /** Space-joined Latin word keys for English running text. */
  readonly latinPhrases: Map<string, Region[]>;
  readonly maxPhraseWords: number;
  readonly latinKeys: Map<Region, string[]>;
}

interface Index {
  /** Exact Chinese names: canonical, full, short, abbreviation. */
  readonly zh: Map<string, Region[]>;
  /** Chinese forms matched in running text. */
  readonly textForms: Map<string, TextForm[]>;
  readonly maxFormLength: number;
  readonly nonPlaces: readonly string[];
  /** Suggestion keys per region. */
  readonly zhKeys: Map<Region, string[]>;
  /** jieba's dictionary entries of county-level short names. */
  readonly shortNames: Map<string, { frequency: number; tag: string }>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) {
    if (!a.includes(v)) a.push(v);
  } else m.set(k, [v]);
}

/** Generic words in English names that must not drive suggestions on their own ("new", "autonomous"...). */
const GENERIC_WORDS = new Set([
  'autonomous', 'region', 'prefecture', 'special', 'administrative', 'sar', 'new', 'area', 'city', 'county',
  'district', 'league', 'banner', 'province', 'free', 'trade', 'zone', 'pilot', 'mount', 'mountain', 'mountains',
  'desert', 'and', 'the', 'of', 'forestry', 'west', 'coast', 'central', 'bridge', 'fortress', 'right',
  // Ethnic names in autonomous-area titles ("Ningxia Hui ...") say nothing about the place's own name.
  'hui', 'zhuang', 'uygur', 'uyghur', 'korean', 'tibetan', 'qiang', 'miao', 'tujia', 'buyei', 'dong', 'hani',
  'dai', 'jingpo', 'lisu', 'bai', 'mongol', 'kazakh', 'kirghiz',
]);

let index: Index | undefined;

/**
 * A county's suffix-less name that jieba's dictionary counts this often is an everyday word first (和平 7998,
 * 资源, 合作, 公安, 前进); place names sit far below (永新 278, 梓潼 20). Hand data may still mark a rarer one.
 */
const COMMON_WORD_FREQUENCY = 1000;

/** Too frequent in jieba's dictionary, or a numeral there (二七, 三元, 五峰). */
const isEveryday = (entry: { frequency: number; tag: string }) => entry.frequency >= COMMON_WORD_FREQUENCY || entry.tag === 'm';

function getIndex(): Index {
  if (index) return index;
  const g = loadGazetteer();
  const zh = new Map<string, Region[]>();
  const textForms = new Map<string, TextForm[]>();
  const zhKeys = new Map<Region, string[]>();
  let maxFormLength = 2;

  // Text is matched in its simplified form, where the converter turns 乾安县 into 干安县: every form is also
  // added as converted (in one call: converting thousands of short strings one by one takes long).
  const allForms = [...new Set(g.regions.flatMap((r) => [r.name, ...r.fullNames, ...(r.shortName ? [r.shortName] : [])]))];
  const converted = toSimplified(allForms.join('\n')).split('\n');
  const simplifiedForm = new Map(allForms.map((f, i) => [f, converted[i] ?? f]));
  const shortNames = dictionaryEntries(g.regions.filter((r) => r.level >= 3 && r.shortName).map((r) => r.shortName!));
  const everyday = new Set([...shortNames].filter(([, entry]) => isEveryday(entry)).map(([word]) => word));

  const addForm = (form: string, region: Region, weak: boolean, bare = false): void => {
    // Single characters (冀, 雄) are never matched in running text.
    if (form.length < 2) return;
    const simplified = simplifiedForm.get(form) ?? form;
    if (simplified !== form) addForm(simplified, region, weak, bare);
    const list = textForms.get(form) ?? [];
    if (!list.some((f) => f.region === region)) list.push({ region, weak, bare });
    textForms.set(form, list);
    maxFormLength = Math.max(maxFormLength, form.length);
  };

  // A bare name some place's hand data calls a common word is a common word for every place (朝阳).
  const commonWords = new Set(g.regions.filter((r) => r.ambiguous).flatMap((r) => [r.name, ...(r.shortName ? [r.shortName] : [])]));
  // 吉安 alone is the city 吉安市, not 吉安县.
  for (const r of g.regions) if (r.level <= 2) commonWords.add(r.name);
  for (const r of g.regions) {
    const names = [r.name, ...r.fullNames, ...(r.shortName ? [r.shortName] : [])];
    for (const n of names) push(zh, n, r);
    if (r.abbreviation) push(zh, r.abbreviation, r);
    zhKeys.set(r, [...new Set(names)]);

    // Full names are always matched; bare names only when not ambiguous (prefecture-level ambiguous
    // names are kept as weak forms that need a list or province context).
    for (const f of r.fullNames) addForm(f, r, false);
    const bare = [r.name, ...(r.shortName ? [r.shortName] : [])].filter((n) => !r.fullNames.includes(n));
    for (const b of bare) {
      if (r.level >= 3 && r.kind !== 'area') {
        // Suffix-less county names: only when they are not also an everyday word (和平, 资源, 公安).
        if (!r.ambiguous && !commonWords.has(b) && !everyday.has(b)) addForm(b, r, false, true);
      } else if (!r.ambiguous) addForm(b, r, false);
      else if (r.level === 2) addForm(b, r, true);
    }
  }
  for (const list of zh.values()) list.sort(compareRank);
  for (const list of textForms.values()) list.sort((a, b) => compareRank(a.region, b.region));

  index = { zh, textForms, maxFormLength, nonPlaces: g.nonPlaces, zhKeys, shortNames };
  return index;
}

let latinIndex: LatinIndex | undefined;

/** Pinyin and English names: built on first use, as generating pinyin for every place takes a moment. */
function getLatinIndex(): LatinIndex {
  if (latinIndex) return latinIndex;
  const g = loadGazetteer();
  const latin = new Map<string, Region[]>();
  const latinPhrases = new Map<string, Region[]>();
  const latinKeys = new Map<Region, string[]>();
  let maxPhraseWords = 1;
  for (const r of g.regions) {
    const lk = new Set<string>();
    for (const e of [r.pinyin, ...r.english]) {
      const words = latinWords(e);
      if (words.length === 0) continue;
      const compact = words.join('');
      push(latin, compact, r);
      // Suggestion keys: whole names without generic words, plus their distinctive words
      // ("Ningxia Hui Autonomous Region" contributes only "ningxia").
      if (!words.some((w) => GENERIC_WORDS.has(w))) lk.add(compact);
      for (const w of words) if (w.length >= 3 && !GENERIC_WORDS.has(w)) lk.add(w);
      const phrase = words.join(' ');
      if (!g.englishTextExcluded.includes(phrase) && !g.englishTextExcluded.includes(compact)) {
        push(latinPhrases, phrase, r);
        maxPhraseWords = Math.max(maxPhraseWords, words.length);
      }
    }
    latinKeys.set(r, [...lk]);
  }
  for (const list of [...latin.values(), ...latinPhrases.values()]) list.sort(compareRank);
  latinIndex = { latin, latinPhrases, maxPhraseWords, latinKeys };
  return latinIndex;
}

// ---------------------------------------------------------------------------------------------
// Basic accessors

/** All 34 province-level regions (23 provinces incl. 台湾, 4 municipalities, 5 autonomous regions, 2 SARs). */
export function allProvinces(): readonly Region[] {
  return loadGazetteer().provinces;
}

/** Every region: provinces first, then places. */
export function allRegions(): readonly Region[] {
  return loadGazetteer().regions;
}

/** The best-known place with exactly this display name (no normalisation), or null. */
export function regionByName(canonicalName: string): Region | null {
  return loadGazetteer().byName.get(canonicalName)?.[0] ?? null;
}

/** Every place with exactly this display name (朝阳区: 北京's and 长春's). */
export function placesNamed(canonicalName: string): readonly Region[] {
  return loadGazetteer().byName.get(canonicalName) ?? [];
}

/** The place with this id (GB/T 2260 code or hand-data id), or null. */
export function placeById(id: string): Region | null {
  return loadGazetteer().byId.get(id) ?? null;
}

/** Whether jieba's dictionary calls a county's short name a noun (会宁 ns, 秀英 nr) or does not know it (not 振兴 v). */
export function shortNameIsNoun(word: string): boolean {
  const entry = getIndex().shortNames.get(word);
  return entry === undefined || entry.tag.startsWith('n');
}

/** Version of the place data (dataset + hand data): part of the index's fingerprint. */
export function placeDataVersion(): string {
  return loadGazetteer().version;
}

function asRegion(r: Region | string): Region | null {
  return typeof r === 'string' ? resolveRegion(r) : r;
}

/** The province-level region containing a region (itself for a province). Strings are resolved first. */
export function provinceOf(region: Region | string): Region | null {
  const r = asRegion(region);
  return r ? placeById(r.provinceId) : null;
}

/** The prefecture-level unit containing a region (itself for one), or null. */
export function cityOf(region: Region | string): Region | null {
  const r = asRegion(region);
  if (!r) return null;
  if (r.level === 2) return r;
  return r.cityId === null ? null : placeById(r.cityId);
}

/** The immediate parent (陆家嘴 -> 浦东新区 -> 上海), or null for a province. */
export function parentOf(region: Region | string): Region | null {
  const r = asRegion(region);
  return r && r.parentId !== null ? placeById(r.parentId) : null;
}

/** Chain from the province down to the region itself: 宾阳县 -> [广西, 南宁, 宾阳县]. */
export function regionPath(region: Region): Region[] {
  const path: Region[] = [region];
  for (let p = parentOf(region); p; p = parentOf(p)) path.unshift(p);
  return path;
}

/** Places (not the province itself) inside a province, in gazetteer order; optionally only some kinds. */
export function placesIn(province: Region | string, kinds?: readonly Region['kind'][]): Region[] {
  const p = provinceOf(province);
  if (!p) return [];
  return loadGazetteer().places.filter((r) => r.provinceId === p.id && (!kinds || kinds.includes(r.kind)));
}

function isAncestor(ancestor: Region, r: Region): boolean {
  for (let p = parentOf(r); p; p = parentOf(p)) if (p === ancestor) return true;
  return false;
}

/** Most specific region of a chain like 河北 石家庄 (each one inside the next), or null if inconsistent. */
function mostSpecific(regions: readonly Region[]): Region | null {
  const distinct = [...new Set(regions)];
  // The deepest region must be unique and every other one must contain it.
  const deepest = distinct.filter((r) => distinct.every((o) => o === r || !isAncestor(r, o)));
  if (deepest.length !== 1) return null;
  const best = deepest[0]!;
  return distinct.every((r) => r === best || isAncestor(r, best)) ? best : null;
}

// ---------------------------------------------------------------------------------------------
// Exact resolution

type Want = (r: Region) => boolean;
const isProvinceLevel: Want = (r) => r.level === 1;
const isCityLike: Want = (r) => r.kind === 'city' || r.kind === 'municipality' || r.kind === 'county-city';
const isPrefecture: Want = (r) => r.level === 2;
const isCounty: Want = (r) => r.kind === 'county' || r.kind === 'county-city';
const isDistrict: Want = (r) => r.kind === 'district' || r.kind === 'area';

/** Chinese suffixes a user may add to a name we store without them (石家庄地区, 海淀区 is stored). */
const ZH_SUFFIXES: ReadonlyArray<readonly [string, Want]> = [
  ['特别行政区', (r) => r.kind === 'sar'],
  ['自治区', (r) => r.kind === 'autonomous-region'],
  ['自治州', isPrefecture],
  ['地区', isPrefecture],
  ['新区', isDistrict],
  ['省', isProvinceLevel],
  ['市', isCityLike],
  ['盟', isPrefecture],
  ['州', isPrefecture],
  ['县', isCounty],
  ['旗', isCounty],
  ['区', isDistrict],
];

/** English/pinyin suffix words ("Hebei Province", "Jilin City", "Jilin Shi"). */
const LATIN_SUFFIXES: ReadonlyArray<readonly [string[], Want]> = [
  [['special', 'administrative', 'region'], (r) => r.kind === 'sar'],
  [['autonomous', 'region'], (r) => r.kind === 'autonomous-region'],
  [['autonomous', 'prefecture'], isPrefecture],
  [['new', 'area'], isDistrict],
  [['province'], isProvinceLevel],
  [['sheng'], isProvinceLevel],
  [['municipality'], (r) => r.kind === 'municipality'],
  [['city'], isCityLike],
  [['shi'], isCityLike],
  [['prefecture'], isPrefecture],
  [['league'], isPrefecture],
  [['county'], isCounty],
  [['xian'], isCounty],
  [['banner'], isCounty],
  [['district'], isDistrict],
  [['qu'], isDistrict],
  [['sar'], (r) => r.kind === 'sar'],
  [['region'], isProvinceLevel],
];
const SUFFIX_WORDS = new Set(LATIN_SUFFIXES.flatMap(([words]) => words));

function preferWanted(cands: readonly Region[], want: Want): Region[] {
  const good = cands.filter(want);
  return good.length > 0 ? [...good, ...cands.filter((r) => !want(r))] : [...cands];
}

function candidatesZh(s: string): Region[] {
  const idx = getIndex();
  const exact = idx.zh.get(s);
  if (exact) return [...exact];
  // A compound like 河北省石家庄市 or 广西南宁: every character covered by consistent mentions.
  const mentions = findRegionMentions(s);
  if (mentions.length > 1 && mentions.map((m) => m.surface).join('') === s) {
    const r = mostSpecific(mentions.map((m) => m.region));
    if (r) return [r];
  }
  for (const [suffix, want] of ZH_SUFFIXES) {
    if (s.length > suffix.length + 1 && s.endsWith(suffix)) {
      const core = idx.zh.get(s.slice(0, -suffix.length));
      if (core) return preferWanted(core, want);
    }
  }
  return [];
}

function candidatesLatin(input: string): Region[] {
  const idx = getLatinIndex();
  const words = latinWords(input);
  if (words.length === 0) return [];
  const exact = idx.latin.get(words.join(''));
  if (exact) return [...exact];
  for (const [suffix, want] of LATIN_SUFFIXES) {
    if (words.length > suffix.length && suffix.every((w, i) => words[words.length - suffix.length + i] === w)) {
      const core = idx.latin.get(words.slice(0, -suffix.length).join(''));
      if (core) return preferWanted(core, want);
    }
  }
  // "Shijiazhuang, Hebei" / "Hebei Shijiazhuang": consistent mentions covering every word.
  const mentions = findEnglishRegionMentions(input);
  if (mentions.length > 1) {
    const covered = mentions.reduce((n, m) => n + latinWords(m.surface).length, 0);
    if (covered === words.length) {
      const r = mostSpecific(mentions.map((m) => m.region));
      if (r) return [r];
    }
  }
  return [];
}

/**
 * Every region an exact user-given name can mean, best first. Accepts canonical, full and short names,
 * with or without suffix (河北/河北省, 石家庄/石家庄市), traditional characters (內蒙古, 廣西), pinyin and
 * English in any case or spacing (hebei, Inner Mongolia, inner-mongolia, Nei Mongol, "Hebei Province",
 * "Jilin City"), official one-character abbreviations (冀) and simple compounds (河北省石家庄市).
 */
export function resolveRegionCandidates(name: string): Region[] {
  const s = name.trim();
  if (s.length === 0) return [];
  // A place id (from autocomplete, for names several places share): 220104 is 长春's 朝阳区.
  const byId = /^(?:\d{6}|x:[a-z]+)$/.test(s) ? placeById(s) : null;
  if (byId) return [byId];
  if (hasCjk(s)) return candidatesZh(toSimplified(s).replace(/\s+/g, ''));
  return candidatesLatin(s);
}

/**
 * Exact lookup of a user-given name (see resolveRegionCandidates), or null. Ties go to the higher level,
 * so a bare name shared by a province and a city is the province: 吉林/Jilin -> 吉林 (province),
 * 吉林市/"Jilin City" -> 吉林市 (the city, whose canonical name keeps the 市).
 */
export function resolveRegion(name: string): Region | null {
  return resolveRegionCandidates(name)[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions: Hebie -> Hebei = 1). */
function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    let rowMin = row[0]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      row[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

/** Lower is better: 0 exact, 1 prefix, 2 substring, 3 name inside the query, 4+ typo-tolerant. */
function scoreKeys(q: string, keys: readonly string[], latin: boolean): number {
  let best = Infinity;
  const maxTypos = q.length >= 8 ? 2 : 1;
  for (const k of keys) {
    if (k === q) return 0;
    if (k.startsWith(q)) best = Math.min(best, 1);
    else if (k.includes(q) && (!latin || q.length >= 3)) best = Math.min(best, 2);
    // A name inside a longer Chinese query (河北省石家庄市 contains 石家庄); too noisy for Latin letters.
    else if (!latin && k.length >= 2 && q.includes(k)) best = Math.min(best, 3);
    else if (best > 3 && q.length >= (latin ? 5 : 3)) {
      const d = osaDistance(q, k, maxTypos);
      if (d <= maxTypos) best = Math.min(best, 3 + d);
      // Typo inside a prefix still being typed: "shijaz" vs "shijiazhuang".
      else if (latin && k.length > q.length && osaDistance(q, k.slice(0, q.length), 1) <= 1) best = Math.min(best, 6);
    }
  }
  return best;
}

/**
 * Autocomplete / "did you mean" suggestions: exact, prefix and substring matches on Chinese names, pinyin
 * and English, then typo-tolerant ones (Hebie -> 河北). Within each match quality, provinces come first,
 * then prefecture-level units, then counties and districts. Empty input lists the provinces.
 */
export function suggestRegions(input: string, limit = 25): Region[] {
  const idx = getIndex();
  const s = input.trim();
  if (limit <= 0) return [];
  if (s.length === 0) return allProvinces().slice(0, limit);
  const scored: Array<{ r: Region; score: number }> = [];
  if (hasCjk(s)) {
    const q = toSimplified(s).replace(/\s+/g, '');
    for (const r of allRegions()) {
      const keys = idx.zhKeys.get(r)!;
      let score = scoreKeys(q, keys, false);
      if (r.abbreviation === q) score = Math.min(score, 0);
      if (score < Infinity) scored.push({ r, score });
    }
  } else {
    let words = latinWords(s);
    // Trailing "province"/"city" while typing "Hebei Province" should not hide Hebei.
    for (const [suffix] of LATIN_SUFFIXES) {
      if (words.length > suffix.length && suffix.every((w, i) => words[words.length - suffix.length + i] === w)) {
        words = words.slice(0, -suffix.length);
        break;
      }
    }
    const q = words.join('');
    if (q.length === 0) return [];
    for (const r of allRegions()) {
      const score = scoreKeys(q, getLatinIndex().latinKeys.get(r)!, true);
      if (score < Infinity) scored.push({ r, score });
    }
  }
  scored.sort((a, b) => a.score - b.score || compareRank(a.r, b.r));
  return scored.slice(0, limit).map((x) => x.r);
}

// ---------------------------------------------------------------------------------------------
// Chinese running text

/** "吉林市场" is 吉林 + 市场 (market), not 吉林市 + 场. */
const AFTER_SHI_BLOCK = new Set([...'场值面井价']);
/** "河北区域" is 河北 + 区域 (region), not 河北区 (Tianjin) + 域. */
const AFTER_QU_BLOCK = new Set([...'域位块间划别分段']);
/** Street names named after places: 南京路, 北京西路, 重庆南路, 吉林大街 (but not 街道/街头). */
const STREET = /^[东西南北中]?(?:路(?![段线径网况程])|大街|大道|街(?![道头区乡镇])|巷|胡同)/;
/** A place name used as a person's given name: 王长春同志. */
const PERSON = /^(?:同志|先生|女士)/;
/** Characters around a weak (ambiguous) name that make it a list item rather than part of a word. */
const BOUNDARY_BEFORE = new Set([...'、，,；;：:（(“"‘\'《「 \t\n　。！？!?']);
/** Function words that may precede a short place name: 在雄县, 到雄县, 赴忠县. */
const PARTICLES_BEFORE = new Set([...'在于到赴往和与及是从向对的至']);
const BOUNDARY_AFTER = new Set([...'、，,；;：:）)”"’\'》」 \t\n　。！？!?等和及与']);

interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly form: TextForm;
}

function contextAllows(text: string, form: string, end: number): boolean {
  const next = text[end];
  if (next === undefined) return true;
  if (form.endsWith('市') && AFTER_SHI_BLOCK.has(next)) return false;
  if (form.endsWith('区') && AFTER_QU_BLOCK.has(next)) return false;
  const rest = text.slice(end, end + 3);
  return !STREET.test(rest) && !PERSON.test(rest);
}

/**
 * Every place named in a simplified-Chinese text (callers convert traditional text with toSimplified
 * first), left to right, non-overlapping, longest match first. Precision over recall:
 * - full names always match (吉林省, 吉林市, 开封市, 宾阳县, 雄安新区); bare short names only when the entry
 *   is not ambiguous (河北, 石家庄, 江津, 浦东), so 吉林 alone is the province, 吉林市 the city, and
 *   吉林市场 the province followed by 市场;
 * - ambiguous bare names of prefecture-level units (开封, 大庆, 中山, 白山, 朝阳...) match only right after
 *   their own province (河南开封) or as a 、-separated list item next to another place (开封、洛阳);
 * - county short names (安新, 清河) match only with their suffix unless marked unambiguous (容城, 江津);
 * - gazetteer nonPlaces veto any match lying inside them (长治久安, 隆重庆祝, 黄河北岸), and 巴丹吉林沙漠
 *   is a place of its own in 内蒙古, not 吉林;
 * - one-character names and abbreviations never match; street names (南京路) and 吉林市场/河北区域 are rejected.
 */
export function findRegionMentions(text: string): RegionMention[] {
  let found = mentionsByText.get(text);
  if (!found) {
    found = Object.freeze(scanRegionMentions(text).map((m) => Object.freeze(m))) as RegionMention[];
    mentionsByText.set(text, found);
  }
  return found;
}

/** Answering looks at the same passages' places again and again (a text's mentions never change): the last few thousand are kept. */
const mentionsByText = new Lru<string, RegionMention[]>(4096);

function scanRegionMentions(text: string): RegionMention[] {
  const idx = getIndex();
  const n = text.length;

  // Spans vetoed by non-place words.
  const vetoes: Array<readonly [number, number]> = [];
  for (const w of idx.nonPlaces) {
    for (let at = text.indexOf(w); at !== -1; at = text.indexOf(w, at + 1)) vetoes.push([at, at + w.length]);
  }
  const vetoed = (s: number, e: number): boolean => vetoes.some(([vs, ve]) => vs <= s && e <= ve);

  // Word boundaries, computed only when a suffix-less county name occurs.
  let boundaries: Set<number> | undefined;
  const isWord = (s: number, e: number): boolean => {
    if (!boundaries) {
      boundaries = new Set([0]);
      let at = 0;
      for (const w of segmenter().cut(text, false)) boundaries.add((at += w.length));
    }
    return boundaries.has(s) && boundaries.has(e);
  };

  const strongAt: Candidate[][] = Array.from({ length: n }, () => []);
  const weak: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    for (let len = Math.min(idx.maxFormLength, n - i); len >= 2; len--) {
      const form = text.slice(i, i + len);
      const forms = idx.textForms.get(form);
      if (!forms || vetoed(i, i + len) || !contextAllows(text, form, i + len)) continue;
      for (const f of forms) {
        if (f.bare && !isWord(i, i + len)) continue;
        (f.weak ? weak : strongAt[i]!).push({ start: i, end: i + len, form: f });
      }
    }
  }

  // Pass 1: leftmost-longest over strong forms (candidates at each position are longest first).
  const accepted: Candidate[] = [];
  // Two-character county names (雄县, 忠县) are easily the tail of a word or a person's name (英雄县, 李鸿忠县),
  // so they need a boundary or a place right before them.
  const guarded = (c: Candidate): boolean => {
    if (c.end - c.start > 2 || !c.form.region.fullNames.includes(text.slice(c.start, c.end))) return true;
    const before = text[c.start - 1];
    return (
      before === undefined ||
      !hasCjk(before) ||
      BOUNDARY_BEFORE.has(before) ||
      PARTICLES_BEFORE.has(before) ||
      accepted.some((a) => a.end === c.start)
    );
  };
  for (let i = 0; i < n; ) {
    const c = strongAt[i]!.find(guarded);
    if (c) {
      accepted.push(c);
      i = c.end;
    } else i++;
  }

  // Pass 2: weak forms in the gaps, repeated so that a list anchored on a strong mention can grow.
  const free = (s: number, e: number): boolean => accepted.every((a) => e <= a.start || s >= a.end);
  const endsAt = (p: number): Candidate | undefined => accepted.find((a) => a.end === p);
  const startsAt = (p: number): Candidate | undefined => accepted.find((a) => a.start === p);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of weak) {
      if (!free(c.start, c.end)) continue;
      const before = text[c.start - 1];
      const after = text[c.end];
      const prev = endsAt(c.start);
      const inOwnProvince =
        prev !== undefined && (prev.form.region.id === c.form.region.provinceId || prev.form.region.id === c.form.region.cityId);
      const boundedBefore = c.start === 0 || prev !== undefined || (before !== undefined && BOUNDARY_BEFORE.has(before));
      const boundedAfter = c.end === n || startsAt(c.end) !== undefined || (after !== undefined && BOUNDARY_AFTER.has(after));
      const listNeighbour =
        (after === '、' && startsAt(c.end + 1) !== undefined) || (before === '、' && endsAt(c.start - 1) !== undefined);
      if (inOwnProvince || (boundedBefore && boundedAfter && listNeighbour)) {
        accepted.push(c);
        grew = true;
      }
    }
  }

  // Every place the accepted span can name (same surface, same strength), best-known first.
  return accepted
    .sort((a, b) => a.start - b.start)
    .map((c) => {
      const same = (c.form.weak ? weak : strongAt[c.start]!).filter((o) => o.end === c.end).map((o) => o.form.region);
      const candidates = [c.form.region, ...same.filter((r) => r !== c.form.region)];
      return { region: c.form.region, candidates, bare: c.form.bare, start: c.start, end: c.end, surface: text.slice(c.start, c.end) };
    });
}

/** Distinct regions mentioned in a Chinese text, in order of first mention. */
export function regionsMentioned(text: string): Region[] {
  return [...new Set(findRegionMentions(text).map((m) => m.region))];
}

// ---------------------------------------------------------------------------------------------
// English running text

interface Token {
  readonly key: string;
  readonly start: number;
  /** End of the word, before any possessive 's. */
  readonly end: number;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let word = m[0];
    // Possessive: Beijing's -> Beijing (no gazetteer name ends in 's).
    if (/['’]s$/i.test(word)) word = word.slice(0, -2);
    const key = compactLatin(word);
    if (key.length > 0) out.push({ key, start: m.index, end: m.index + word.length });
  }
  return out;
}

/**
 * Places named in English text ("Beijing's", "Inner Mongolia", "Heilongjiang province", "Jilin City"):
 * whole words, case-insensitive, longest phrase first. A following suffix word (province, city, county,
 * district, prefecture, league, new area, autonomous region, SAR...) picks among same-named places and is
 * included in the span: "Jilin" -> 吉林 (province), "Jilin City" -> 吉林市. "the city of X" is not a suffix.
 */
export function findEnglishRegionMentions(text: string): RegionMention[] {
  const idx = getLatinIndex();
  const toks = tokenize(text);
  const out: RegionMention[] = [];
  // Words of one phrase may be separated by spaces or hyphens only (not "Jilin, China").
  const joined = (a: Token, b: Token): boolean => /^[\s\-‐–]+$/.test(text.slice(a.end, b.start));
  const followedByOf = (k: number): boolean => toks[k + 1]?.key === 'of' && joined(toks[k]!, toks[k + 1]!);

  for (let i = 0; i < toks.length; ) {
    let hit: { regions: Region[]; last: number } | undefined;
    for (let w = Math.min(idx.maxPhraseWords, toks.length - i); w >= 1 && !hit; w--) {
      let ok = true;
      for (let k = i; k < i + w - 1; k++) if (!joined(toks[k]!, toks[k + 1]!)) ok = false;
      if (!ok) continue;
      const regions = idx.latinPhrases.get(toks.slice(i, i + w).map((t) => t.key).join(' '));
      // "Jilin city of Changchun": the name "Jilin City" ends in a suffix word that belongs to "of".
      if (regions && w > 1 && SUFFIX_WORDS.has(toks[i + w - 1]!.key) && followedByOf(i + w - 1)) continue;
      if (regions) hit = { regions, last: i + w - 1 };
    }
    if (!hit) {
      i++;
      continue;
    }
    let region = hit.regions[0]!;
    let last = hit.last;
    for (const [suffix, want] of LATIN_SUFFIXES) {
      const s = hit.last + 1;
      if (s + suffix.length > toks.length) continue;
      if (!suffix.every((word, k) => toks[s + k]!.key === word && joined(toks[s + k - 1]!, toks[s + k]!))) continue;
      if (followedByOf(s + suffix.length - 1)) continue;
      const good = hit.regions.find(want);
      if (good) {
        region = good;
        last = s + suffix.length - 1;
      }
      break;
    }
    const start = toks[i]!.start;
    const end = toks[last]!.end;
    out.push({ region, candidates: [region, ...hit.regions.filter((r) => r !== region)], bare: false, start, end, surface: text.slice(start, end) });
    i = last + 1;
  }
  return out;
}
