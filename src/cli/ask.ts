// npm run ask -- "问题" — the answer in the terminal: quoted passages with the
// best sentence marked, and a citation for each; or a plain "not found".
import { loadConfig } from '../config.js';
import { openSearch } from '../runtime/open.js';
import type { Answer, Citation, Hit } from '../retrieval/types.js';
import { runCli } from './run.js';

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s: string) => (useColour ? `\x1b[1m${s}\x1b[22m` : `【${s}】`);
const dim = (s: string) => (useColour ? `\x1b[2m${s}\x1b[22m` : s);

function citationLine(c: Citation): string {
  const number = c.reportNumber === null ? '' : ` (No. ${c.reportNumber})`;
  const link = c.sourceUrl ? ` — ${c.sourceUrl}` : '';
  return `《${c.title}》${number} · ${c.source} · 第${c.paragraph}段${link}`;
}

function quote(hit: Hit): string {
  const s = hit.bestSentence;
  if (!s) return hit.text;
  return hit.text.slice(0, s.start) + bold(hit.text.slice(s.start, s.end)) + hit.text.slice(s.end);
}

function formatAnswer(answer: Answer): string {
  const lines: string[] = [];
  if (answer.truncated) lines.push(dim(`(The question was long; only its first part was searched.)`), '');
  if (!answer.answerable) {
    lines.push(`Not found: ${answer.reason ?? 'the reports do not seem to answer this.'}`);
    lines.push('未找到：报告中似乎没有回答这个问题的内容。Try other words, or a place name.');
    return lines.join('\n');
  }
  answer.hits.forEach((hit, i) => {
    lines.push(`${i + 1}. “${quote(hit)}”`);
    lines.push(dim(`   — ${citationLine(hit)}`));
    for (const other of hit.alsoIn) lines.push(dim(`   (also in ${citationLine(other)})`));
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}

await runCli(async () => {
  const question = process.argv.slice(2).join(' ').trim();
  if (!question) throw new Error('Usage: npm run ask -- "你的问题"');
  const opened = await openSearch(loadConfig());
  const answer = await opened.searcher.search(question);
  console.log(formatAnswer(answer));
  await opened.close();
});
