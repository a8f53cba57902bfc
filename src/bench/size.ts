// One benchmark step, run in its own process so memory and cold-start numbers
// are its own. Prints one JSON object on stdout.
//   model              raw model throughput (texts in a tight loop, best batch size)
//   build-real  DIR    index the real reports in a worker thread (pipeline throughput, event-loop lag)
//   build-synthetic DIR N REAL_INDEX   synthetic corpus of N passages (perturbed real vectors)
//   serve DIR          cold start, latency, recall, lag under concurrent questions, RSS, size
//   record DIR         the bot's answer latency with and without the question log (SQLite)
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadConfig, PROJECT_ROOT } from '../config.js';
import { MODEL_DIMS, modelFingerprint } from '../embedding/model-files.js';
import type { BuildProgress } from '../index/build.js';
import { readManifest } from '../index/manifest.js';
import { FILES } from '../index/store.js';

// Each mode imports what it uses when it runs, so a step's memory is its own:
// `serve` holds what the bot's process holds (the bot's modules, the index, the
// model in its thread), not the in-thread model that `model` loads.

const config = loadConfig();
const [mode, ...args] = process.argv.slice(2);
const now = () => performance.now();
const rssMb = () => process.resourceUsage().maxRSS / 1024;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

async function questions(): Promise<string[]> {
  const raw = await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'questions.dev.jsonl'), 'utf8');
  return raw.split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { question: string }).question);
}

