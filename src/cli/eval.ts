// npm run eval [-- --data DIR] [--file F …] [--verbose] [--set name=value …]
// Retrieval quality on question sets with gold passages: Hit@1, Recall@5 and
// MRR@10 per kind of question; how well the verdict is decided, whether the
// answer span marks the gold words, and the shown-quotes cut. With
// --data the folder is indexed into a temporary index first (the configured
// index is left alone); --set overrides any retrieval option (options.ts).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT, type Config } from '../config.js';
import { buildIndexInThread } from '../index/build-thread.js';
import { evaluate, formatReport, parseQuestions, summarize } from '../retrieval/evaluate.js';
import { defaultRetrievalOptions, type RetrievalOptions } from '../retrieval/options.js';
import { openSearch } from '../runtime/open.js';
import { runCli, UsageError } from './run.js';

const OPTION_NAMES = Object.keys(defaultRetrievalOptions) as Array<keyof RetrievalOptions>;

function parseSettings(pairs: string[]): Partial<RetrievalOptions> {
  const settings: Partial<RetrievalOptions> = {};
  for (const pair of pairs) {
    const [name, value] = pair.split('=');
    if (!OPTION_NAMES.includes(name as keyof RetrievalOptions) || value === undefined || !Number.isFinite(Number(value))) {
      throw new UsageError(`--set ${pair}: expected name=number with name one of ${OPTION_NAMES.join(', ')}`);
    }
    settings[name as keyof RetrievalOptions] = Number(value);
  }
  return settings;
}

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      file: { type: 'string', multiple: true },
      verbose: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true, default: [] },
    },
  });
  const files = values.file?.length ? values.file : [path.join(PROJECT_ROOT, 'test', 'fixtures', 'questions.dev.jsonl')];
  const settings = parseSettings(values.set!);
  let config: Config = loadConfig();
  let temporary: string | null = null;
  if (values.data) {
    temporary = await mkdtemp(path.join(os.tmpdir(), 'eval-index-'));
    config = { ...config, dataDir: path.resolve(values.data), indexDir: temporary };
    const result = await buildIndexInThread({ dataDir: config.dataDir, indexDir: config.indexDir, modelId: config.modelId, modelDir: config.modelDir });
    console.error(`Indexed ${result.manifest.counts.reports} report(s), ${result.manifest.counts.passages} passages from ${values.data}.`);
  }
  const opened = await openSearch(config, settings);
  try {
    for (const file of files) {
      const rows = await evaluate(opened.searcher, parseQuestions(await readFile(file, 'utf8')));
      if (values.verbose) {
        for (const row of rows) {
          const wrong = row.unanswerable ? row.saidAnswerable : row.hit1 === 0 || !row.saidAnswerable || row.spanHit === false || row.lostByCut > 0;
          if (!wrong) continue;
          const reason = row.reason ? ` (${row.reason})` : '';
          console.log(`✗ ${row.question.id} [${row.kind}] ${row.question.question}  verdict=${row.verdict}${reason} firstGoldRank=${row.firstGoldRank} shown=${row.shown}${row.lostByCut ? ` lostByCut=${row.lostByCut}` : ''}`);
          row.top.forEach((h, i) => console.log(`    ${i + 1}. ${h.source}#${h.paragraph}${h.span ? ` ⟨${h.span}⟩` : ''} ${h.text.slice(0, 60)}`));
        }
      }
      const answerable = rows.filter((r) => !r.unanswerable).length;
      console.log(formatReport(`Questions: ${rows.length} (${answerable} answerable) from ${file}`, summarize(rows)));
      if (files.length > 1) console.log('');
    }
  } finally {
    await opened.close();
    if (temporary) await rm(temporary, { recursive: true, force: true });
  }
});
