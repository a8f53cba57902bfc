// Names that come from files (report file names, titles) are shown in the
// terminal and in Discord. A newline in a file name would start a new line there
// (a fake "warning:" line), an escape sequence would drive the terminal, a bidi
// override would reverse what follows: every such character is shown as an
// escape instead. One function, used by the CLI and the bot alike.

/** C0 and C1 controls, line and paragraph separators, bidirectional embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character replaced by a visible escape (`\n`, `\u{1b}`…). */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
