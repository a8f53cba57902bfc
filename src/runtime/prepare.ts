// Before a command (ask, search, region) or the bot answers: the index of
// DATA_DIR exists and is current. A first run builds it; changed reports are
// brought up to date (unchanged ones cost a few stats: milliseconds); an index
// recorded as built from another folder is never served silently.
import type { Config } from '../config.js';
import { modelFingerprint } from '../embedding/model-files.js';
import { generationComplete, resolvedDataDir, upToDate } from '../index/build.js';
import { buildIndexInThread, type ThreadProgress } from '../index/build-thread.js';
import { printable } from '../text/printable.js';
import { INDEX_FORMAT_VERSION, readManifest, type Manifest } from '../index/manifest.js';

export type PrepareNote = { level: 'info' | 'warn'; message: string };

export type PrepareOutcome = 'current' | 'built' | 'updated' | 'other-data' | 'stale' | 'unreadable';

/**
 * Builds or updates the index when that is safe; says what it did through `note`.
 * Never throws for an index it cannot update but can still answer from (a warning
 * says so); throws when there is no index and none can be built.
 */
export async function prepareIndex(config: Config, note: (n: PrepareNote) => void): Promise<PrepareOutcome> {
  const { dataDir, indexDir } = config;
  const modelHash = await modelFingerprint(config.modelId, config.modelDir);
  let manifest: Manifest | null;
  try {
    manifest = await readManifest(indexDir);
  } catch {
    return 'unreadable'; // A corrupted manifest: loading says so (or AUTO_REINDEX rebuilds it).
  }
  const build = () => buildIndexInThread({ dataDir, indexDir, modelId: config.modelId, modelDir: config.modelDir }, progress(note));

  if (!manifest) {
    note({ level: 'info', message: `No index in ${indexDir} yet: building it from the reports in ${dataDir} (once; later runs reuse it)…` });
    const result = await build();
    for (const { file, reason } of result.skipped) note({ level: 'warn', message: `skipped ${printable(file)}: ${printable(reason)}` });
    note({ level: 'info', message: `Index built: ${result.manifest.counts.reports} report(s), ${result.manifest.counts.passages} passages.` });
    return 'built';
  }
  // Another model or format, or damaged files: loading explains it, and AUTO_REINDEX rebuilds it.
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION || manifest.modelHash !== modelHash || !(await generationComplete(indexDir, manifest))) return 'unreadable';

  const wanted = await resolvedDataDir(dataDir);
  if (manifest.dataDir !== undefined && manifest.dataDir !== wanted && !config.bot.autoReindex) {
    note({
      level: 'warn',
      message:
        `the index in ${indexDir} was built from the reports in ${manifest.dataDir}, not from DATA_DIR=${wanted}: answers quote those reports. ` +
        `Run "npm run index" (or set AUTO_REINDEX=on) to rebuild it from ${wanted}, or set DATA_DIR to ${manifest.dataDir}.`,
    });
    return 'other-data';
  }
  if (await upToDate({ indexDir, dataDir, modelHash }, manifest)) return 'current';

  const otherData = manifest.dataDir !== undefined && manifest.dataDir !== wanted;
  note({
    level: 'info',
    message: otherData
      ? `The index in ${indexDir} was built from ${manifest.dataDir}; AUTO_REINDEX=on: rebuilding it from ${wanted}…`
      : `The reports in ${dataDir} changed since the index was built: updating it…`,
  });
  try {
    const result = await build();
    for (const { file, reason } of result.skipped) note({ level: 'warn', message: `skipped ${printable(file)}: ${printable(reason)}` });
    note({ level: 'info', message: `Index ${result.upToDate ? 'checked' : 'updated'}: ${result.manifest.counts.reports} report(s), ${result.manifest.counts.passages} passages.` });
    return 'updated';
  } catch (error) {
    // The old index still answers (a read-only index folder, a data folder that went away…).
    note({ level: 'warn', message: `could not update the index (${(error as Error).message}); answering from the one built ${manifest.builtAt}.` });
    return 'stale';
  }
}

/** One progress line per phase (and per tenth of the embedding): readable in a terminal and in logs. */
function progress(note: (n: PrepareNote) => void): (event: ThreadProgress) => void {
  let shown = -1;
  return (event) => {
    if (event.phase === 'read') note({ level: 'info', message: `Read ${event.reports} report(s): ${event.passages} passages.` });
    else if (event.phase === 'embed') {
      const tenth = event.total === 0 ? 10 : Math.floor((event.done / event.total) * 10);
      if (tenth !== shown) note({ level: 'info', message: `Embedding passages: ${event.done}/${event.total}` });
      shown = tenth;
    }
  };
}
