import { appendFile, readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseConfig, build, copyOfReports, load, sharedEmbedder, tempDir } from '../../test/support/index-fixture.js';
import { buildIndex } from './build.js';
import { IndexError, readManifest } from './manifest.js';
import { FILES } from './store.js';

describe('building the index', () => {
  let dataDir: string;
  let indexDir: string;
  beforeAll(async () => {
    dataDir = await copyOfReports();
    indexDir = await tempDir('index');
  });

  it('indexes the real reports and loads them back', async () => {
    const result = await build(dataDir, indexDir);
    expect(result.upToDate).toBe(false);
    expect(result.manifest.counts).toMatchObject({ reports: 5, paragraphs: 78 });
    expect(result.manifest.dims).toBe(512);
    const index = await load(indexDir);
    expect(index.vectors.count).toBe(result.manifest.counts.passages);
    expect(index.vectors.ef).toBeGreaterThanOrEqual(128);
    expect(index.keywords.documentCount).toBe(result.manifest.counts.passages);
  });

  it('does nothing for an unchanged corpus', async () => {
    const started = Date.now();
    const result = await build(dataDir, indexDir, () => Promise.reject(new Error('the model must not be needed')));
    expect(result.upToDate).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rebuilds, without re-embedding, when the code or data that analyze reports change', async () => {
    const analyzed = async (analyzer: string) =>
      buildIndex({ dataDir, indexDir, modelId: baseConfig.modelId, modelHash: (await readManifest(indexDir))!.modelHash, embedder: sharedEmbedder, analyzer });
    expect((await analyzed('rules-a')).upToDate).toBe(false);
    expect((await analyzed('rules-a')).upToDate).toBe(true);
    const changed = await analyzed('rules-b');
    expect(changed.upToDate).toBe(false);
    expect(changed.embedded).toBe(0);
    // Back to the real analyzer for the tests below.
    expect((await build(dataDir, indexDir)).upToDate).toBe(false);
  });

  it('re-embeds only new or changed passages', async () => {
    const before = await readManifest(indexDir);
    await appendFile(path.join(dataDir, '003_3ab517bc4223d4d7.txt'), "<div><span>　　新增的一段内容，用于测试增量索引。</span></div>");
    let embedCalls = 0;
    const result = await build(dataDir, indexDir, async () => {
      const real = await sharedEmbedder();
      return { ...real, embedPassages: (texts, batch) => ((embedCalls += texts.length), real.embedPassages(texts, batch)) };
    });
    expect(result.upToDate).toBe(false);
    expect(result.embedded).toBe(1);
    expect(embedCalls).toBe(1);
    expect(result.reused).toBe(before!.counts.passages);
    expect(result.manifest.generation).not.toBe(before!.generation);
    const index = await load(indexDir);
    expect(index.store.paragraphs.filter((p) => p.file === '003_3ab517bc4223d4d7.txt')).toHaveLength(6);
  });

  it('keeps the previous index live when a build fails midway', async () => {
    const before = await readManifest(indexDir);
    await writeFile(path.join(dataDir, 'new.txt'), '新报告\n一段全新的内容。\n');
    await expect(build(dataDir, indexDir, async () => ({ ...(await sharedEmbedder()), embedPassages: () => Promise.reject(new Error('model crashed')) }))).rejects.toThrow('model crashed');
    expect(await readManifest(indexDir)).toEqual(before);
    const index = await load(indexDir);
    expect(index.store.reports.map((r) => r.file)).not.toContain('new.txt');
    await rm(path.join(dataDir, 'new.txt'));
  });

  it('refuses a damaged index with a message to rebuild', async () => {
    const manifest = (await readManifest(indexDir))!;
    const damages: Array<[string, (bytes: Buffer) => Buffer, RegExp]> = [
      [FILES.graph, (b) => b.subarray(0, b.length / 2), /graph\.bin .*truncated.*npm run index/],
      // The float16 vectors and the keyword postings are not loaded (searches read them by position), but they are checked.
      [FILES.vectors, (b) => flip(b, b.length - 3), /vectors\.f16 does not match its checksum \(corrupted\).*npm run index/],
      [FILES.keyword, (b) => flip(b, b.length - 2), /keyword\.bin does not match its checksum \(corrupted\).*npm run index/],
    ];
    for (const [name, damage, message] of damages) {
      const file = path.join(indexDir, manifest.generation, name);
      const bytes = await readFile(file);
      await writeFile(file, damage(bytes));
      await expect(load(indexDir)).rejects.toThrow(IndexError);
      await expect(load(indexDir)).rejects.toThrow(message);
      await writeFile(file, bytes);
    }
    await expect(load(indexDir)).resolves.toBeTruthy();
  });

  it('refuses an index built with another model', async () => {
    const file = path.join(indexDir, 'manifest.json');
    const original = await readFile(file, 'utf8');
    await writeFile(file, JSON.stringify({ ...JSON.parse(original), modelHash: 'f'.repeat(64) }));
    await expect(load(indexDir)).rejects.toThrow(/different embedding model.*npm run index/);
    await writeFile(file, original);
  });

  it('says to build the index when there is none', async () => {
    await expect(load(await tempDir('empty'))).rejects.toThrow(/No index found.*npm run index/);
  });
});

/** A copy with one bit of byte `at` flipped. */
function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at]! ^= 0x40;
  return copy;
}
