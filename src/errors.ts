// Errors crossing a worker thread arrive as plain objects: structured clone
// keeps an Error's message but not its class, code or path. These helpers carry
// them across, so the receiving side can still tell a setup problem (one-line
// message) from a full disk or a bug.

export interface ErrorRecord {
  name: string;
  message: string;
  /** errno-style code (EACCES, ENOSPC…) when the error had one. */
  code?: string;
  path?: string;
  syscall?: string;
  stack?: string;
}

export function toErrorRecord(error: unknown): ErrorRecord {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const e = error as NodeJS.ErrnoException;
  const record: ErrorRecord = { name: e.name === 'Error' ? e.constructor.name : e.name, message: e.message, stack: e.stack };
  if (typeof e.code === 'string') record.code = e.code;
  if (typeof e.path === 'string') record.path = e.path;
  if (typeof e.syscall === 'string') record.syscall = e.syscall;
  return record;
}

/** Rebuilds an error, as an instance of `classes[record.name]` when given (so `instanceof` works again). */
export function fromErrorRecord(record: ErrorRecord, classes: ReadonlyArray<new (message: string) => Error> = []): Error {
  const Class = classes.find((c) => c.name === record.name);
  const error = Class ? new Class(record.message) : Object.assign(new Error(record.message), { name: record.name });
  if (record.code !== undefined) Object.assign(error, { code: record.code });
  if (record.path !== undefined) Object.assign(error, { path: record.path });
  if (record.syscall !== undefined) Object.assign(error, { syscall: record.syscall });
  if (record.stack) error.stack = record.stack;
  return error;
}
