// npm run --silent search -- --jsonl [--k N]
// Reads {"id", "question"} JSON lines on stdin; writes one result line per
// question, in order, and nothing else on stdout (diagnostics go to stderr).
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openSearch } from '../runtime/open.js';
import { prepareIndex } from '../runtime/prepare.js';
import { jsonHits } from '../retrieval/json.js';
import { noteOnStderr, runCli, UsageError } from './run.js';

const USAGE = 'Usage: npm run --silent search -- --jsonl [--k N]  (JSON lines {"id","question"} on stdin)';

await runCli(
  async (scope) => {
    const { values } = parseArgs({ strict: true, options: { jsonl: { type: 'boolean', default: false }, k: { type: 'string' } } });
    if (!values.jsonl) throw new UsageError('--jsonl is required');
    const k = values.k === undefined ? 5 : Number(values.k);
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new UsageError(`--k must be a whole number from 1 to 100, got "${values.k}"`);
    const config = loadConfig();
    await prepareIndex(config, noteOnStderr);
    const opened = await openSearch(config);
    scope.onExit(() => opened.close());
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      let request: unknown;
      try {
        request = JSON.parse(line);
      } catch {
        request = undefined;
      }
      // Any JSON value may arrive (null, a number, an array): only an object with a string question is a question.
      const fields = request !== null && typeof request === 'object' && !Array.isArray(request) ? (request as { id?: unknown; question?: unknown }) : undefined;
      if (!fields) console.error(`warning: line ${lineNo} is not a JSON object; answered as unanswerable`);
      const question = typeof fields?.question === 'string' ? fields.question : '';
      const answer = await opened.searcher.search(question, { k });
      process.stdout.write(JSON.stringify({ id: fields?.id ?? null, answerable: answer.answerable, verdict: answer.verdict, hits: jsonHits(answer, k) }) + '\n');
    }
  },
  { usage: USAGE },
);
