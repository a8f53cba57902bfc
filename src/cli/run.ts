// The one way out of every CLI command. Whatever happens, what the command
// opened (the embedding worker thread above all: left open, it keeps the
// process alive forever) is closed and the process exits; and a failure becomes
// a one-line message and a non-zero exit code, decided here and nowhere else.
import { ConfigError } from '../config.js';
import { CorpusError } from '../corpus/corpus.js';
import { IndexError } from '../index/manifest.js';
import type { PrepareNote } from '../runtime/prepare.js';

/** The command was called wrongly (bad option, missing question): exit 2 with the usage line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Errors about the operator's setup, not bugs: shown as their message. */
const EXPECTED = [ConfigError, IndexError, CorpusError, UsageError];
const EXPECTED_NAMES = new Set(EXPECTED.map((c) => c.name));

/** What the system said, as words an operator can act on. */
const SYSTEM_ERRORS: Record<string, (where: string) => string> = {
  EACCES: (where) => `permission denied on ${where}: check who owns it, or point the setting at a folder you can write`,
  EPERM: (where) => `operation not permitted on ${where}: check who owns it, or point the setting at a folder you can write`,
  EROFS: (where) => `${where} is on a read-only file system: point the setting at a writable folder`,
  ENOSPC: (where) => `no space left on the device holding ${where}: free some space and run again`,
  EDQUOT: (where) => `disk quota exceeded writing ${where}: free some space and run again`,
  EFBIG: (where) => `${where} would be larger than this process may write (ulimit -f): raise the limit and run again`,
  ENOENT: (where) => `${where} does not exist`,
  ENOTDIR: (where) => `${where} is not a folder`,
  EISDIR: (where) => `${where} is a folder, not a file`,
  EMFILE: () => 'too many open files: raise the limit (ulimit -n) and run again',
};

export interface Failure {
  /** What to print on stderr; null to exit quietly. */
  message: string | null;
  exitCode: number;
}

/** Exit status of a process whose reader went away (as if killed by SIGPIPE, like other Unix tools). */
export const EXIT_BROKEN_PIPE = 141;

export function explainFailure(error: unknown, usage?: string): Failure {
  const e = error as (Error & { code?: unknown; path?: unknown }) | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === 'EPIPE') return { message: null, exitCode: EXIT_BROKEN_PIPE };
  if (error instanceof UsageError || e?.name === UsageError.name || code?.startsWith('ERR_PARSE_ARGS')) {
    return { message: `error: ${e!.message}${usage ? `\n${usage}` : ''}`, exitCode: 2 };
  }
  // Errors from worker threads are rebuilt with their class (see src/errors.ts); the name check is a fallback.
  if (error instanceof Error && (EXPECTED.some((c) => error instanceof c) || EXPECTED_NAMES.has(error.name))) {
    return { message: `error: ${oneLine(error.message)}`, exitCode: 1 };
  }
  if (code && SYSTEM_ERRORS[code]) {
    const where = typeof e?.path === 'string' ? e.path : 'a file';
    return { message: `error: ${SYSTEM_ERRORS[code]!(where)} (${code}).`, exitCode: 1 };
  }
  // A bug: the stack is what a developer needs.
  return { message: `error: unexpected failure (a bug; please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, exitCode: 1 };
}

/** Setup problems are reported on one line (a multi-line config report keeps its list). */
function oneLine(message: string): string {
  return message.includes('\n  ') ? message : message.replace(/\s*\n\s*/g, ' ');
}

export interface CliScope {
  /** Registers something to close when the command ends, however it ends (last registered, first closed). */
  onExit(close: () => unknown): void;
}

export interface CliOptions {
  /** Printed after a usage error. */
  usage?: string;
}

/**
 * Runs a command, closes what it registered, and exits: 0 on success (or the
 * code `main` returns), else the failure's code. Never returns, so nothing left
 * open can keep the process alive.
 */
export async function runCli(main: (scope: CliScope) => Promise<void | number>, options: CliOptions = {}): Promise<never> {
  const closers: Array<() => unknown> = [];
  let exitCode = 0;
  // `… | head -1`: the reader went away; stop quietly instead of an unhandled EPIPE stack.
  let brokenPipe: (error: Error) => void = () => {};
  const pipeClosed = new Promise<never>((_, reject) => (brokenPipe = reject));
  pipeClosed.catch(() => {});
  // A failed write is reported after the write returns: a command that wrote its last line into
  // a closed pipe may finish before it hears, and must still not exit as if all was read.
  let outputLost: Error | null = null;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      outputLost ??= error;
      brokenPipe(error);
    });
  }
  try {
    exitCode = (await Promise.race([main({ onExit: (close) => closers.push(close) }), pipeClosed])) ?? 0;
  } catch (error) {
    const failure = explainFailure(error, options.usage);
    if (failure.message !== null) console.error(failure.message);
    exitCode = failure.exitCode;
  }
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch {
      // Closing is best effort: the exit below ends whatever is left.
    }
  }
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  // One turn of the event loop: a write's failure is reported on a later tick.
  await new Promise((resolve) => setImmediate(resolve));
  if (outputLost && exitCode === 0) exitCode = explainFailure(outputLost).exitCode;
  process.exit(exitCode);
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Index preparation notes (first build, updates, warnings) for a person: stderr, stdout stays the answer. */
export function noteOnStderr(note: PrepareNote): void {
  console.error(note.level === 'warn' ? `warning: ${note.message}` : note.message);
}