function lagMonitor() {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return () => {
    h.disable();
    return { p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
  };
}

async function model() {
  const { readCorpus } = await import('../corpus/corpus.js');
  const { loadEmbedder } = await import('../embedding/embedder.js');
  const corpus = await readCorpus(path.join(PROJECT_ROOT, 'data'));
  const texts = corpus.passages.map((p) => p.text);
  const embedder = await loadEmbedder({ modelId: config.modelId, modelDir: config.modelDir });
  await embedder.embedPassages(texts.slice(0, 8));
  const byBatch: Record<string, number> = {};
  for (const batch of [1, 4, 8, 16, 32]) {
    let done = 0;
    const start = now();
    while (now() - start < 4000) {
      await embedder.embedPassages(texts, batch);
      done += texts.length;
    }
    byBatch[batch] = done / ((now() - start) / 1000);
  }
  const [bestBatch, best] = Object.entries(byBatch).sort((a, b) => b[1] - a[1])[0]!;
  return { passages: texts.length, passages_per_s_by_batch: byBatch, best_batch: Number(bestBatch), model_passages_per_s: best };
}

async function buildReal(indexDir: string) {
  const { buildIndexInThread } = await import('../index/build-thread.js');
  const stop = lagMonitor();
  let embedStart = 0;
  let embedEnd = 0;
  let total = 0;
  const start = now();
  const result = await buildIndexInThread(
    { dataDir: path.join(PROJECT_ROOT, 'data'), indexDir, modelId: config.modelId, modelDir: config.modelDir },
    (e) => {
      if (e.phase === 'embed') {
        if (e.done === 0) embedStart = now();
        embedEnd = now();
        total = e.total;
      }
    },
  );
  const lag = stop();
  return {
    passages: result.manifest.counts.passages,
    build_ms: now() - start,
    embed_phase_ms: embedEnd - embedStart,
    index_passages_per_s: total / ((embedEnd - embedStart) / 1000),
    end_to_end_passages_per_s: result.manifest.counts.passages / ((now() - start) / 1000),
    lag_indexing: lag,
  };
}

async function buildSynthetic(indexDir: string, passages: number, realIndexDir: string) {
  const { readCorpus } = await import('../corpus/corpus.js');
  const { buildIndex } = await import('../index/build.js');
  const { readVectors } = await import('../index/vectors.js');
  const { perturbedEmbedder, writeSyntheticReports } = await import('./synthetic.js');
  const realManifest = (await readManifest(realIndexDir))!;
  const real = readVectors(path.join(realIndexDir, realManifest.generation, FILES.vectors), realManifest.dims);
  const corpus = await readCorpus(path.join(PROJECT_ROOT, 'data'));
  const dataDir = path.join(indexDir, '..', `data-${passages}`);
  await writeSyntheticReports(dataDir, corpus.paragraphs.map((p) => p.text), passages);
  const embedder = perturbedEmbedder(real, realManifest.dims);
  const modelHash = await modelFingerprint(config.modelId, config.modelDir);
  const started = now();
  const say = (line: string) => process.stderr.write(`    ${((now() - started) / 1000).toFixed(0)} s: ${line}\n`);
  say(`wrote ${passages} synthetic paragraphs`);
  // Progress on stderr: at 1M passages a build takes a long time, mostly linking the HNSW graph.
  let shown = -1;
  const onProgress = (e: BuildProgress) => {
    if (e.phase === 'read') say(`read ${e.corpus.passages.length} passages`);
    else if (e.phase === 'write') say('writing the index');
    else {
      const tenth = Math.floor((10 * e.done) / Math.max(1, e.total));
      if (tenth !== shown || e.done === e.total) say(`${e.phase === 'embed' ? 'vectors' : 'graph'} ${e.done}/${e.total}`);
      shown = e.done === e.total ? -1 : tenth;
    }
  };
  const options = { dataDir, indexDir, modelId: config.modelId, modelHash, embedder: async () => embedder, onProgress, batchSize: 256 };
  const start = now();
  const result = await buildIndex(options);
  const buildMs = now() - start;
  const again = now();
  const second = await buildIndex(options);
  return { passages: result.manifest.counts.passages, build_ms: buildMs, reindex_unchanged_ms: now() - again, reindex_up_to_date: second.upToDate, peak_rss_build_mb: rssMb() };
}

async function serve(indexDir: string) {
  // The modules the bot's process loads (discord.js, the rebuild path, the question log), as \`npm start\` does.
  await Promise.all([import('../bot/client.js'), import('../runtime/rebuild.js'), import('../runtime/open.js'), import('../insight/question-log.js')]);
  const { startEmbedderThread } = await import('../embedding/threaded-embedder.js');
  const { loadIndex } = await import('../index/load.js');
  const { createSearcher } = await import('../retrieval/searcher.js');
  const { jsonHits } = await import('../retrieval/json.js');
  const { readVectors } = await import('../index/vectors.js');
  const { default: hnswlib } = await import('hnswlib-node');
  const qs = await questions();
  const t0 = now();
  const starting = startEmbedderThread({ modelId: config.modelId, modelDir: config.modelDir });
  const index = await loadIndex({ indexDir, modelHash: await modelFingerprint(config.modelId, config.modelDir), dims: MODEL_DIMS, hnswEf: config.hnswEf });
  const indexLoadMs = now() - t0;
  const embedder = await starting;
  const modelLoadMs = now() - t0;
  const settings = { topK: config.topK, candidates: config.candidates };
  const cached = createSearcher(index, embedder, settings);
  const firstStart = now();
  jsonHits(await cached.search(qs[0]!), 5);
  const firstAnswerMs = now() - firstStart;
  const coldStartMs = now() - t0;

  // Latency: the cache off, so every question pays for its embedding.
  const uncached = createSearcher(index, embedder, { ...settings, queryCacheSize: 0 });
  const stages: Record<string, number[]> = { total: [], embed: [], vector: [], keyword: [], fuse_format: [] };
  for (let i = 0; i < 252; i++) {
    const start = now();
    const answer = await uncached.search(qs[i % qs.length]!);
    jsonHits(answer, 5);
    const total = now() - start;
    const t = uncached.lastTimings();
    stages.total!.push(total);
    stages.embed!.push(t.embed!);
    stages.vector!.push(t.vector!);
    stages.keyword!.push(t.keyword!);
    stages.fuse_format!.push(total - t.embed! - t.vector! - t.keyword!);
  }
  const repeat: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = now();
    jsonHits(await cached.search(qs[0]!), 5);
    repeat.push(now() - start);
  }

  // Event-loop lag while 50 distinct questions are answered at once.
  const stop = lagMonitor();
  await Promise.all(Array.from({ length: 50 }, (_, i) => uncached.search(`${qs[i % qs.length]} ${i}`)));
  const lagAnswering = stop();
  // Serving memory, before the exact-search baseline below adds its own copy of every vector.
  const peakRss = rssMb();

  // Recall@10 of the HNSW graph against exact search, with the real query embeddings.
  const manifest = index.manifest;
  const vectors = readVectors(path.join(indexDir, manifest.generation, FILES.vectors), manifest.dims);
  const exact = new hnswlib.BruteforceSearch('cosine', manifest.dims);
  exact.initIndex(vectors.length);
  vectors.forEach((v, i) => exact.addPoint(Array.from(v), i));
  let found = 0;
  let wanted = 0;
  for (const q of qs) {
    const v = Array.from(await embedder.embedQuery(q));
    const k = Math.min(10, vectors.length);
    const truth = new Set(exact.searchKnn(v, k).neighbors);
    found += index.vectors.search(Float32Array.from(v), k).filter((hit) => truth.has(hit.id)).length;
    wanted += k;
  }

  const dir = path.join(indexDir, manifest.generation);
  let bytes = 0;
  for (const f of await readdir(dir)) bytes += (await stat(path.join(dir, f))).size;
  await embedder.close();
  const ms = (xs: number[]) => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99) });
  return {
    passages: manifest.counts.passages,
    index_load_ms: indexLoadMs,
    model_load_ms: modelLoadMs,
    first_answer_ms: firstAnswerMs,
    cold_start_ms: coldStartMs,
    latency_ms: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, ms(v)])),
    cached_answer_ms: quantile(repeat, 0.5),
    recall_at_10: found / wanted,
    lag_answering: lagAnswering,
    peak_rss_mb: peakRss,
    index_bytes: bytes,
  };
}

