// The on-disk format: the column container of the store, the delta/varint
// keyword postings, the vectors (int8 in graph.bin, float16 in vectors.f16), and what happens to
// an index of an older format (refused at load; re-indexing reuses its embeddings).
import { createHash } from 'node:crypto';
import { openSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, copyOfReports, load, tempDir } from '../../test/support/index-fixture.js';
import { decodeColumns, encodeColumns } from './columns.js';
import { contentHash } from '../text/text.js';
import { tokenize } from '../text/tokens.js';
import { KeywordIndex } from './keyword.js';
import { PostingsInFile } from './postings.js';
import hnswlib from 'hnswlib-node';
import { describeFile, INDEX_FORMAT_VERSION, readManifest, writeManifest } from './manifest.js';
import { FILES, parseStore, serializeStore, type Store } from './store.js';
import { readVectors } from './vectors.js';

describe('column container', () => {
  it('round-trips columns of numbers, strings with nulls and non-BMP characters, number lists, and small JSON', () => {
    const value = {
      reports: [{ file: 'a.txt', title: '标题', number: null }],
      ids: Array.from({ length: 40 }, (_, i) => i * 1000003),
      text: Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? null : i % 5 === 0 ? '' : `第${i}段：𠮷野家「引号」\n${'长'.repeat(i)}`)),
      lists: Array.from({ length: 40 }, (_, i) => Array.from({ length: i % 4 }, (_, j) => i + j)),
      small: [1, 2, 3],
      mixed: Array.from({ length: 40 }, (_, i) => (i % 2 ? i : `x${i}`)),
      negative: Array.from({ length: 40 }, (_, i) => -i - 1),
    };
    const bytes = encodeColumns(value);
    expect(decodeColumns(bytes)).toEqual(value);
    // The columns are binary: the JSON header only describes them.
    expect(bytes.subarray(4, 4 + bytes.readUInt32LE(0)).toString()).not.toContain('1000003');
  });

  it('refuses a cut-off or padded file', () => {
    const bytes = encodeColumns({ text: Array.from({ length: 100 }, (_, i) => `段落${i}`) });
    expect(() => decodeColumns(bytes.subarray(0, bytes.length - 3))).toThrow();
    expect(() => decodeColumns(Buffer.concat([bytes, Buffer.alloc(4)]))).toThrow(/wrong size/);
    expect(() => decodeColumns(Buffer.from('{"not":"columns"}'))).toThrow();
  });
});

describe('paragraph store', () => {
  // Enough of everything to be stored as columns: 30 places, 40 paragraphs, every third split into two passages.
  const places = Array.from({ length: 30 }, (_, i) => `p${i}`);
  const paragraphs = Array.from({ length: 40 }, (_, i) => ({
    file: `r${i % 3}.txt`,
    number: Math.floor(i / 3) + 1,
    text: `第${i}段。${'内容'.repeat(i % 5)}第二句𠮷。`,
    hash: '',
    places: { own: i % 4 === 0 ? [] : [places[i % 30]!, places[(i + 7) % 30]!], inherited: i % 2 ? [places[(i + 1) % 30]!] : [] },
  }));
  const passages = paragraphs.flatMap((p, i) => {
    const parts = i % 3 === 0 ? [p.text.slice(0, 4), p.text.slice(4)] : [p.text];
    return parts.map((text, part) => ({ file: p.file, paragraph: p.number, part, text, hash: contentHash(text), places: p.places }));
  });
  for (const p of paragraphs) p.hash = contentHash(p.text);
  const ordered = [...passages].sort((a, b) => a.file.localeCompare(b.file) || a.paragraph - b.paragraph || a.part - b.part).map((p, id) => ({ id, ...p }));
  const store: Store = {
    reports: [0, 1, 2].map((r) => ({ file: `r${r}.txt`, title: `报告${r}`, number: r, sourceUrl: null, paragraphCount: 14, places: places.slice(r, r + 20) })),
    paragraphs: [...paragraphs].sort((a, b) => a.file.localeCompare(b.file) || a.number - b.number),
    passages: ordered,
  };

  it('reads back every report, paragraph and passage with its text, hash and places', () => {
    // Hashes are the texts' (corpus.ts), worked out when asked for rather than stored.
    expect(serializeStore(store).includes(Buffer.from(store.passages[0]!.hash, 'utf16le'))).toBe(false);
    const loaded = parseStore(serializeStore(store));
    expect(JSON.parse(JSON.stringify(loaded))).toEqual(JSON.parse(JSON.stringify(store)));
    // Texts are read from the file's bytes when used: the same strings, field by field.
    expect(loaded.passages.map((p) => p.text)).toEqual(store.passages.map((p) => p.text));
    expect(loaded.paragraphs.map((p) => [p.text, p.hash, p.places])).toEqual(store.paragraphs.map((p) => [p.text, p.hash, p.places]));
    expect(loaded.passages[5]!.places).toBe(loaded.paragraphs.find((p) => p.file === loaded.passages[5]!.file && p.number === loaded.passages[5]!.paragraph)!.places);
  });
});

