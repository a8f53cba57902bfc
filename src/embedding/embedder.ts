// Turns texts into normalised 512-d bge-small-zh vectors with a
// transformers.js feature-extraction pipeline (CLS pooling, as bge is trained).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { hasLocalModel, MODEL_DIMS } from './model-files.js';

/** bge's instruction for short queries retrieving passages (off by default: measured worse here). */
export const BGE_QUERY_INSTRUCTION = '为这个句子生成表示以用于检索相关文章：';

export interface EmbedderOptions {
  modelId: string;
  modelDir: string;
  queryInstruction?: boolean;
}

export interface Embedder {
  readonly modelId: string;
  readonly dims: number;
  /** Where the weights came from: the local folder, or the hub id. */
  readonly source: string;
  embedPassages(texts: string[], batchSize?: number): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function loadEmbedder(options: EmbedderOptions): Promise<Embedder> {
  let name: string;
  let source: string;
  if (hasLocalModel(options.modelDir)) {
    // transformers.js resolves local models as <localModelPath>/<name>.
    env.localModelPath = path.dirname(options.modelDir) + path.sep;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    name = path.basename(options.modelDir);
    source = options.modelDir;
  } else {
    if (existsSync(options.modelDir)) {
      throw new Error(`Model folder ${options.modelDir} is incomplete (needs tokenizer.json and onnx/model_quantized.onnx). Run "npm run fetch-model".`);
    }
    env.allowRemoteModels = true;
    name = options.modelId;
    source = `huggingface.co/${options.modelId}`;
  }
  const extractor: FeatureExtractionPipeline = await pipeline('feature-extraction', name, { dtype: 'q8', device: 'cpu' });
  const prefix = options.queryInstruction ? BGE_QUERY_INSTRUCTION : '';

  async function embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const output = await extractor(texts, { pooling: 'cls', normalize: true });
    const [rows, dims] = output.dims as [number, number];
    if (dims !== MODEL_DIMS) throw new Error(`Model produced ${dims}-d vectors, expected ${MODEL_DIMS}`);
    const data = output.data as Float32Array;
    const vectors: Float32Array[] = [];
    for (let r = 0; r < rows; r++) vectors.push(data.slice(r * dims, (r + 1) * dims));
    output.dispose?.();
    return vectors;
  }

  return {
    modelId: options.modelId,
    dims: MODEL_DIMS,
    source,
    async embedPassages(texts, batchSize = 16) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await embed(texts.slice(i, i + batchSize))));
      return out;
    },
    async embedQuery(text) {
      const [v] = await embed([prefix + text]);
      return v!;
    },
    async close() {
      await extractor.dispose();
    },
  };
}
