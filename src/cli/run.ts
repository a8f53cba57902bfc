// Shared wrapper for CLI commands: known errors print a one-line message
// (what went wrong, what to do) and exit 1; anything else prints its stack.
import { ConfigError } from '../config.js';
import { IndexError } from '../index/manifest.js';

export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof IndexError) console.error(`error: ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  }
}
