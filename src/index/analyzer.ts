// What decides an index's content besides the report files: the code and data
// that parse reports, tag places, split passages and tokenize (and the
// versions of the libraries they use). Its fingerprint is part of the "up to
// date" check, so changing any of them rebuilds the index instead of serving
// one made by the old rules. Embeddings are reused by passage content, so such
// a rebuild re-embeds only passages whose text changed.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Folders whose modules and data decide passages, place tags and tokens (tests excluded). */
const ANALYZER_DIRS = ['text', 'places', 'corpus'];
/** Index modules that decide what is stored and how it is tokenized. */
const ANALYZER_FILES = ['index/keyword.ts', 'index/store.ts', 'index/build.ts'];
/** Libraries whose behaviour decides tokens or place data. */
const ANALYZER_PACKAGES = ['@node-rs/jieba', 'opencc-js', '@vant/area-data', 'pinyin-pro'];

let cached: Promise<string> | null = null;

export function analyzerFingerprint(): Promise<string> {
  cached ??= compute();
  return cached;
}

async function compute(): Promise<string> {
  const hash = createHash('sha256');
  const files: string[] = [...ANALYZER_FILES];
  for (const dir of ANALYZER_DIRS) {
    const entries = await readdir(path.join(SRC, dir), { recursive: true }).catch(() => [] as string[]);
    files.push(...entries.filter((f) => /\.(ts|json|txt)$/.test(f) && !f.endsWith('.test.ts')).map((f) => path.join(dir, f)));
  }
  for (const file of files.sort()) {
    hash.update(`${file}\u0000`);
    hash.update(await readFile(path.join(SRC, file)).catch(() => Buffer.alloc(0)));
  }
  const require = createRequire(import.meta.url);
  for (const name of ANALYZER_PACKAGES) {
    let version = 'absent';
    try {
      const manifest = path.join(path.dirname(require.resolve(name)), 'package.json');
      version = (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
    } catch {
      // A package without a resolvable package.json beside its entry counts by name only.
    }
    hash.update(`${name}@${version}\n`);
  }
  return hash.digest('hex').slice(0, 32);
}
