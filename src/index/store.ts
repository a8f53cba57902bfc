// The paragraph store: every Report, Paragraph and Passage with the text and
// citation data answers need, so answering never touches data/.
import type { Paragraph, Passage, Report } from '../corpus/types.js';

export interface Store {
  reports: Report[];
  paragraphs: Paragraph[];
  passages: Passage[];
}

/** Generation folder file names. */
export const FILES = {
  store: 'store.json',
  vectors: 'vectors.f32',
  hnsw: 'hnsw.bin',
  keyword: 'keyword.bin',
} as const;

/**
 * On disk the store is columnar (one array per field, files as report
 * indexes) and leaves out what can be derived — a paragraph's text when its
 * one passage carries it, a passage's regions (its paragraph's): parsing
 * arrays of strings and numbers is several times faster than parsing as many
 * objects, which matters at 100k passages.
 */
interface StoredForm {
  reports: Report[];
  regionNames: string[];
  paragraphs: { report: number[]; number: number[]; text: Array<string | null>; hash: string[]; regions: number[][] };
  passages: { paragraph: number[]; part: number[]; text: string[]; hash: string[] };
}

export function serializeStore(store: Store): string {
  const reportIndex = new Map(store.reports.map((r, i) => [r.file, i]));
  const paragraphIndex = new Map(store.paragraphs.map((p, i) => [`${p.file}#${p.number}`, i]));
  const regionIndex = new Map<string, number>();
  const regionId = (name: string) => {
    let id = regionIndex.get(name);
    if (id === undefined) regionIndex.set(name, (id = regionIndex.size));
    return id;
  };
  const single = new Map<number, number>();
  for (const p of store.passages) {
    const i = paragraphIndex.get(`${p.file}#${p.paragraph}`)!;
    single.set(i, (single.get(i) ?? 0) + 1);
  }
  const stored: StoredForm = {
    reports: store.reports,
    regionNames: [],
    paragraphs: {
      report: store.paragraphs.map((p) => reportIndex.get(p.file)!),
      number: store.paragraphs.map((p) => p.number),
      text: store.paragraphs.map((p, i) => (single.get(i) === 1 ? null : p.text)),
      hash: store.paragraphs.map((p) => p.hash),
      regions: store.paragraphs.map((p) => p.regions.map(regionId)),
    },
    passages: {
      paragraph: store.passages.map((p) => paragraphIndex.get(`${p.file}#${p.paragraph}`)!),
      part: store.passages.map((p) => p.part),
      text: store.passages.map((p) => p.text),
      hash: store.passages.map((p) => p.hash),
    },
  };
  stored.regionNames = [...regionIndex.keys()];
  return JSON.stringify(stored);
}

export function parseStore(json: string): Store {
  const s = JSON.parse(json) as StoredForm;
  const regionLists = new Map<string, string[]>();
  const paragraphs: Paragraph[] = s.paragraphs.number.map((number, i) => {
    const ids = s.paragraphs.regions[i]!;
    // Paragraphs share few distinct region lists: one array per distinct list.
    const key = ids.join(',');
    let regions = regionLists.get(key);
    if (!regions) regionLists.set(key, (regions = ids.map((id) => s.regionNames[id]!)));
    return { file: s.reports[s.paragraphs.report[i]!]!.file, number, text: s.paragraphs.text[i] ?? '', hash: s.paragraphs.hash[i]!, regions };
  });
  const passages: Passage[] = s.passages.text.map((text, id) => {
    const paragraph = paragraphs[s.passages.paragraph[id]!];
    if (!paragraph) throw new Error(`passage ${id} cites a missing paragraph`);
    if (paragraph.text === '') paragraph.text = text;
    return { id, file: paragraph.file, paragraph: paragraph.number, part: s.passages.part[id]!, text, hash: s.passages.hash[id]!, regions: paragraph.regions };
  });
  return { reports: s.reports, paragraphs, passages };
}
