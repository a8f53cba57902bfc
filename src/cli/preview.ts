// npm run preview [-- --out DIR] [--dev] — writes what the bot would send for a fixed set of
// replies (the same views and controls as the bot, on the real index) as discord-render
// conversations, then renders them at 900 and 400 px when the render tool and Chromium are there.
//   --dev   also every fact question of test/fixtures/questions.dev.jsonl, then their heights on a
//           400 px screen and citation shares; exits 1 when an answer is taller than --max-height
//           (default 900 px) or citations exceed 25 %
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { answerControls } from '../bot/commands/ask.js';
import { withFeedback } from '../bot/feedback.js';
import { regionMessage } from '../bot/commands/region.js';
import { sourceView } from '../bot/commands/source.js';
import { createView, type IndexView } from '../bot/context.js';
import { answerView, moreResultsView, firstHits } from '../bot/views/answer.js';
import type { BotMessage } from '../bot/views/common.js';
import { helpView } from '../bot/views/help.js';
import { langFromLocale, langOfText, type Lang } from '../bot/views/i18n.js';
import { citationShare } from '../bot/views/measure.js';
import { regionsListView } from '../bot/views/region.js';
import { loadConfig, PROJECT_ROOT } from '../config.js';
import { RESULTS_PER_QUESTION } from '../bot/question-flow.js';
import { openSearch } from '../runtime/open.js';
import { summariseRegion } from '../summaries/summary.js';
import { runCli } from './run.js';

/** discord-render's conversation format: what the user did, then the bot's message bodies. */
interface Conversation {
  title: string;
  user: string;
  command?: string;
  text?: string;
  channel?: string;
  messages: Array<Record<string, unknown>>;
}

const body = (m: BotMessage, ephemeral = false): Record<string, unknown> => ({
  content: m.content ?? '',
  embeds: m.embeds ?? [],
  components: m.components ?? [],
  allowed_mentions: { parse: [] },
  ...(ephemeral ? { flags: 64 } : {}),
});

/** The 👍/👎 row's question id (any well-formed one: nothing is recorded). */
const FEEDBACK_ID = 'preview00000';

export interface Preview {
  name: string;
  conversation: Conversation;
}

/** The fixed set: what README's screenshots and a reviewer look at. */
async function fixedSet(view: IndexView): Promise<Preview[]> {
  const ask = async (name: string, question: string, locale: string): Promise<Preview> => {
    const lang = langFromLocale(locale);
    const answer = await view.searcher.search(question, { k: RESULTS_PER_QUESTION });
    const first = withFeedback(answerView({ answer, lang, style: 'embed', controls: answerControls(view, 'preview000') }), FEEDBACK_ID);
    const messages = [body(first)];
    const shown = firstHits(answer.hits).length;
    if (answer.answerable && answer.hits.length > shown) messages.push(body(moreResultsView(answer, shown, lang, answerControls(view, 'preview000')), true));
    return { name, conversation: { title: `${name} (${locale})`, user: 'alice', command: `/ask question:${question}`, messages } };
  };
  const mention = async (name: string, question: string): Promise<Preview> => {
    const lang = langOfText(question);
    const answer = await view.searcher.search(question, { k: RESULTS_PER_QUESTION });
    const reply = withFeedback(answerView({ answer, lang, style: 'text', controls: answerControls(view, 'preview000') }), FEEDBACK_ID);
    return { name, conversation: { title: name, user: 'alice', text: `@Report QA ${question}`, messages: [body(reply)] } };
  };
  const slash = (name: string, command: string, message: BotMessage, ephemeral = false): Preview => ({
    name,
    conversation: { title: name, user: 'alice', command, messages: [body(message, ephemeral)] },
  });
  const zh: Lang = 'zh-CN';
  const reportFile = view.store.reports.find((r) => r.paragraphCount >= 5)?.file ?? view.store.reports[0]!.file;
  return [
    await ask('fact-zh', '北京第二批主题教育涉及多少党员和党组织？', 'zh-CN'),
    await ask('fact-en', 'When did Inner Mongolia issue the implementation plan for the second batch?', 'en-US'),
    await ask('fact-zh-tw', '北京市第二批部署會議是哪天開的？', 'zh-TW'),
    await ask('unanswerable', '广东第二批主题教育部署会议是哪天开的？', 'zh-CN'),
    await ask('broad', '各地第二批主题教育是怎样整改群众反映的问题的？', 'zh-CN'),
    await mention('mention-zh', '雄安新区召开了什么会议？'),
    slash('region', '/region name:河北', regionMessage(view, summariseRegion(view.store, '河北'), zh)),
    slash('region-en', '/region name:Inner Mongolia', regionMessage(view, summariseRegion(view.store, 'Inner Mongolia'), 'en')),
    slash('regions', '/regions', regionsListView(view.covered(), zh)),
    slash('source', `/source report:${reportFile} paragraph:4`, sourceView(view, view.reportIndex(reportFile), 4, zh)!),
    slash('help', '/help', helpView(zh), true),
    slash('help-en', '/help', helpView('en'), true),
  ];
}

