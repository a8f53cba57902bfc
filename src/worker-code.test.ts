import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { workerEntry } from './worker-code.js';

describe('workerEntry', () => {
  it('bundles a TypeScript worker into one plain JavaScript file that starts without a TypeScript loader', async () => {
    const fallback = new URL('./embedding/worker-entry.mjs', import.meta.url);
    const entry = await workerEntry(new URL('./embedding/worker.ts', import.meta.url), fallback);
    expect(entry.href).not.toBe(fallback.href);
    expect(entry.pathname).toMatch(/node_modules\/\.cache\/report-qa-bot\/worker-[0-9a-f]{16}\.mjs$/);
    const code = await readFile(fileURLToPath(entry), 'utf8');
    // Its own modules are inlined (no .ts import left); packages stay imports, resolved from node_modules.
    expect(code).not.toMatch(/from ["'][^"']*\.(ts|js)["']/);
    expect(code).toContain('@huggingface/transformers');
    expect(code).toContain('toErrorRecord');
    // The same source gives the same file.
    expect((await workerEntry(new URL('./embedding/worker.ts', import.meta.url), fallback)).href).toBe(entry.href);

    // It runs as a worker: given a folder without a model (so nothing is downloaded), it reports the failure as worker.ts does.
    const worker = new Worker(entry, { workerData: { modelId: 'none/none', modelDir: tmpdir(), queryInstruction: false } });
    try {
      const message = await new Promise<{ failed?: { message: string } }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(message.failed?.message).toMatch(/is incomplete.*npm run fetch-model/);
    } finally {
      await worker.terminate();
    }
  }, 60_000);

  it('falls back to the given entry when the source cannot be bundled', async () => {
    const fallback = new URL('./embedding/worker-entry.mjs', import.meta.url);
    expect((await workerEntry(new URL('./no-such-worker.ts', import.meta.url), fallback)).href).toBe(fallback.href);
  });
});
