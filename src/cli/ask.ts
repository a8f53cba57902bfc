// npm run ask -- "问题" — the answer in the terminal: quoted passages with the
// answering phrase marked (or the best sentence, for a description), and a
// citation for each; for "related", what the reports lack and the closest
// passages; or a plain "not found".
import { spawn } from 'node:child_process';
import os from 'node:os';
import { text } from 'node:stream/consumers';
import { loadConfig } from '../config.js';
import { openSearch } from '../runtime/open.js';
import { prepareIndex } from '../runtime/prepare.js';
import type { Answer, Citation, Hit } from '../retrieval/types.js';
import { printable } from '../text/printable.js';
import { noteOnStderr, runCli, UsageError } from './run.js';

const USAGE = 'Usage: npm run ask -- "你的问题"   (or the question on stdin: echo "你的问题" | npm run ask)';
/**
 * onnxruntime crashes (SIGSEGV) creating its session when the process's argv is
 * over ~14 KB, whatever the code does with it: a question longer than this is
 * handed to a fresh process on stdin, and only that process starts the model.
 */
const MAX_ARGV_BYTES = 4096;

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s: string) => (useColour ? `\x1b[1m${s}\x1b[22m` : `【${s}】`);
const dim = (s: string) => (useColour ? `\x1b[2m${s}\x1b[22m` : s);

function citationLine(c: Citation): string {
  const number = c.reportNumber === null ? '' : ` (No. ${c.reportNumber})`;
  const link = c.sourceUrl ? ` — ${printable(c.sourceUrl)}` : '';
  return `《${printable(c.title)}》${number} · ${printable(c.source)} · 第${c.paragraph}段${link}`;
}

function quote(hit: Hit): string {
  const s = hit.answerSpan ?? hit.bestSentence;
  if (!s) return hit.text;
  return hit.text.slice(0, s.start) + bold(hit.text.slice(s.start, s.end)) + hit.text.slice(s.end);
}

function formatAnswer(answer: Answer): string {
  const lines: string[] = [];
  if (answer.truncated) lines.push(dim(`(The question was long; only its first part was searched.)`), '');
  if (answer.verdict === 'none') {
    lines.push(`Not found: ${answer.reason ?? 'the reports do not seem to answer this.'}`);
    lines.push('未找到：报告中似乎没有回答这个问题的内容。Try other words, or a place name.');
    return lines.join('\n');
  }
  if (answer.verdict === 'related') {
    lines.push(`Not answered: ${answer.reason ?? 'the reports discuss this but do not give the detail asked for.'}`, '', dim('Related passages:'));
  }
  const more = answer.hits.length - answer.shown;
  answer.hits.slice(0, answer.shown).forEach((hit, i) => {
    lines.push(`${i + 1}. “${quote(hit)}”`);
    lines.push(dim(`   — ${citationLine(hit)}`));
    for (const other of hit.alsoIn) lines.push(dim(`   (also in ${citationLine(other)})`));
    lines.push('');
  });
  if (more > 0) lines.push(dim(`(${more} more result${more > 1 ? 's' : ''}: use /ask in Discord for "more results")`));
  return lines.join('\n').trimEnd();
}

/** Runs this command again without the long argv, the question on stdin; resolves with its exit code. */
function askInFreshProcess(question: string): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!], { stdio: ['pipe', 'inherit', 'inherit'] });
  child.stdin.end(question);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  });
}

await runCli(
  async (scope) => {
    const args = process.argv.slice(2);
    const fromArgs = args.join(' ').trim();
    if (Buffer.byteLength(fromArgs) > MAX_ARGV_BYTES) {
      return askInFreshProcess(fromArgs);
    }
    const question = args.length > 0 ? fromArgs : process.stdin.isTTY ? '' : (await text(process.stdin)).trim();
    if (!question) throw new UsageError('no question given');
    const config = loadConfig();
    await prepareIndex(config, noteOnStderr);
    const opened = await openSearch(config);
    scope.onExit(() => opened.close());
    const answer = await opened.searcher.search(question);
    console.log(formatAnswer(answer));
  },
  { usage: USAGE },
);
