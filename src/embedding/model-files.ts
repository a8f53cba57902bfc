// Where the embedding model lives on disk and how we know it is the right one.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
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

/** Identifies the model an index was built with: the weights' sha256, or the hub id when not local. */
export function modelFingerprint(modelId: string, modelDir: string): Promise<string> {
  if (!hasLocalModel(modelDir)) return Promise.resolve(`hub:${modelId}`);
  let fp = fingerprints.get(modelDir);
  if (!fp) {
    fp = sha256File(weightsPath(modelDir));
    fingerprints.set(modelDir, fp);
  }
  return fp;
}
