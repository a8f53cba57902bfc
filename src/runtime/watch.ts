// Watches the reports folder and calls back once changes have settled: copying
// a batch of files produces many events, and one rebuild should cover them all.
import { watch, type FSWatcher } from 'node:fs';

export interface WatchOptions {
  /** Quiet time after the last change before `onChange` runs. */
  debounceMs?: number;
  onError?: (error: Error) => void;
}

export interface DataWatcher {
  close(): void;
}

export const DEFAULT_DEBOUNCE_MS = 2000;

export function watchDataFolder(dir: string, onChange: () => void, options: WatchOptions = {}): DataWatcher {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const watcher: FSWatcher = watch(dir, { recursive: true, persistent: false }, (_event, filename) => {
    // Dot-files (editor swap files, .DS_Store) are not reports: the build ignores them too.
    if (closed || (filename && /(^|[\\/])\./.test(filename.toString()))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!closed) onChange();
    }, debounceMs);
  });
  watcher.on('error', (error) => options.onError?.(error));
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}
