// A long-lived worker thread's code, as one plain JavaScript file. A worker
// does not inherit the TypeScript loader of the thread that starts it, and
// registering tsx again inside it costs about as much memory as the embedding
// model itself (a second loader thread); so the worker's TypeScript is bundled
// once with esbuild (what tsx itself runs on) into node_modules/.cache, where
// its package imports still resolve, and the worker starts from that file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from './config.js';

const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'report-qa-bot');
const bundled = new Map<string, URL>();

/**
 * The URL to start a worker from: `source` (a .ts module) bundled to plain
 * JavaScript, or `fallback` (an entry that registers tsx and imports
 * `source`) when bundling is not possible (e.g. a read-only node_modules).
 * The bundle's file name carries a hash of its content, so edited sources get
 * a new file and concurrent processes never see a half-written one.
 * Modules bundled this way must not use import.meta.url (it would point into
 * the cache folder).
 */
export function workerEntry(source: URL, fallback: URL): URL {
  const known = bundled.get(source.href);
  if (known) return known;
  try {
    const entry = fileURLToPath(source);
    const result = buildSync({
      entryPoints: [entry],
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.contents;
    const name = `${path.basename(entry, path.extname(entry))}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
    const file = path.join(CACHE_DIR, name);
    if (!existsSync(file)) {
      mkdirSync(CACHE_DIR, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    }
    const url = pathToFileURL(file);
    bundled.set(source.href, url);
    return url;
  } catch {
    return fallback;
  }
}
