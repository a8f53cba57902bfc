// Vitest global setup: every temporary folder a test (or a process it starts)
// makes lives under one root, removed when the run ends — a run leaves nothing
// behind in /tmp, whichever test created what.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'report-qa-test-'));
  // os.tmpdir() reads TMPDIR on every call; test workers and their children inherit it.
  process.env.TMPDIR = root;
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}
