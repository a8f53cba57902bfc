// Builds the quality indexes once per test run (not once per file): the five
// reports, and the five together with ../shared's external-dev reports.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { build, REPORTS_DIR, sharedEmbedder } from '../support/index-fixture.js';
import { EXTERNAL_DEV_DIR, hasExternalDev } from '../support/corpora.js';

/** A run limited to other test files (`vitest run src/x`) does not need the quality indexes. */
function qualityTestsSelected(): boolean {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-') && !['run', 'watch', 'dev', 'related'].includes(a));
  return filters.length === 0 || filters.some((f) => 'test/quality/quality.test.ts'.includes(f) || f.includes('quality'));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!qualityTestsSelected()) {
    project.provide('qualityIndexes', { fiveIndexDir: '', combinedIndexDir: '' });
    return async () => {};
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'quality-'));
  const fiveIndexDir = path.join(root, 'five-index');
  await build(REPORTS_DIR, fiveIndexDir);
  let combinedIndexDir = '';
  if (hasExternalDev()) {
    const data = path.join(root, 'combined-data');
    await cp(REPORTS_DIR, data, { recursive: true });
    for (const file of await readdir(EXTERNAL_DEV_DIR)) {
      if (/^dev_\d+\.txt$/.test(file)) await cp(path.join(EXTERNAL_DEV_DIR, file), path.join(data, file));
    }
    combinedIndexDir = path.join(root, 'combined-index');
    await build(data, combinedIndexDir);
  }
  await (await sharedEmbedder()).close();
  project.provide('qualityIndexes', { fiveIndexDir, combinedIndexDir });
  return () => rm(root, { recursive: true, force: true });
}
