// What every handler gets: the live index (swappable by /reindex), the logger,
// admission control and small in-memory state. Built once at start-up;
// handlers never load models or read files, so a slow disk or a missing model
// cannot stall a reply.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../config.js';
import type { Paragraph, Report } from '../corpus/types.js';
import { LiveIndex } from '../runtime/live-index.js';
import type { Store } from '../index/store.js';
import { regionParagraphCount, regionsCovered } from '../summaries/summary.js';
import type { Region } from '../places/lookup.js';
import type { Searcher } from '../retrieval/searcher.js';
import { QuestionLog } from '../insight/question-log.js';
import { Bounded, RateLimiter } from './admission.js';
import { Lifecycle } from './lifecycle.js';
import { Lru } from '../lru.js';

/** Questions remembered for "More results" buttons; older buttons answer "expired". */
export const REMEMBERED_QUESTIONS = 500;

export type BotSettings = Config['bot'];

export interface BotDeps {
  /** The index to answer from when there is no live (rebuildable) one. */
  searcher: Searcher;
  /** Rebuildable index (/reindex, data watcher); defaults to a fixed one over `searcher`. */
  live?: LiveIndex;
  logger: Logger;
  /** Where questions and votes are recorded; default: nowhere. */
  questionLog?: QuestionLog;
}

export interface RememberedQuestion {
  /** The cleaned question, searched again (from the cache) when "More results" is pressed. */
  question: string;
}

export interface RegionCount {
  region: Region;
  paragraphs: number;
  reports: number;
}

/** One index generation and what is derived from it. A handler that awaits between look-ups takes one view and keeps it. */
export interface IndexView {
  readonly searcher: Searcher;
  readonly store: Store;
  /** Index of a report in store.reports, or -1. */
  reportIndex(file: string): number;
  report(index: number): Report | undefined;
  paragraph(file: string, number: number): Paragraph | undefined;
  /** Regions the reports cover, most paragraphs first (computed once per index). */
  covered(): readonly RegionCount[];
  /** Paragraphs about a region, its places included (0 when absent). */
  paragraphCount(region: Region): number;
}

/** The current index's view, plus the bot's state. */
export interface BotContext extends IndexView {
  readonly live: LiveIndex;
  /** The current index; swapped as a whole when a rebuilt index is loaded. */
  view(): IndexView;
  readonly logger: Logger;
  readonly settings: BotSettings;
  readonly questions: Lru<string, RememberedQuestion>;
  readonly rateLimiter: RateLimiter;
  /** Questions being answered now (the bounded queue). */
  readonly pending: Bounded;
  readonly lifecycle: Lifecycle;
  /** Questions asked and votes (src/insight); records nothing when STATS_DB=off. */
  readonly questionLog: QuestionLog;
  /** Stores a question for its buttons; returns the short key. */
  remember(entry: RememberedQuestion): string;
}

/** The defaults of .env.example (RATE_LIMIT_QUESTIONS …), for callers without a full Config. */
export const DEFAULT_SETTINGS: BotSettings = loadConfig({}).bot;

export function createView(searcher: Searcher): IndexView {
  const store = searcher.index.store;
  const reportIndexes = new Map(store.reports.map((r, i) => [r.file, i]));
  const paragraphs = new Map(store.paragraphs.map((p) => [`${p.file}#${p.number}`, p]));
  let coveredList: RegionCount[] | null = null;
  const counts = new Map<string, number>();
  return {
    searcher,
    store,
    reportIndex: (file) => reportIndexes.get(file) ?? -1,
    report: (index) => store.reports[index],
    paragraph: (file, number) => paragraphs.get(`${file}#${number}`),
    covered() {
      coveredList ??= regionsCovered(store, { includeCities: true });
      return coveredList;
    },
    paragraphCount(region) {
      let n = counts.get(region.id);
      if (n === undefined) counts.set(region.id, (n = regionParagraphCount(store, region)));
      return n;
    },
  };
}

export function createContext(deps: BotDeps, settings: BotSettings = DEFAULT_SETTINGS): BotContext {
  const live = deps.live ?? new LiveIndex(deps.searcher);
  let current = createView(live.current);
  const view = (): IndexView => {
    if (current.searcher !== live.current) current = createView(live.current);
    return current;
  };
  const questions = new Lru<string, RememberedQuestion>(REMEMBERED_QUESTIONS);
  return {
    live,
    view,
    get searcher() {
      return view().searcher;
    },
    get store() {
      return view().store;
    },
    reportIndex: (file) => view().reportIndex(file),
    report: (index) => view().report(index),
    paragraph: (file, number) => view().paragraph(file, number),
    covered: () => view().covered(),
    paragraphCount: (region) => view().paragraphCount(region),
    logger: deps.logger,
    settings,
    questions,
    rateLimiter: new RateLimiter(settings.rateLimitQuestions, settings.rateLimitWindowSeconds * 1000),
    pending: new Bounded(settings.maxPendingQuestions),
    lifecycle: new Lifecycle(),
    questionLog: deps.questionLog ?? new QuestionLog({ file: null, salt: null, retentionDays: 1, logger: deps.logger }),
    remember(entry) {
      // Random rather than a counter: after a restart, an old button must not reach a new question.
      let key: string;
      do key = randomKey();
      while (questions.has(key));
      questions.set(key, entry);
      return key;
    },
  };
}

function randomKey(): string {
  const bytes = randomBytes(10);
  return [...bytes].map((b) => (b % 36).toString(36)).join('');
}
