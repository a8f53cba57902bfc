// The paragraph store: every Report, Paragraph and Passage with the text and
// citation data answers need, so answering never touches data/.
import type { Paragraph, Passage, Report } from '../corpus/types.js';
import type { PlaceTags } from '../places/tags.js';
import { decodeColumns, encodeColumns, StringColumn } from './columns.js';

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
  paragraphs: { report: number[]; number: number[]; text: Array<string | null>; hash: string[]; own: number[][]; inherited: number[][] };
  passages: { paragraph: number[]; part: number[]; text: string[]; hash: string[] };
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
  const single = new Map<number, number>();
  for (const p of store.passages) {
    const i = paragraphIndex.get(`${p.file}#${p.paragraph}`)!;
    single.set(i, (single.get(i) ?? 0) + 1);
  }
  const stored: StoredForm = {
    reports: store.reports.map(({ places: _places, ...rest }) => rest),
    placeIds: [],
    reportPlaces: store.reports.map((r) => r.places.map(placeNumber)),
    paragraphs: {
      report: store.paragraphs.map((p) => reportIndex.get(p.file)!),
      number: store.paragraphs.map((p) => p.number),
      text: store.paragraphs.map((p, i) => (single.get(i) === 1 ? null : p.text)),
      hash: store.paragraphs.map((p) => p.hash),
      own: store.paragraphs.map((p) => p.places.own.map(placeNumber)),
      inherited: store.paragraphs.map((p) => p.places.inherited.map(placeNumber)),
    },
    passages: {
      paragraph: store.passages.map((p) => paragraphIndex.get(`${p.file}#${p.paragraph}`)!),
      part: store.passages.map((p) => p.part),
      text: store.passages.map((p) => p.text),
      hash: store.passages.map((p) => p.hash),
    },
  };
  stored.placeIds = [...placeIndex.keys()];
  return encodeColumns(stored);
}

/** The stored form as loaded: string columns stay in the file's bytes (short ones are plain arrays). */
type Strings = StringColumn | Array<string | null>;
interface LoadedForm extends Omit<StoredForm, 'paragraphs' | 'passages' | 'placeIds'> {
  placeIds: Strings;
  paragraphs: Omit<StoredForm['paragraphs'], 'text' | 'hash'> & { text: Strings; hash: Strings };
  passages: Omit<StoredForm['passages'], 'text' | 'hash'> & { text: Strings; hash: Strings };
}

const reader = (strings: Strings) => (strings instanceof StringColumn ? (i: number) => strings.get(i) : (i: number) => strings[i] ?? null);

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
    private readonly passages: { text: (i: number) => string | null; hash: (i: number) => string | null },
    private readonly paragraphTexts: { text: (i: number) => string | null; hash: (i: number) => string | null },
  ) {
    this.firstPassage = new Int32Array(paragraphs).fill(-1);
  }

  passageText = (id: number) => this.passages.text(id) ?? '';
  passageHash = (id: number) => this.passages.hash(id) ?? '';
  paragraphText = (i: number) => this.paragraphTexts.text(i) ?? (this.firstPassage[i]! >= 0 ? this.passageText(this.firstPassage[i]!) : '');
  paragraphHash = (i: number) => this.paragraphTexts.hash(i) ?? '';
}

export function parseStore(bytes: Buffer): Store {
  const s = decodeColumns<LoadedForm>(bytes, { lazyStrings: true });
  const placeId = reader(s.placeIds);
  // Paragraphs share few distinct place lists: one array (and one tags object) per distinct pair.
  const lists = new Map<string, string[]>();
  const list = (numbers: number[]): string[] => {
    const key = numbers.join(',');
    let ids = lists.get(key);
    if (!ids) lists.set(key, (ids = numbers.map((n) => placeId(n)!)));
    return ids;
  };
  const tags = new Map<string, PlaceTags>();
  const reports: Report[] = s.reports.map((r, i) => ({ ...r, places: list(s.reportPlaces[i]!) }));
  const texts = new StoredTexts(
    s.paragraphs.number.length,
    { text: reader(s.passages.text), hash: reader(s.passages.hash) },
    { text: reader(s.paragraphs.text), hash: reader(s.paragraphs.hash) },
  );
  const paragraphs: StoredParagraph[] = s.paragraphs.number.map((number, i) => {
    const own = s.paragraphs.own[i]!;
    const inherited = s.paragraphs.inherited[i]!;
    const key = own.length === 0 && inherited.length === 0 ? '' : `${own.join(',')}|${inherited.join(',')}`;
    let places = tags.get(key);
    if (!places) tags.set(key, (places = { own: list(own), inherited: list(inherited) }));
    return new StoredParagraph(i, reports[s.paragraphs.report[i]!]!.file, number, places, texts);
  });
  const passages: Passage[] = s.passages.paragraph.map((index, id) => {
    const paragraph = paragraphs[index];
    if (!paragraph) throw new Error(`passage ${id} cites a missing paragraph`);
    if (texts.firstPassage[index] === -1) texts.firstPassage[index] = id;
    return new StoredPassage(id, paragraph.file, paragraph.number, s.passages.part[id]!, paragraph.places, texts);
  });
  if (s.passages.text.length !== passages.length || s.passages.hash.length !== passages.length || s.paragraphs.hash.length !== paragraphs.length) {
    throw new Error('store columns disagree on their lengths');
  }
  return { reports, paragraphs, passages };
}
