// The paragraph store: every Report, Paragraph and Passage with the text and
// citation data answers need, so answering never touches data/.
import type { Paragraph, Passage, Report } from '../corpus/types.js';
import { decodeColumns, encodeColumns } from './columns.js';

export interface Store {
  reports: Report[];
  paragraphs: Paragraph[];
  passages: Passage[];
}

/** Generation folder file names. */
export const FILES = {
  store: 'store.bin',
  hnsw: 'hnsw.bin',
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

export function parseStore(bytes: Buffer): Store {
  const s = decodeColumns<StoredForm>(bytes);
  // Paragraphs share few distinct place lists: one array (and one tags object) per distinct pair.
  const lists = new Map<string, string[]>();
  const list = (numbers: number[]): string[] => {
    const key = numbers.join(',');
    let ids = lists.get(key);
    if (!ids) lists.set(key, (ids = numbers.map((n) => s.placeIds[n]!)));
    return ids;
  };
  const tags = new Map<string, Paragraph['places']>();
  const reports: Report[] = s.reports.map((r, i) => ({ ...r, places: list(s.reportPlaces[i]!) }));
  const paragraphs: Paragraph[] = s.paragraphs.number.map((number, i) => {
    const own = s.paragraphs.own[i]!;
    const inherited = s.paragraphs.inherited[i]!;
    const key = `${own.join(',')}|${inherited.join(',')}`;
    let places = tags.get(key);
    if (!places) tags.set(key, (places = { own: list(own), inherited: list(inherited) }));
    return { file: reports[s.paragraphs.report[i]!]!.file, number, text: s.paragraphs.text[i] ?? '', hash: s.paragraphs.hash[i]!, places };
  });
  const passages: Passage[] = s.passages.text.map((text, id) => {
    const paragraph = paragraphs[s.passages.paragraph[id]!];
    if (!paragraph) throw new Error(`passage ${id} cites a missing paragraph`);
    if (paragraph.text === '') paragraph.text = text;
    return { id, file: paragraph.file, paragraph: paragraph.number, part: s.passages.part[id]!, text, hash: s.passages.hash[id]!, places: paragraph.places };
  });
  return { reports, paragraphs, passages };
}
