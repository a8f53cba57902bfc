// npm run fetch-model [-- --if-missing]
// Also run by `npm install`/`npm ci` (postinstall, with --if-missing): there a
// failure only warns, since real users can still load the model from the hub.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { fetchModel } from '../embedding/fetch-model.js';
import { hasLocalModel, MODEL_SHA256, sha256File, weightsPath } from '../embedding/model-files.js';

const { values } = parseArgs({ options: { 'if-missing': { type: 'boolean', default: false } } });
const ifMissing = values['if-missing'];
const config = loadConfig();

if (hasLocalModel(config.modelDir) && (await sha256File(weightsPath(config.modelDir))) === MODEL_SHA256) {
  console.log(`Embedding model already present in ${config.modelDir}.`);
} else {
  try {
    await fetchModel(config.modelDir, (line) => console.log(line));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (ifMissing) {
      console.warn(`warning: could not install the embedding model locally (${message}).\n` +
        `It will be downloaded from the Hugging Face hub on first use; or run "npm run fetch-model" later.`);
    } else {
      console.error(`error: ${message}`);
      process.exitCode = 1;
    }
  }
}
