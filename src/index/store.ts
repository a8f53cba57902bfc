// The paragraph store: every Report, Paragraph and Passage with the text and
// citation data answers need, so answering never touches data/.
import type { Paragraph, Passage, Report } from '../corpus/types.js';
import type { PlaceTags } from '../places/tags.js';
import { contentHash } from '../text/text.js';
import { decodeColumns, encodeColumns, ListColumn, StringColumn } from './columns.js';

export interface Store {
  reports: Report[];
  paragraphs: Paragraph[];
  passages: Passage[];
}

/** Generation folder file names. */
export const FILES = {
  store: 'store.bin',
  /** The HNSW graph's links and the int8 vectors it is searched with (vectors.ts). */
  graph: 'graph.bin',
  /** Every vector in float16: exact re-scoring of a search's best, and reuse when re-indexing. */
  vectors: 'vectors.f16',
  keyword: 'keyword.bin',
} as const;

/**
 * On disk the store is columnar (one array per field, files as report
 * indexes, place ids as indexes into one table) and leaves out what can be
 * derived — a paragraph's text when its one passage carries it, a passage's
 * places (its paragraph's): parsing arrays of strings and numbers is several
 * times faster than parsing as many objects, which matters at 100k passages.
 * The columns are written in a binary container (columns.ts): typed-array
 * columns and one UTF-16 text, so loading needs no JSON parse of the texts.
 */
interface StoredForm {
  reports: Array<Omit<Report, 'places'>>;
  placeIds: string[];
  reportPlaces: number[][];
  /** The distinct (own, inherited) place lists of paragraphs: few, and one tags object each when loaded. */
  tagSets: { own: number[][]; inherited: number[][] };
  paragraphs: { report: number[]; number: number[]; text: Array<string | null>; tags: number[] };
  passages: { paragraph: number[]; part: number[]; text: string[] };
}

export function serializeStore(store: Store): Buffer {
  const reportIndex = new Map(store.reports.map((r, i) => [r.file, i]));
  const paragraphIndex = new Map(store.paragraphs.map((p, i) => [`${p.file}#${p.number}`, i]));
  const placeIndex = new Map<string, number>();
  const placeNumber = (id: string) => {
    let n = placeIndex.get(id);
    if (n === undefined) placeIndex.set(id, (n = placeIndex.size));
    return n;
  };
  const tagIndex = new Map<string, number>();
  const tagSets: StoredForm['tagSets'] = { own: [], inherited: [] };
  const tagNumber = (places: PlaceTags) => {
    const own = places.own.map(placeNumber);
    const inherited = places.inherited.map(placeNumber);
    const key = `${own.join(',')}|${inherited.join(',')}`;
    let n = tagIndex.get(key);
    if (n === undefined) {
      tagIndex.set(key, (n = tagIndex.size));
      tagSets.own.push(own);
      tagSets.inherited.push(inherited);
    }
    return n;
  };
  const single = new Map<number, number>();
  for (const p of store.passages) {
    const i = paragraphIndex.get(`${p.file}#${p.paragraph}`)!;
    single.set(i, (single.get(i) ?? 0) + 1);
  }
  const stored: StoredForm = {
    reports: store.reports.map(({ places: _places, ...rest }) => rest),
    placeIds: [],
    tagSets,
    reportPlaces: store.reports.map((r) => r.places.map(placeNumber)),
    paragraphs: {
      report: store.paragraphs.map((p) => reportIndex.get(p.file)!),
      number: store.paragraphs.map((p) => p.number),
      text: store.paragraphs.map((p, i) => (single.get(i) === 1 ? null : p.text)),
      tags: store.paragraphs.map((p) => tagNumber(p.places)),
    },
    passages: {
      paragraph: store.passages.map((p) => paragraphIndex.get(`${p.file}#${p.paragraph}`)!),
      part: store.passages.map((p) => p.part),
      text: store.passages.map((p) => p.text),
    },
  };
  stored.placeIds = [...placeIndex.keys()];
  return encodeColumns(stored);
}

