// What every handler gets: the loaded searcher and store, the logger, and
// small in-memory state. Built once at start-up; handlers never load models or
// read files, so a slow disk or a missing model cannot stall a reply.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Paragraph, Report } from '../corpus/types.js';
import type { Store } from '../index/store.js';
import { regionParagraphCount, regionsCovered } from '../regions/summary.js';
import type { Region } from '../regions/lookup.js';
import type { Searcher } from '../search/searcher.js';
import { Lru } from './lru.js';

/** Results per page and pages per question ("More results" goes up to PAGE_SIZE * MAX_PAGES). */
export const PAGE_SIZE = 5;
export const MAX_PAGES = 4;
/** Questions remembered for "More results" buttons; older buttons answer "expired". */
export const REMEMBERED_QUESTIONS = 500;

export interface BotDeps {
  searcher: Searcher;
  /** Defaults to the searcher's own store. */
  store?: Store;
  logger: Logger;
}

export interface RememberedQuestion {
  question: string;
  /** How the answer was shown: an embed (/ask) or plain content (mentions, DMs). */
  style: 'embed' | 'text';
}

export interface RegionCount {
  region: Region;
  paragraphs: number;
  reports: number;
}

export interface BotContext {
  readonly searcher: Searcher;
  readonly store: Store;
  readonly logger: Logger;
  readonly questions: Lru<string, RememberedQuestion>;
  /** Stores a question for its buttons; returns the short key. */
  remember(entry: RememberedQuestion): string;
  /** Index of a report in store.reports, or -1. */
  reportIndex(file: string): number;
  report(index: number): Report | undefined;
  paragraph(file: string, number: number): Paragraph | undefined;
  /** Regions the reports cover, most paragraphs first (computed once). */
  covered(): readonly RegionCount[];
  /** Paragraphs about a region, its places included (0 when absent). */
  paragraphCount(region: Region): number;
}

export function createContext(deps: BotDeps): BotContext {
  const store = deps.store ?? deps.searcher.index.store;
  const questions = new Lru<string, RememberedQuestion>(REMEMBERED_QUESTIONS);
  const reportIndexes = new Map(store.reports.map((r, i) => [r.file, i]));
  const paragraphs = new Map(store.paragraphs.map((p) => [`${p.file}#${p.number}`, p]));
  let coveredList: RegionCount[] | null = null;
  const counts = new Map<string, number>();
  const covered = (): RegionCount[] => {
    coveredList ??= regionsCovered(store, { includeCities: true });
    return coveredList;
  };
  return {
    searcher: deps.searcher,
    store,
    logger: deps.logger,
    questions,
    remember(entry) {
      // Random rather than a counter: after a restart, an old button must not reach a new question.
      let key: string;
      do key = randomKey();
      while (questions.has(key));
      questions.set(key, entry);
      return key;
    },
    reportIndex: (file) => reportIndexes.get(file) ?? -1,
    report: (index) => store.reports[index],
    paragraph: (file, number) => paragraphs.get(`${file}#${number}`),
    covered,
    paragraphCount(region) {
      let n = counts.get(region.name);
      if (n === undefined) counts.set(region.name, (n = regionParagraphCount(store, region)));
      return n;
    },
  };
}

function randomKey(): string {
  const bytes = randomBytes(10);
  return [...bytes].map((b) => (b % 36).toString(36)).join('');
}