/**
 * What recording costs an answer: the bot's own question step (search +
 * record) with the question log on and off, interleaved so drift in machine
 * load hits both alike. Every question pays for its embedding (cache off), and
 * the log's batched writes run when their timer fires, between or during
 * answers, as in the bot.
 */
async function record(indexDir: string) {
  const { startEmbedderThread } = await import('../embedding/threaded-embedder.js');
  const { loadIndex } = await import('../index/load.js');
  const { createSearcher } = await import('../retrieval/searcher.js');
  const { default: pino } = await import('pino');
  const { createContext, DEFAULT_SETTINGS } = await import('../bot/context.js');
  type BotContext = import('../bot/context.js').BotContext;
  const { runQuestion } = await import('../bot/question-flow.js');
  const { BATCH_ROWS, QuestionLog } = await import('../insight/question-log.js');
  const qs = await questions();
  const embedder = await startEmbedderThread({ modelId: config.modelId, modelDir: config.modelDir });
  const index = await loadIndex({ indexDir, modelHash: await modelFingerprint(config.modelId, config.modelDir), dims: MODEL_DIMS, hnswEf: config.hnswEf });
  const searcher = createSearcher(index, embedder, { topK: config.topK, candidates: config.candidates, queryCacheSize: 0 });
  const logger = pino({ level: 'silent' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-stats-'));
  const questionLog = new QuestionLog({ file: path.join(dir, 'bot.sqlite'), salt: null, retentionDays: 90, logger });
  // The bot's question flow (admission, search, record, render) with a no-op reply; one asker may ask any number of times.
  const settings = { ...DEFAULT_SETTINGS, rateLimitQuestions: 100_000 };
  const off = createContext({ searcher, logger }, settings);
  const on = createContext({ searcher, logger, questionLog }, settings);
  const where = { guildId: '1200000000000000001', channelId: '1200000000000000002' };
  const io = { acknowledge: async () => {}, send: async () => {} };
  const answerQuestion = (ctx: BotContext, text: string, via: 'mention', user: string, at: typeof where) =>
    runQuestion(ctx, { text, via, user, ...at }, io, () => ({ content: '' }));
  for (let i = 0; i < 10; i++) await answerQuestion(on, qs[i % qs.length]!, 'mention', 'warm-up', where);
  const without: number[] = [];
  const withLog: number[] = [];
  const rounds = 300;
  for (let i = 0; i < rounds; i++) {
    const q = qs[i % qs.length]!;
    const user = `12000000000000${String(i % 50).padStart(5, '0')}`;
    for (const ctx of i % 2 ? [on, off] : [off, on]) {
      const start = now();
      await answerQuestion(ctx, q, 'mention', user, where);
      (ctx === on ? withLog : without).push(now() - start);
    }
  }
  // Repeated questions (answer cache on): the search costs microseconds, so what is left is the recording itself.
  const cachedSearcher = createSearcher(index, embedder, { topK: config.topK, candidates: config.candidates });
  const cachedOff = createContext({ searcher: cachedSearcher, logger }, settings);
  const cachedOn = createContext({ searcher: cachedSearcher, logger, questionLog }, settings);
  for (const q of qs) await answerQuestion(cachedOff, q, 'mention', 'warm-up', where);
  const cachedWithout: number[] = [];
  const cachedWith: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const q = qs[i % qs.length]!;
    for (const ctx of i % 2 ? [cachedOn, cachedOff] : [cachedOff, cachedOn]) {
      const start = now();
      await answerQuestion(ctx, q, 'mention', `user-${i % 50}`, where);
      (ctx === cachedOn ? cachedWith : cachedWithout).push(now() - start);
    }
    // Let timers (the log's batched writes) run between questions, as they would in the bot.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The only part on the answer's path: queueing a row (hashing the user included).
  const answer = await searcher.search(qs[0]!);
  const enqueue: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const start = now();
    questionLog.record({ via: 'mention', userId: `user-${i}`, answer, latencyMs: 1, ...where });
    enqueue.push(now() - start);
  }
  // Off the path, when the timer fires: one transaction per BATCH_ROWS rows.
  const flushStart = now();
  questionLog.flush();
  const flushMs = ((now() - flushStart) * BATCH_ROWS) / 1000;
  const rows = questionLog.read((db) => (db.prepare('SELECT count(*) AS n FROM questions').get() as { n: number }).n);
  questionLog.close();
  await embedder.close();
  await rm(dir, { recursive: true, force: true });
  return {
    rounds,
    answer_p50_ms_without: quantile(without, 0.5),
    answer_p50_ms_with: quantile(withLog, 0.5),
    // Median of the per-question differences (same question, back to back): less noisy than the difference of medians.
    answer_paired_diff_p50_ms: quantile(withLog.map((w, i) => w - without[i]!), 0.5),
    cached_answer_p50_ms_without: quantile(cachedWithout, 0.5),
    cached_answer_p50_ms_with: quantile(cachedWith, 0.5),
    answer_p95_ms_without: quantile(without, 0.95),
    answer_p95_ms_with: quantile(withLog, 0.95),
    record_enqueue_us_p50: 1000 * quantile(enqueue, 0.5),
    flush_batch_ms: flushMs,
    batch_rows: BATCH_ROWS,
    rows_written: rows,
  };
}

const result =
  mode === 'model' ? await model()
  : mode === 'build-real' ? await buildReal(args[0]!)
  : mode === 'build-synthetic' ? await buildSynthetic(args[0]!, Number(args[1]), args[2]!)
  : mode === 'serve' ? await serve(args[0]!)
  : mode === 'record' ? await record(args[0]!)
  : (() => { throw new Error(`unknown mode ${mode}`); })();
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
