// npm run index — build or update the index in INDEX_DIR from the reports in DATA_DIR.
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { buildIndexInThread } from '../index/build-thread.js';
import { printable } from '../text/printable.js';
import { runCli } from './run.js';

await runCli(async () => {
  const config = loadConfig();
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    { format: 'Embedding passages [{bar}] {value}/{total} ({percentage}%) eta {eta_formatted}', hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  const result = await buildIndexInThread(
    { dataDir: config.dataDir, indexDir: config.indexDir, modelId: config.modelId, modelDir: config.modelDir },
    (event) => {
      if (event.phase === 'read') {
        console.error(`Read ${event.reports} report(s): ${event.paragraphs} paragraphs, ${event.passages} passages.`);
      } else if (event.phase === 'embed') {
        if (!barStarted) {
          // The bar draws only on a terminal; logs and pipes get this line.
          console.error(`Embedding ${event.total} new or changed passage(s)…`);
          bar.start(event.total, 0);
        }
        barStarted = true;
        bar.update(event.done);
      } else {
        if (barStarted) bar.stop();
        barStarted = false;
        if (event.phase === 'graph' && event.done === 0) console.error(`Linking ${event.total} vectors into the search graph…`);
      }
    },
  );
  for (const { file, reason } of result.skipped) console.error(`warning: skipped ${printable(file)}: ${printable(reason)}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.upToDate) {
    console.log(`Index is up to date (${result.manifest.counts.passages} passages) — nothing to do (${seconds} s).`);
  } else {
    console.log(
      `Indexed ${result.manifest.counts.reports} report(s), ${result.manifest.counts.passages} passages ` +
        `(${result.embedded} embedded, ${result.reused} reused) into ${config.indexDir} in ${seconds} s.`,
    );
  }
});
