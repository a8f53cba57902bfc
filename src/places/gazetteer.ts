// Region gazetteer: types and loading of gazetteer.json (the data lives only in the JSON).
import { readFileSync } from 'node:fs';

export type ProvinceKind = 'province' | 'municipality' | 'autonomous-region' | 'sar';
/**
 * city = 地级市; prefecture = 地区/自治州/盟; county = 县/自治县/旗/林区; county-city = 县级市;
 * district = 市辖区; area = new area, zone, sub-district or landmark that is not an administrative division.
 */
export type PlaceKind = 'city' | 'prefecture' | 'county' | 'county-city' | 'district' | 'area';
export type RegionKind = ProvinceKind | PlaceKind;
/** 1 = province-level, 2 = prefecture-level, 3 = county-level, 4 = below county level. */
export type RegionLevel = 1 | 2 | 3 | 4;

export interface Region {
  /**
   * Canonical, unique name. Province-level and prefecture-level units use the short name (河北, 石家庄);
   * county-level units, districts and areas use the full name (宾阳县). Short names that collide with a
   * province keep a suffix: 吉林市 (the city) vs 吉林 (the province), 海南州 (青海) vs 海南 (the province).
   */
  readonly name: string;
  /** Official full names and suffixed aliases (河北省; 新疆维吾尔自治区; 延边朝鲜族自治州, 延边州). */
  readonly fullNames: readonly string[];
  /** Suffix-less form of a county-level name (宾阳 for 宾阳县), or null. */
  readonly shortName: string | null;
  /** Official one-character abbreviation of a province-level region (冀), exact lookup only. */
  readonly abbreviation: string | null;
  readonly kind: RegionKind;
  readonly level: RegionLevel;
  /** Canonical name of the province-level region; a province's own name for a province. */
  readonly province: string;
  /** Canonical name of the prefecture-level parent, or null (provinces, cities, units directly under a province or municipality). */
  readonly city: string | null;
  /** Canonical name of the immediate parent (陆家嘴 -> 浦东新区, 宾阳县 -> 南宁, 南宁 -> 广西); null for provinces. */
  readonly parent: string | null;
  /** Hanyu pinyin without tones (Shijiazhuang, Xi'an). */
  readonly pinyin: string;
  /** English names and romanisations (Inner Mongolia, Nei Mongol, Peking, Hohhot...). */
  readonly english: readonly string[];
  /** True when the bare short name is a common word, so running text needs a suffix (开封市, not 开封). */
  readonly ambiguous: boolean;
  /** True when it loses ties on shared pinyin/English names (宿州 vs 苏州 "Suzhou"). */
  readonly secondary: boolean;
  readonly note: string | null;
}

export interface Gazetteer {
  /** The 34 province-level regions, in the JSON's order. */
  readonly provinces: readonly Region[];
  /** Every other place, in the JSON's order. */
  readonly places: readonly Region[];
  /** provinces followed by places. */
  readonly regions: readonly Region[];
  readonly byName: ReadonlyMap<string, Region>;
  /** Strings that veto any place match lying inside them (长治久安, 隆重庆祝 ...). */
  readonly nonPlaces: readonly string[];
  /** Lower-case English names never matched in English running text. */
  readonly englishTextExcluded: readonly string[];
}

const PROVINCE_KINDS: readonly string[] = ['province', 'municipality', 'autonomous-region', 'sar'];
const PLACE_KINDS: readonly string[] = ['city', 'prefecture', 'county', 'county-city', 'district', 'area'];

const DEFAULT_LEVEL: Record<PlaceKind, RegionLevel> = {
  city: 2,
  prefecture: 2,
  county: 3,
  'county-city': 3,
  district: 3,
  area: 3,
};

type Json = Record<string, unknown>;

function fail(msg: string): never {
  throw new Error(`gazetteer.json: ${msg}`);
}

function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) fail(`${where}: "${key}" must be a non-empty string`);
  return v;
}

function optStr(o: Json, key: string, where: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length === 0) fail(`${where}: "${key}" must be a non-empty string or null`);
  return v;
}

function strList(o: Json, key: string, where: string): string[] {
  const v = o[key];
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x.length > 0)) {
    fail(`${where}: "${key}" must be a non-empty array of strings`);
  }
  return v as string[];
}