/**
 * The stored form as loaded: string and list columns stay in the file's bytes
 * (short ones are plain arrays). Stores of format 8 and earlier also hold
 * content hashes, read when their embeddings are reused.
 */
type Strings = StringColumn | Array<string | null>;
// A short list of lists stays JSON, but a long list inside it is a number column of its own.
type Lists = ListColumn | Array<number[] | Uint32Array>;
type Numbers = Uint32Array | number[];
interface LoadedForm extends Omit<StoredForm, 'paragraphs' | 'passages' | 'placeIds' | 'reportPlaces' | 'tagSets'> {
  placeIds: Strings;
  reportPlaces: Lists;
  /** Format 9; before, each paragraph had its own and inherited lists. */
  tagSets?: { own: Lists; inherited: Lists };
  paragraphs: { report: Numbers; number: Numbers; text: Strings; hash?: Strings; tags?: Numbers; own?: Lists; inherited?: Lists };
  passages: { paragraph: Numbers; part: Numbers; text: Strings; hash?: Strings };
}

const reader = (strings: Strings) => (strings instanceof StringColumn ? (i: number) => strings.get(i) : (i: number) => strings[i] ?? null);
const listReader = (lists: Lists) =>
  lists instanceof ListColumn ? { get: (i: number) => lists.get(i), key: (i: number) => lists.key(i) } : { get: (i: number) => Array.from(lists[i]!), key: (i: number) => lists[i]!.join(',') };

/**
 * A stored passage: its text and hash are read from the store's bytes when
 * used (a search reads a few dozen texts; loading 100k of them up front cost
 * more time and memory than everything else in the store).
 */
class StoredPassage implements Passage {
  constructor(
    readonly id: number,
    readonly file: string,
    readonly paragraph: number,
    readonly part: number,
    readonly places: PlaceTags,
    private readonly column: StoredTexts,
  ) {}

  get text(): string {
    return this.column.passageText(this.id);
  }

  get hash(): string {
    return this.column.passageHash(this.id);
  }

  /** Whole, with text, when serialised (getters are not own properties). */
  toJSON(): Passage {
    return { id: this.id, file: this.file, paragraph: this.paragraph, part: this.part, text: this.text, hash: this.hash, places: this.places };
  }
}

class StoredParagraph implements Paragraph {
  constructor(
    readonly index: number,
    readonly file: string,
    readonly number: number,
    readonly places: PlaceTags,
    private readonly column: StoredTexts,
  ) {}

  get text(): string {
    return this.column.paragraphText(this.index);
  }

  get hash(): string {
    return this.column.paragraphHash(this.index);
  }

  toJSON(): Paragraph {
    return { file: this.file, number: this.number, text: this.text, hash: this.hash, places: this.places };
  }
}

/** The store's strings, by passage or paragraph index. */
class StoredTexts {
  /** The first passage of each paragraph: a paragraph stored without its own text (one passage) has that passage's. */
  readonly firstPassage: Int32Array;

  constructor(
    paragraphs: number,
    private readonly passages: { text: (i: number) => string | null; hash?: (i: number) => string | null },
    private readonly paragraphTexts: { text: (i: number) => string | null; hash?: (i: number) => string | null },
  ) {
    this.firstPassage = new Int32Array(paragraphs).fill(-1);
  }

  passageText = (id: number) => this.passages.text(id) ?? '';
  // A content hash is the text's (corpus.ts): worked out when asked for (re-indexing), not stored.
  passageHash = (id: number) => this.passages.hash?.(id) ?? contentHash(this.passageText(id));
  paragraphText = (i: number) => this.paragraphTexts.text(i) ?? (this.firstPassage[i]! >= 0 ? this.passageText(this.firstPassage[i]!) : '');
  paragraphHash = (i: number) => this.paragraphTexts.hash?.(i) ?? contentHash(this.paragraphText(i));
}

