import { readFile } from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import { loadConfig } from './src/config.js';
import { loadIndex } from './src/index/load.js';
import { modelFingerprint, MODEL_DIMS } from './src/embedding/model-files.js';
import { loadEmbedder } from './src/embedding/embedder.js';
import { unpackVectors } from './src/index/vectors.js';
const c = loadConfig();
const dir = '/tmp/b/s100k';
let t = performance.now();
const idx = await loadIndex({ indexDir: dir, modelHash: await modelFingerprint(c.modelId, c.modelDir), dims: MODEL_DIMS, hnswEf: 256 });
console.log('load ms', performance.now() - t, 'rss', process.memoryUsage().rss / 1e6);
const e = await loadEmbedder({ modelId: c.modelId, modelDir: c.modelDir });
const qs = (await readFile('test/fixtures/questions.dev.jsonl', 'utf8')).split('\n').filter(Boolean).map(l => JSON.parse(l).question).slice(0, 40);
const qv = await Promise.all(qs.map(q => e.embedQuery(q)));
const vectors = unpackVectors(await readFile(`${dir}/${idx.manifest.generation}/vectors.f32`), 512);
const exact = new hnswlib.BruteforceSearch('cosine', 512); exact.initIndex(vectors.length); vectors.forEach((v, i) => exact.addPoint(Array.from(v), i));
const truth = qv.map(v => new Set(exact.searchKnn(Array.from(v), 10).neighbors));
for (const ef of [256, 512, 1000, 2000]) {
  idx.vectors.setEf(ef);
  let f = 0; const s = performance.now();
  qv.forEach((v, i) => { f += idx.vectors.searchKnn(Array.from(v), 10).neighbors.filter(id => truth[i]!.has(id)).length; });
  console.log('ef', ef, 'recall', f / (10 * qv.length), 'ms/q', (performance.now() - s) / qv.length);
}
