// Where the embedding model lives on disk and how we know it is the right one.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MODEL_WEIGHTS = path.join('onnx', 'model_quantized.onnx');
/** sha256 of Xenova/bge-small-zh-v1.5 `onnx/model_quantized.onnx` (q8). */
export const MODEL_SHA256 = '15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc';
export const MODEL_DIMS = 512;

export function weightsPath(modelDir: string): string {
  return path.join(modelDir, MODEL_WEIGHTS);
}

export function hasLocalModel(modelDir: string): boolean {
  return existsSync(weightsPath(modelDir)) && existsSync(path.join(modelDir, 'tokenizer.json'));
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const fingerprints = new Map<string, Promise<string>>();

/** Where the weights' sha256 is remembered with the size and time it was worked out for. */
const FINGERPRINT_FILE = '.sha256.json';

/**
 * Identifies the model an index was built with: the weights' sha256, or the
 * hub id when not local. Hashing the weights takes ~0.15 s, on every start:
 * the hash is kept beside them and reused while their size and modification
 * time are unchanged (as the index does for report files).
 */
export function modelFingerprint(modelId: string, modelDir: string): Promise<string> {
  if (!hasLocalModel(modelDir)) return Promise.resolve(`hub:${modelId}`);
  let fp = fingerprints.get(modelDir);
  if (!fp) {
    fp = rememberedSha256(weightsPath(modelDir), path.join(modelDir, FINGERPRINT_FILE));
    fingerprints.set(modelDir, fp);
  }
  return fp;
}

export async function rememberedSha256(file: string, record: string): Promise<string> {
  const info = await stat(file);
  const known = await readFile(record, 'utf8').then((text) => JSON.parse(text) as { size: number; mtimeMs: number; sha256: string }).catch(() => null);
  if (known && known.size === info.size && known.mtimeMs === info.mtimeMs && /^[0-9a-f]{64}$/.test(known.sha256)) return known.sha256;
  const sha256 = await sha256File(file);
  // A read-only model folder just means hashing again next time.
  await writeFile(record, JSON.stringify({ size: info.size, mtimeMs: info.mtimeMs, sha256 })).catch(() => undefined);
  return sha256;
}
