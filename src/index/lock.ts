// One build at a time per index folder. The lock is a folder whose
// modification time its holder refreshes every few seconds (proper-lockfile):
// a holder that was killed — even one left as a zombie, or whose pid now
// belongs to another process — stops refreshing it, and once it is stale the
// next build takes it over. A pid check cannot tell those apart from a live build.
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { IndexError } from './manifest.js';

export const LOCK_NAME = '.build.lock';
/** A lock not refreshed for this long belongs to a build that is gone. */
export const LOCK_STALE_MS = 10_000;
const REFRESH_MS = 2_000;

export type ReleaseLock = () => Promise<void>;

export function lockPath(indexDir: string): string {
  return path.join(indexDir, LOCK_NAME);
}

/**
 * Takes the build lock of `indexDir`, waiting long enough for a dead holder's
 * lock to go stale. `onLost` runs if the lock is taken away while held (its
 * holder was frozen longer than the stale time): the build must stop.
 */
export async function acquireBuildLock(indexDir: string, onLost: (error: IndexError) => void): Promise<ReleaseLock> {
  const file = lockPath(indexDir);
  try {
    const release = await lockfile.lock(indexDir, {
      lockfilePath: file,
      realpath: false,
      stale: LOCK_STALE_MS,
      update: REFRESH_MS,
      retries: { retries: Math.ceil(LOCK_STALE_MS / 1000) + 3, minTimeout: 1000, maxTimeout: 1000, factor: 1 },
      onCompromised: (error) => onLost(new IndexError(`Lost the indexing lock ${file} (${error.message}); another run took it over. Run "npm run index" again.`)),
    });
    return async () => {
      await release().catch(() => undefined);
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new IndexError(
        `Another indexing run is using ${indexDir} (its lock ${file} is being kept fresh); wait for it to finish. ` +
          `If none is running, the lock is taken over ${LOCK_STALE_MS / 1000} s after its holder stopped.`,
      );
    }
    throw error;
  }
}
