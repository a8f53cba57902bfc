// Synthetic corpora for scale benchmarks, built from the real reports:
// paragraphs of recombined real sentences (realistic keyword statistics), and
// vectors that are real passage embeddings perturbed with small noise and
// renormalised (embedding 100k texts would take an hour on 2 cores).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Embedder } from '../embedding/embedder.js';
import { splitSentences } from '../text/text.js';

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `passages` paragraphs of 2–4 recombined real sentences as plain-text reports of 1000 paragraphs each. */
export async function writeSyntheticReports(dir: string, paragraphs: string[], passages: number, seed = 1): Promise<void> {
  const rand = random(seed);
  const sentences = paragraphs.flatMap((p) => splitSentences(p).map((s) => s.text.trim())).filter((s) => s.length >= 8 && s.length <= 150);
  await mkdir(dir, { recursive: true });
  const perFile = 1000;
  for (let file = 0; file * perFile < passages; file++) {
    const lines = [`合成报告 ${file + 1}`];
    for (let i = file * perFile; i < Math.min(passages, (file + 1) * perFile); i++) {
      const count = 2 + Math.floor(rand() * 3);
      // A serial number keeps every paragraph distinct, as in a real collection.
      lines.push(Array.from({ length: count }, () => sentences[Math.floor(rand() * sentences.length)]).join('') + `（第${i + 1}条）`);
    }
    await writeFile(path.join(dir, `synthetic-${String(file + 1).padStart(4, '0')}.txt`), lines.join('\n') + '\n');
  }
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/**
 * Stand-in for the model when indexing synthetic text: a point between two
 * real passage vectors (a random mix), plus noise (σ per dimension),
 * renormalised. Mixing spreads the points over the space real embeddings
 * occupy; noise alone around 82 real vectors would put 100k points in 82 tight
 * balls of near-equal distances, which no real collection looks like.
 */
export function perturbedEmbedder(real: Float32Array[], dims: number, sigma = 0.02, seed = 7): Embedder {
  const rand = random(seed);
  const perturb = (): Float32Array => {
    const a = real[Math.floor(rand() * real.length)]!;
    const b = real[Math.floor(rand() * real.length)]!;
    const mix = rand();
    const v = new Float32Array(dims);
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      v[i] = mix * a[i]! + (1 - mix) * b[i]! + sigma * gaussian(rand);
      norm += v[i]! * v[i]!;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dims; i++) v[i] = v[i]! / norm;
    return v;
  };
  return {
    modelId: 'synthetic',
    dims,
    source: 'synthetic (perturbed real embeddings)',
    embedPassages: async (texts) => texts.map(perturb),
    embedQuery: async () => perturb(),
    close: async () => {},
  };
}
