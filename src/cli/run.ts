// Shared wrapper for CLI commands: known errors print a one-line message
// (what went wrong, what to do) and exit 1; anything else prints its stack.
import { ConfigError } from '../config.js';
import { CorpusError } from '../corpus/corpus.js';
import { IndexError } from '../index/manifest.js';

/** A command called with wrong arguments. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Errors about the operator's setup, not bugs: shown as one line. */
const EXPECTED = [ConfigError, IndexError, CorpusError, UsageError];
const EXPECTED_NAMES = new Set(EXPECTED.map((c) => c.name));

export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    // Errors from worker threads arrive as plain Errors carrying their original class name.
    if (error instanceof Error && (EXPECTED.some((c) => error instanceof c) || EXPECTED_NAMES.has(error.name))) console.error(`error: ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  }
}