function optBool(o: Json, key: string, where: string): boolean {
  const v = o[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') fail(`${where}: "${key}" must be a boolean`);
  return v;
}

function asObject(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${where} must be an object`);
  return v as Json;
}

/** Validates and freezes the parsed JSON document. Throws on malformed or inconsistent data. */
export function parseGazetteer(doc: unknown): Gazetteer {
  const root = asObject(doc, 'root');
  if (!Array.isArray(root.provinces)) fail('"provinces" must be an array');
  if (!Array.isArray(root.places)) fail('"places" must be an array');

  const provinces: Region[] = root.provinces.map((raw, i) => {
    const o = asObject(raw, `provinces[${i}]`);
    const where = `province ${String(o.name)}`;
    const kind = str(o, 'kind', where);
    if (!PROVINCE_KINDS.includes(kind)) fail(`${where}: bad kind "${kind}"`);
    const name = str(o, 'name', where);
    return Object.freeze<Region>({
      name,
      fullNames: Object.freeze(strList(o, 'full', where)),
      shortName: null,
      abbreviation: optStr(o, 'abbr', where),
      kind: kind as ProvinceKind,
      level: 1,
      province: name,
      city: null,
      parent: null,
      pinyin: str(o, 'pinyin', where),
      english: Object.freeze(strList(o, 'english', where)),
      ambiguous: false,
      secondary: false,
      note: optStr(o, 'note', where),
    });
  });

  const places: Region[] = root.places.map((raw, i) => {
    const o = asObject(raw, `places[${i}]`);
    const where = `place ${String(o.name)}`;
    const kind = str(o, 'kind', where);
    if (!PLACE_KINDS.includes(kind)) fail(`${where}: bad kind "${kind}"`);
    const level = o.level === undefined ? DEFAULT_LEVEL[kind as PlaceKind] : o.level;
    if (level !== 2 && level !== 3 && level !== 4) fail(`${where}: bad level`);
    const province = str(o, 'province', where);
    const city = optStr(o, 'city', where);
    return Object.freeze<Region>({
      name: str(o, 'name', where),
      fullNames: Object.freeze(strList(o, 'full', where)),
      shortName: optStr(o, 'short', where),
      abbreviation: null,
      kind: kind as PlaceKind,
      level,
      province,
      city,
      parent: optStr(o, 'parent', where) ?? city ?? province,
      pinyin: str(o, 'pinyin', where),
      english: Object.freeze(strList(o, 'english', where)),
      ambiguous: optBool(o, 'ambiguous', where),
      secondary: optBool(o, 'secondary', where),
      note: optStr(o, 'note', where),
    });
  });

  const regions = [...provinces, ...places];
  const byName = new Map<string, Region>();
  for (const r of regions) {
    if (byName.has(r.name)) fail(`duplicate name "${r.name}"`);
    byName.set(r.name, r);
  }
  for (const r of places) {
    const prov = byName.get(r.province);
    if (!prov || prov.level !== 1) fail(`place ${r.name}: unknown province "${r.province}"`);
    if (r.city !== null) {
      const c = byName.get(r.city);
      if (!c || c.level !== 2 || c.province !== r.province) fail(`place ${r.name}: bad city "${r.city}"`);
    }
    const p = r.parent === null ? undefined : byName.get(r.parent);
    if (!p || p.province !== r.province || p.level >= r.level) fail(`place ${r.name}: bad parent "${r.parent}"`);
  }

  const strings = (key: string): string[] => {
    const v = root[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(`"${key}" must be an array of strings`);
    return v as string[];
  };

  return Object.freeze({
    provinces: Object.freeze(provinces),
    places: Object.freeze(places),
    regions: Object.freeze(regions),
    byName,
    nonPlaces: Object.freeze(strings('nonPlaces')),
    englishTextExcluded: Object.freeze(strings('englishTextExcluded').map((s) => s.toLowerCase())),
  });
}

let cached: Gazetteer | undefined;

/**
 * Loads gazetteer.json once. readFileSync + import.meta.url (rather than a JSON import) works under tsx and
 * vitest without import attributes; a build that emits JS elsewhere must copy the JSON next to it.
 */
export function loadGazetteer(): Gazetteer {
  cached ??= parseGazetteer(JSON.parse(readFileSync(new URL('./gazetteer.json', import.meta.url), 'utf8')));
  return cached;
}
