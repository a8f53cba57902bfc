// A long-lived worker thread's code, as one plain JavaScript file. A worker
// does not inherit the TypeScript loader of the thread that starts it, and
// registering tsx again inside it costs about as much memory as the embedding
// model itself (a second loader thread); so the worker's TypeScript is bundled
// once with esbuild (what tsx itself runs on) into node_modules/.cache, where
// its package imports still resolve, and the worker starts from that file.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';
import { PROJECT_ROOT } from './config.js';

const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'report-qa-bot');
const bundled = new Map<string, Promise<URL>>();
let building = 0;

/**
 * The URL to start a worker from: `source` (a .ts module) bundled to plain
 * JavaScript, or `fallback` (an entry that registers tsx and imports
 * `source`) when bundling is not possible (e.g. a read-only node_modules).
 * The bundle's file name carries a hash of its content, so edited sources get
 * a new file and concurrent processes never see a half-written one.
 * Modules bundled this way must not use import.meta.url (it would point into
 * the cache folder). Bundling runs in esbuild's own process, so the caller's
 * thread goes on meanwhile (loading the index, at start-up).
 */
export function workerEntry(source: URL, fallback: URL): Promise<URL> {
  let known = bundled.get(source.href);
  if (!known) bundled.set(source.href, (known = bundle(source).catch(() => fallback)));
  return known;
}

async function bundle(source: URL): Promise<URL> {
  const entry = fileURLToPath(source);
  building++;
  try {
    const result = await build({
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
      await mkdir(CACHE_DIR, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      await writeFile(partial, code);
      await rename(partial, file);
    }
    return pathToFileURL(file);
  } finally {
    // esbuild's service process is not needed once the bundles are made.
    if (--building === 0) await stop();
  }
}