describe('keyword postings (delta + varint)', () => {
  // Passage ids far apart need multi-byte varints; the context field weighs 0.5.
  const sources = Array.from({ length: 3000 }, (_, i) => ({
    text: i % 1000 === 0 ? '乡村振兴战略' : i % 3 === 0 ? '主题教育' : '营商环境',
    regions: i % 1000 === 0 ? ['河北'] : [],
    context: i % 1000 === 0 ? '主题教育' : null,
  }));

  it('serialises, loads back, and finds the same passages with the same scores', () => {
    const built = KeywordIndex.build(sources);
    const loaded = KeywordIndex.deserialize(built.serialize());
    expect(loaded.documentCount).toBe(3000);
    for (const term of ['#乡村', '#主题', '#营商', '河北', '#不在']) {
      expect(Array.from(loaded.postings(term))).toEqual(Array.from(built.postings(term)));
      expect(loaded.documentFrequency(term)).toBe(built.documentFrequency(term));
    }
    expect(Array.from(loaded.postings('#乡村'))).toEqual([0, 1000, 2000]);
    // 999 passages say 主题教育 (every third but passage 0), and 0, 1000, 2000 have it as context.
    expect(loaded.documentFrequency('#主题')).toBe(1002);
    const hits = loaded.search(['#乡村', '#主题', '河北'], 5);
    expect(hits.map((h) => h.id)).toEqual([0, 1000, 2000, 3, 6]);
    expect(hits).toEqual(built.search(['#乡村', '#主题', '河北'], 5));
    expect(loaded.passagesWithBigramsOf('乡村振兴')).toEqual([0, 1000, 2000]);
  });

  it('reads its posting lists from the file when loaded without them: same results, lists cached, bounds checked', async () => {
    const built = KeywordIndex.build(sources);
    const bytes = built.serialize();
    const file = path.join(await tempDir('postings'), 'keyword.bin');
    await writeFile(file, bytes);
    const offset = KeywordIndex.postingsOffset(bytes.length, bytes.subarray(0, 4096));
    // Only the part before the postings is in memory; the lists are most of the file.
    expect(offset).toBeLessThan(bytes.length / 2);
    const fd = openSync(file, 'r');
    const source = new PostingsInFile(fd, offset, bytes.length - offset, 64);
    const lazy = KeywordIndex.deserialize(Buffer.from(bytes.subarray(0, offset)), source);
    for (const tokens of [['#乡村', '#主题', '河北'], ['#营商', '#主题'], ['#不在']]) {
      for (const strategy of ['all', 'pruned'] as const) expect(lazy.search(tokens, 10, strategy)).toEqual(built.search(tokens, 10, strategy));
    }
    expect(Array.from(lazy.postings('#主题'))).toEqual(Array.from(built.postings('#主题')));
    expect(lazy.passagesWithBigramsOf('乡村振兴')).toEqual([0, 1000, 2000]);
    // A short list read twice is the same bytes (from the cache); reads outside the postings are refused.
    expect(source.read(0, 3)).toBe(source.read(0, 3));
    expect(() => source.read(0, bytes.length)).toThrow(/outside the index/);
    lazy.close();
    expect(() => lazy.search(['#主题'], 5)).toThrow(/closed/);
  });

  it('keeps many distinct term weights apart: more occurrences, higher score', () => {
    // 12 passages saying 雄安 1..12 times (12 distinct weights), each padded to the same length.
    const docs = Array.from({ length: 12 }, (_, i) => ({ text: '雄安。'.repeat(i + 1) + '，'.repeat(60 - 3 * i), regions: [], context: null }));
    const index = KeywordIndex.deserialize(KeywordIndex.build([...docs, ...sources]).serialize());
    const hits = index.search(['#雄安'], 12);
    expect(hits.map((h) => h.id)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(new Set(hits.map((h) => h.score)).size).toBe(12);
  });

  it('takes about 1.5 bytes a posting (it took 8)', () => {
    const bytes = KeywordIndex.build(sources).serialize();
    const postings = sources.reduce((n, p) => n + new Set([p.text, ...p.regions, p.context ?? ''].flatMap((t) => tokenize(t))).size, 0);
    expect(postings).toBeGreaterThan(15_000);
    // Per passage: its postings at ~1.5 bytes, plus its length (4 bytes); the vocabulary is tiny here.
    expect(bytes.length).toBeLessThan(postings * 1.6 + 3000 * 4 + 1000);
  });
});

describe('the index on disk', () => {
  it('stores each vector in float16 (vectors.f16) beside the int8 search copy; an older format is refused at load and re-indexing reuses its embeddings', async () => {
    const dataDir = await copyOfReports();
    const indexDir = await tempDir('format-index');
    const first = await build(dataDir, indexDir);
    const generation = path.join(indexDir, first.manifest.generation);
    expect((await readdir(generation)).sort()).toEqual(Object.values(FILES).sort());
    const store = parseStore(await readFile(path.join(generation, FILES.store)));
    expect(store.passages).toHaveLength(first.manifest.counts.passages);
    const vectors = readVectors(path.join(generation, FILES.vectors), first.manifest.dims);
    expect(vectors).toHaveLength(store.passages.length);
    expect(Math.hypot(...vectors[0]!)).toBeCloseTo(1, 4);

    // Make it look like a format-5 index: flat vectors.f32 and store.json beside the graph.
    const flat = Buffer.concat(vectors.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)));
    const json = Buffer.from(JSON.stringify({ passages: { hash: store.passages.map((p) => p.hash) } }));
    await writeFile(path.join(generation, 'vectors.f32'), flat);
    await writeFile(path.join(generation, 'store.json'), json);
    const describe = (b: Buffer) => ({ bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') });
    const old = { ...first.manifest, formatVersion: 5, files: { 'vectors.f32': describe(flat), 'store.json': describe(json) } };
    await writeManifest(indexDir, old);

    await expect(load(indexDir)).rejects.toThrow(new RegExp(`format 5; this version of the bot reads format ${INDEX_FORMAT_VERSION} only\\. Run "npm run index"`));
    const again = await build(dataDir, indexDir, () => Promise.reject(new Error('the model must not be needed: every embedding is reused')));
    expect(again.upToDate).toBe(false);
    expect(again.embedded).toBe(0);
    expect((await readManifest(indexDir))!.formatVersion).toBe(INDEX_FORMAT_VERSION);
    const index = await load(indexDir);
    expect(index.vectors.count).toBe(first.manifest.counts.passages);
  }, 120_000);

  it('re-indexing reuses the embeddings of a format-8 index (float32 vectors inside hnswlib\'s hnsw.bin)', async () => {
    const dataDir = await copyOfReports();
    const indexDir = await tempDir('format8-index');
    const first = await build(dataDir, indexDir);
    const generation = path.join(indexDir, first.manifest.generation);
    const vectors = readVectors(path.join(generation, FILES.vectors), first.manifest.dims);
    const graph = new hnswlib.HierarchicalNSW('cosine', first.manifest.dims);
    graph.initIndex({ maxElements: vectors.length, m: 16, efConstruction: 50, randomSeed: 1 });
    vectors.forEach((v, id) => graph.addPoint(Array.from(v), id));
    graph.writeIndexSync(path.join(generation, 'hnsw.bin'));
    const store = await readFile(path.join(generation, FILES.store));
    const hnsw = await readFile(path.join(generation, 'hnsw.bin'));
    await writeManifest(indexDir, { ...first.manifest, formatVersion: 8, files: { [FILES.store]: describeFile(store), 'hnsw.bin': describeFile(hnsw), [FILES.keyword]: first.manifest.files[FILES.keyword]! } });

    await expect(load(indexDir)).rejects.toThrow(/format 8; this version of the bot reads format/);
    const again = await build(dataDir, indexDir, () => Promise.reject(new Error('the model must not be needed: every embedding is reused')));
    expect(again.embedded).toBe(0);
    const reused = readVectors(path.join(indexDir, again.manifest.generation, FILES.vectors), first.manifest.dims);
    // Through hnswlib's float32 (re-normalised) and back to float16: the same vectors within half precision.
    expect(reused).toHaveLength(vectors.length);
    const worst = Math.max(...reused.map((v, i) => Math.max(...v.map((x, d) => Math.abs(x - vectors[i]![d]!)))));
    expect(worst).toBeLessThan(1e-3);
  }, 120_000);
});