/** Every fact question of the dev set as an /ask answer (zh-CN for Chinese questions, en-US otherwise). */
async function devFacts(view: IndexView): Promise<Preview[]> {
  const lines = (await readFile(path.join(PROJECT_ROOT, 'test/fixtures/questions.dev.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const out: Preview[] = [];
  for (const line of lines) {
    const q = JSON.parse(line) as { id: string; kind: string; question: string; lang: string };
    if (q.kind !== 'fact') continue;
    const locale = q.lang === 'zh' ? 'zh-CN' : 'en-US';
    const answer = await view.searcher.search(q.question, { k: RESULTS_PER_QUESTION });
    const message = withFeedback(answerView({ answer, lang: langFromLocale(locale), style: 'embed', controls: answerControls(view, 'preview000') }), FEEDBACK_ID);
    out.push({ name: `dev-${q.id}`, conversation: { title: q.id, user: 'alice', command: `/ask question:${q.question}`, messages: [body(message)] } });
  }
  return out;
}

function renderTool(): string | null {
  const candidates = [process.env.DISCORD_RENDER, path.join(PROJECT_ROOT, '../shared/tools/discord-render/render.mjs')].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? null;
}

await runCli(async () => {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = path.resolve(outAt >= 0 && args[outAt + 1] ? args[outAt + 1]! : path.join(PROJECT_ROOT, 'preview'));
  const opened = await openSearch(loadConfig());
  try {
    const view = createView(opened.searcher);
    const previews = [...(await fixedSet(view)), ...(args.includes('--dev') ? await devFacts(view) : [])];
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    for (const p of previews) await writeFile(path.join(out, `${p.name}.json`), `${JSON.stringify(p.conversation, null, 2)}\n`);
    console.log(`wrote ${previews.length} payloads to ${path.relative(process.cwd(), out) || '.'}`);
  } finally {
    await opened.close();
  }
  const tool = renderTool();
  if (!tool) {
    console.log('discord-render not found (set DISCORD_RENDER=/path/to/render.mjs): payloads written, not rendered');
    return;
  }
  const result = spawnSync(process.execPath, [tool, out, '--out', out, '--width', '900,400'], { stdio: 'inherit', cwd: PROJECT_ROOT });
  if (result.status !== 0) process.exitCode = result.status ?? 1;
  if (args.includes('--dev')) checkDev(out, Number(args[args.indexOf('--max-height') + 1] ?? '') || 900);
});

/** A PNG's height, from its IHDR chunk. */
function pngHeight(file: string): number {
  return readFileSync(file).readUInt32BE(20);
}

/** Heights at 400 px and citation shares of the dev answers; a failing exit code when over the limits. */
function checkDev(out: string, maxHeight: number): void {
  const rows: Array<{ name: string; height: number; share: number }> = [];
  for (const p of readdirSync(out).filter((n) => /^dev-.*\.json$/.test(n))) {
    const name = p.replace(/\.json$/, '');
    const conversation = JSON.parse(readFileSync(path.join(out, p), 'utf8')) as Conversation;
    const png = path.join(out, `${name}.mobile.png`);
    if (!existsSync(png)) continue;
    rows.push({ name, height: pngHeight(png), share: citationShare(conversation.messages[0] as BotMessage).share });
  }
  if (rows.length === 0) return;
  const heights = rows.map((r) => r.height).sort((a, b) => a - b);
  const shares = rows.map((r) => r.share).sort((a, b) => a - b);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  console.log(`dev fact answers at 400 px: ${rows.length}, height median ${heights[rows.length >> 1]} px, max ${heights.at(-1)} px (limit ${maxHeight}); citations median ${pct(shares[rows.length >> 1]!)}, max ${pct(shares.at(-1)!)} (limit 25 %)`);
  const over = rows.filter((r) => r.height > maxHeight || r.share > 0.25);
  for (const r of over) console.log(`  over: ${r.name} ${r.height} px, citations ${pct(r.share)}`);
  if (over.length > 0) process.exitCode = 1;
}

