// npm run --silent search -- --jsonl [--k N]
// Reads {"id", "question"} JSON lines on stdin; writes one result line per
// question, in order, and nothing else on stdout (diagnostics go to stderr).
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openSearch } from '../runtime/open.js';
import { jsonHits } from '../retrieval/json.js';
import { runCli } from './run.js';

await runCli(async () => {
  const { values } = parseArgs({ options: { jsonl: { type: 'boolean', default: false }, k: { type: 'string' } } });
  if (!values.jsonl) throw new Error('Usage: npm run --silent search -- --jsonl [--k N]  (JSON lines {"id","question"} on stdin)');
  const k = values.k === undefined ? 5 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new Error(`--k must be a whole number from 1 to 100, got "${values.k}"`);
  const config = loadConfig();
  const opened = await openSearch(config);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (!line.trim()) continue;
    let request: { id?: unknown; question?: unknown };
    try {
      request = JSON.parse(line);
    } catch {
      console.error(`warning: line ${lineNo} is not JSON; answered as unanswerable`);
      request = {};
    }
    const question = typeof request.question === 'string' ? request.question : '';
    const answer = await opened.searcher.search(question, { k });
    process.stdout.write(JSON.stringify({ id: request.id ?? null, answerable: answer.answerable, hits: jsonHits(answer, k) }) + '\n');
  }
  await opened.close();
});