/** Paragraph i's place tags: from the table of distinct ones (format 9), or its own lists (older stores, read for re-indexing). */
function tagsReader(s: LoadedForm, list: (numbers: number[]) => string[], tags: Map<string, PlaceTags>): (i: number) => PlaceTags {
  if (s.tagSets && s.paragraphs.tags) {
    const own = listReader(s.tagSets.own);
    const inherited = listReader(s.tagSets.inherited);
    const sets = Array.from({ length: s.tagSets.own.length }, (_, t) => ({ own: list(own.get(t)), inherited: list(inherited.get(t)) }));
    const numbers = s.paragraphs.tags;
    return (i) => {
      const places = sets[numbers[i]!];
      if (!places) throw new Error(`paragraph ${i} cites missing place tags`);
      return places;
    };
  }
  if (!s.paragraphs.own || !s.paragraphs.inherited) throw new Error('the store has no place tags');
  const own = listReader(s.paragraphs.own);
  const inherited = listReader(s.paragraphs.inherited);
  return (i) => {
    const key = `${own.key(i)}|${inherited.key(i)}`;
    let places = tags.get(key);
    if (!places) tags.set(key, (places = { own: list(own.get(i)), inherited: list(inherited.get(i)) }));
    return places;
  };
}

export function parseStore(bytes: Buffer): Store {
  const s = decodeColumns<LoadedForm>(bytes, { lazy: true });
  // Place ids are few and each is used by many lists: decoded once.
  const placeIdAt = reader(s.placeIds);
  const placeIds = Array.from({ length: s.placeIds.length }, (_, i) => placeIdAt(i));
  const placeId = (n: number) => placeIds[n];
  // Paragraphs share few distinct place lists: one array (and one tags object) per distinct pair.
  const lists = new Map<string, string[]>();
  const list = (numbers: number[]): string[] => {
    const key = numbers.join(',');
    let ids = lists.get(key);
    if (!ids) lists.set(key, (ids = numbers.map((n) => placeId(n)!)));
    return ids;
  };
  const tags = new Map<string, PlaceTags>();
  const reportPlaces = listReader(s.reportPlaces);
  const reports: Report[] = s.reports.map((r, i) => ({ ...r, places: list(reportPlaces.get(i)) }));
  const texts = new StoredTexts(
    s.paragraphs.number.length,
    { text: reader(s.passages.text), hash: s.passages.hash && reader(s.passages.hash) },
    { text: reader(s.paragraphs.text), hash: s.paragraphs.hash && reader(s.paragraphs.hash) },
  );
  // Plain loops over the columns: at 100k paragraphs, the intermediate arrays of .map() were
  // a good part of the load (their making and their collection).
  const paragraphCount = s.paragraphs.number.length;
  const paragraphs = new Array<StoredParagraph>(paragraphCount);
  const placesOf = tagsReader(s, list, tags);
  for (let i = 0; i < paragraphCount; i++) {
    const places = placesOf(i);
    const report = reports[s.paragraphs.report[i]!];
    if (!report) throw new Error(`paragraph ${i} cites a missing report`);
    paragraphs[i] = new StoredParagraph(i, report.file, s.paragraphs.number[i]!, places, texts);
  }
  const passageCount = s.passages.paragraph.length;
  const passages = new Array<Passage>(passageCount);
  for (let id = 0; id < passageCount; id++) {
    const index = s.passages.paragraph[id]!;
    const paragraph = paragraphs[index];
    if (!paragraph) throw new Error(`passage ${id} cites a missing paragraph`);
    if (texts.firstPassage[index] === -1) texts.firstPassage[index] = id;
    passages[id] = new StoredPassage(id, paragraph.file, paragraph.number, s.passages.part[id]!, paragraph.places, texts);
  }
  if (
    s.passages.text.length !== passages.length ||
    s.paragraphs.text.length !== paragraphs.length ||
    (s.paragraphs.tags ?? s.paragraphs.own)?.length !== paragraphs.length ||
    (s.passages.hash && s.passages.hash.length !== passages.length)
  ) {
    throw new Error('store columns disagree on their lengths');
  }
  return { reports, paragraphs, passages };
}
