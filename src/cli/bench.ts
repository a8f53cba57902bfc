// npm run bench [-- --json] [--sizes 10000,100000] (e.g. --sizes 100000,1000000: the 1M build takes hours on 2 cores)
// Speed, memory and recall with the real model and reports, then at synthetic
// sizes. Each step runs in a fresh process (src/bench/size.ts) so cold starts
// and peak memory are its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../config.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, sizes: { type: 'string', default: '10000,100000' } } });
const sizes = values.sizes!.split(',').filter(Boolean).map(Number);
const log = (line: string) => process.stderr.write(line + '\n');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
function step(...args: string[]): Json {
  log(`… ${args.join(' ').replace(work, '<tmp>')}`);
  const out = execFileSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(PROJECT_ROOT, 'src', 'bench', 'size.ts'), ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
    // Building a million passages holds the corpus and the keyword postings in the JS heap at once:
    // more than Node's default heap limit, so let a step use most of the machine's memory.
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${Math.floor((os.totalmem() / 2 ** 20) * 0.75)}`.trim() },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

try {
  const model = step('model');
  const realDir = path.join(work, 'real');
  const realBuild = step('build-real', realDir);
  const rows: Array<{ build: Json; serve: Json; synthetic: boolean }> = [{ build: realBuild, serve: step('serve', realDir), synthetic: false }];
  const recording = step('record', realDir);
  for (const n of sizes) {
    const dir = path.join(work, `synthetic-${n}`);
    rows.push({ build: step('build-synthetic', dir, String(n), realDir), serve: step('serve', dir), synthetic: true });
    rmSync(path.join(work, `data-${n}`), { recursive: true, force: true });
  }

  const real = rows[0]!.serve;
  const result = {
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    model_passages_per_s: model.model_passages_per_s,
    model_best_batch: model.best_batch,
    model_passages_per_s_by_batch: model.passages_per_s_by_batch,
    index_passages_per_s: realBuild.index_passages_per_s,
    index_to_model_ratio: realBuild.index_passages_per_s / model.model_passages_per_s,
    cold_start_ms: real.cold_start_ms,
    model_load_ms: real.model_load_ms,
    first_answer_ms: real.first_answer_ms,
    cached_answer_ms: real.cached_answer_ms,
    event_loop_lag_p99_ms: { indexing: realBuild.lag_indexing.p99, answering: real.lag_answering.p99 },
    event_loop_lag_max_ms: { indexing: realBuild.lag_indexing.max, answering: real.lag_answering.max },
    question_log: recording,
    sizes: rows.map(({ build, serve, synthetic }) => ({
      passages: serve.passages,
      synthetic,
      p50_ms: serve.latency_ms.total.p50,
      p95_ms: serve.latency_ms.total.p95,
      p99_ms: serve.latency_ms.total.p99,
      stages_p50_ms: Object.fromEntries(Object.entries(serve.latency_ms).map(([k, v]) => [k, (v as Json).p50])),
      recall_at_10: serve.recall_at_10,
      index_load_ms: serve.index_load_ms,
      cold_start_ms: serve.cold_start_ms,
      answering_lag_p99_ms: serve.lag_answering.p99,
      peak_rss_mb: serve.peak_rss_mb,
      index_bytes: serve.index_bytes,
      build_ms: build.build_ms,
      reindex_unchanged_ms: build.reindex_unchanged_ms ?? null,
    })),
    notes: 'Synthetic sizes: paragraphs recombined from real sentences; vectors are random mixes of two real passage embeddings plus Gaussian noise (σ=0.02 per dimension), renormalised — embedding 100k texts would take about an hour here. Queries are always embedded by the real model.',
  };

  if (values.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    const f = (x: number, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
    console.log(`Machine: ${result.machine.cpus} cores (${result.machine.cpu}), ${result.machine.memory_gb} GB, Node ${result.machine.node}`);
    console.log(`Model throughput (raw, batch ${result.model_best_batch}): ${f(result.model_passages_per_s)} passages/s; indexing pipeline: ${f(result.index_passages_per_s)} passages/s (${f(100 * result.index_to_model_ratio, 0)} % of raw)`);
    console.log(`Cold start to first answer: ${f(result.cold_start_ms, 0)} ms (model ${f(result.model_load_ms, 0)} ms, in parallel with the index); cached repeat answer: ${f(result.cached_answer_ms, 3)} ms`);
    console.log(`Event-loop lag p99 / max: indexing ${f(result.event_loop_lag_p99_ms.indexing)} / ${f(result.event_loop_lag_max_ms.indexing)} ms; 50 concurrent questions ${f(result.event_loop_lag_p99_ms.answering)} / ${f(result.event_loop_lag_max_ms.answering)} ms`);
    const q = result.question_log;
    console.log(
      `Question log (SQLite): answer p50 ${f(q.answer_p50_ms_with)} ms with, ${f(q.answer_p50_ms_without)} ms without (${q.rounds} questions each, interleaved; median paired difference ${f(q.answer_paired_diff_p50_ms, 2)} ms); repeated (cached) answers ${f(q.cached_answer_p50_ms_with, 3)} ms with, ${f(q.cached_answer_p50_ms_without, 3)} ms without; queueing a row ${f(q.record_enqueue_us_p50)} µs; writing a batch of ${q.batch_rows} rows ${f(q.flush_batch_ms)} ms, after the replies`,
    );
    console.log('');
    console.log('| passages | p50 ms | p95 ms | p99 ms | embed / vector / keyword / fuse+format p50 ms | recall@10 | index load ms | peak RSS MB | index MB | re-index unchanged ms |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const s of result.sizes) {
      const st = s.stages_p50_ms as Record<string, number>;
      console.log(`| ${s.passages}${s.synthetic ? ' (synthetic)' : ''} | ${f(s.p50_ms)} | ${f(s.p95_ms)} | ${f(s.p99_ms)} | ${f(st.embed!)} / ${f(st.vector!, 2)} / ${f(st.keyword!)} / ${f(st.fuse_format!)} | ${f(s.recall_at_10, 3)} | ${f(s.index_load_ms, 0)} | ${f(s.peak_rss_mb, 0)} | ${f(s.index_bytes / 2 ** 20)} | ${s.reindex_unchanged_ms === null ? '-' : f(s.reindex_unchanged_ms, 0)} |`);
    }
    console.log('');
    console.log(result.notes);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
