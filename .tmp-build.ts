import { buildIndexInThread } from '/work/main/src/index/build-thread.ts';
import { baseConfig, copyOfReports, tempDir } from '/work/main/test/support/index-fixture.ts';
const t0 = performance.now();
const data = await copyOfReports(); const idx = await tempDir('tb');
const r = await buildIndexInThread({ dataDir: data, indexDir: idx, modelId: baseConfig.modelId, modelDir: baseConfig.modelDir });
console.log('first', performance.now() - t0, r.manifest.counts, r.skipped);
const t1 = performance.now();
const r2 = await buildIndexInThread({ dataDir: data, indexDir: idx, modelId: baseConfig.modelId, modelDir: baseConfig.modelDir });
console.log('second', performance.now() - t1, r2.upToDate);
