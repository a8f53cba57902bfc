// Background rebuilds for /reindex and the data watcher: one at a time, logged,
// the new index warmed before users reach it, the result as a message.
import { printable } from '../text/printable.js';
import type { RebuildOutcome } from '../runtime/live-index.js';
import { watchDataFolder, type DataWatcher } from '../runtime/watch.js';
import type { BotContext } from './context.js';
import { fitEscaped, LIMITS, type BotMessage } from './views/common.js';
import { labels, type Lang } from './views/i18n.js';
import { pseudonym } from '../log.js';

export type ReindexTrigger = 'command' | 'watch';

/** Starts a rebuild; null when one is already running. */
export function startReindex(context: BotContext, trigger: ReindexTrigger, user?: string): Promise<RebuildOutcome> | null {
  const { live, logger } = context;
  const run = live.tryRebuild();
  if (!run) return null;
  logger.info({ event: 'reindex', trigger, user: user === undefined ? undefined : pseudonym(user) }, 'rebuilding the index in the background');
  return run.then((outcome) => {
    if (outcome.ok) {
      // Region counts are computed once per index: do it now, not in a user's 3-second window.
      context.covered();
      const { manifest, skipped, embedded, reused, upToDate } = outcome.result!;
      logger.info(
        { event: 'reindex', trigger, ms: Math.round(outcome.ms), counts: manifest.counts, embedded, reused, upToDate, fromScratch: outcome.fromScratch, skipped },
        'index rebuilt and swapped in',
      );
    } else {
      logger.error({ event: 'reindex', trigger, ms: Math.round(outcome.ms), err: outcome.error }, 'index rebuild failed; still answering from the previous index');
    }
    return outcome;
  });
}

/** WATCH_DATA=on: rebuild when the reports change; a change during a rebuild triggers one more after it. */
export function watchDataForReindex(dataDir: string, context: BotContext): DataWatcher | null {
  const { logger, live } = context;
  if (!live.canRebuild) {
    logger.warn('WATCH_DATA=on but this index cannot be rebuilt here; not watching');
    return null;
  }
  let again = false;
  const trigger = (): void => {
    if (startReindex(context, 'watch')) return;
    if (again) return;
    again = true;
    void live.idle().then(() => {
      again = false;
      trigger();
    });
  };
  try {
    const watcher = watchDataFolder(dataDir, trigger, { onError: (error) => logger.error({ err: error }, 'data folder watcher failed; /reindex still works') });
    logger.info({ dir: dataDir }, 'watching the data folder for changes');
    return watcher;
  } catch (error) {
    logger.error({ err: error, dir: dataDir }, 'cannot watch the data folder; /reindex still works');
    return null;
  }
}

const MAX_SKIPPED_LISTED = 15;

/** The operator's report, in their language: counts and skipped files, or why it failed. */
export function reindexResultMessage(outcome: RebuildOutcome, lang: Lang): BotMessage {
  const t = labels(lang);
  const seconds = (outcome.ms / 1000).toFixed(1);
  if (!outcome.ok) {
    const why = fitEscaped(outcome.error?.message ?? 'unknown error', 1200);
    return { content: `${t.reindexFailed(seconds)}\n${why}` };
  }
  const { manifest, skipped, embedded, reused, upToDate } = outcome.result!;
  const c = manifest.counts;
  const lines = [t.reindexDone(seconds, upToDate), t.reindexCounts(c.reports, c.paragraphs, c.passages, embedded, reused)];
  if (outcome.fromScratch) lines.push(t.reindexFromScratch);
  if (skipped.length === 0) lines.push(t.reindexNoneSkipped);
  else {
    lines.push(t.reindexSkipped(skipped.length));
    for (const s of skipped.slice(0, MAX_SKIPPED_LISTED)) lines.push(`• ${fitEscaped(printable(s.file), 150)}: ${fitEscaped(printable(s.reason), 200)}`);
    if (skipped.length > MAX_SKIPPED_LISTED) lines.push(t.reindexMoreSkipped(skipped.length - MAX_SKIPPED_LISTED));
  }
  let content = lines.join('\n');
  if (content.length > LIMITS.content) content = `${content.slice(0, LIMITS.content - 20).replace(/\\$/, '')}\n…`;
  return { content };
}
