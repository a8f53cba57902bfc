// The one place that turns answers, paragraphs and region summaries into
// Discord messages. Everything the bot sends is built here, so Discord's limits
// (which discord.js does not check: an oversize message is a 400 and the user
// sees nothing) and the no-ping rule are enforced in one place.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type MessageMentionOptions,
} from 'discord.js';
import { splitSentences } from '../text/text.js';
import type { Paragraph, Report } from '../corpus/types.js';
import type { Region } from '../places/lookup.js';
import type { RegionSummary } from '../summaries/summary.js';
import type { Answer, Citation, Hit, Span } from '../retrieval/types.js';
import { MAX_CUSTOM_ID, pageId, paraId, sourceId } from './custom-ids.js';

/** Discord's limits (https://discord.com/developers/docs/resources/message, …/interactions). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedsTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: MAX_CUSTOM_ID,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Sent with every message: text quoted from reports or echoed from users never pings anyone. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** A message body before it is sent (reply, edit or update). */
export interface BotMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: ButtonRow[];
}

const COLOUR = 0xc0392b;
const ELLIPSIS = '…';

// ---------------------------------------------------------------------------------------------
// Text safety

/** Characters that are markdown anywhere in a line. */
const MARKDOWN = new Set(['\\', '*', '_', '~', '`', '|', '[', ']']);
/** Characters that are markdown at the start of a line (headings, quotes, lists, subtext). */
const LINE_START = new Set(['#', '>', '-', '+']);
const isAsciiWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/**
 * Escapes Discord markdown and breaks mentions (a zero-width space after the @ or <@),
 * for anything quoted from a report or echoed from a user. allowed_mentions already stops
 * pings; this also stops text from rendering as a mention, spoiler, code or link.
 *
 * Covers what discord.js escapeMarkdown (all options on) escapes, plus "> " quotes, "-#"
 * subtext and "]", but is linear: escapeMarkdown is quadratic (≈0.2 s for 5 000 characters,
 * 3 s for 20 000), which a long paragraph or a hostile message would turn into a stalled bot.
 */
export function escapeText(text: string): string {
  let out = '';
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    // An underscore between ASCII letters or digits never starts italics: keep file names readable.
    if (c === '_' && isAsciiWord(text[i - 1]) && isAsciiWord(text[i + 1])) out += c;
    else if (MARKDOWN.has(c) || (lineStart && LINE_START.has(c))) out += `\\${c}`;
    else out += c;
    lineStart = c === '\n' || (lineStart && (c === ' ' || c === '\t'));
  }
  // "1. item" at a line start is a numbered list.
  return neutraliseMentions(out.replace(/^([ \t]*\d+)\./gm, '$1\\.'));
}

export function neutraliseMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<(@[!&]?|#|\/|t:|a?:)/g, '<$1\u200b');
}

const codePoints = (s: string): string[] => Array.from(s);

/**
 * Escaped text no longer than `max` (UTF-16 units, which is never less than Discord's
 * code-point count), cut with an ellipsis when needed.
 */
export function fitEscaped(raw: string, max: number): string {
  if (raw.length <= max) {
    const full = escapeText(raw);
    if (full.length <= max) return full;
  }
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  // Escaping never shortens text, so at most `max` code points can fit: search only those.
  const chars = codePoints(raw.slice(0, max * 2)).slice(0, max);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeText(chars.slice(0, mid).join('')).length + ELLIPSIS.length <= max) lo = mid;
    else hi = mid - 1;
  }
  return escapeText(chars.slice(0, lo).join('').trimEnd()) + ELLIPSIS;
}

/** A user's question as shown back to them: one line, escaped, bounded. */
export function echo(question: string, max: number): string {
  return fitEscaped(question.replace(/\s+/g, ' ').trim(), max);
}

// ---------------------------------------------------------------------------------------------
// Quotes and citations

/** A quote of `text` in “…” with the best sentence in bold, within `budget` characters. */
export interface Excerpt {
  text: string;
  /** True when part of the passage was left out. */
  cut: boolean;
}

/**
 * Quotes a passage verbatim (escaped), best sentence in bold. When it does not fit
 * the budget, keeps whole sentences around the best one and marks the cuts with "…";
 * only a single sentence longer than the budget is cut mid-sentence.
 */
export function excerpt(text: string, best: Span | null, budget: number, options: { bold?: boolean } = {}): Excerpt {
  const bold = options.bold !== false && best !== null && best.text.length > 0 && text.slice(best.start, best.end) === best.text;
  const render = (start: number, end: number): string => {
    const body = bold && best!.start >= start && best!.end <= end
      ? `${escapeText(text.slice(start, best!.start))}**${escapeText(best!.text)}**${escapeText(text.slice(best!.end, end))}`
      : escapeText(text.slice(start, end));
    return `“${start > 0 ? ELLIPSIS : ''}${body}${end < text.length ? ELLIPSIS : ''}”`;
  };
  const whole = render(0, text.length);
  if (whole.length <= budget) return { text: whole, cut: false };

  const sentences = splitSentences(text)
    .map((s) => trimSpan(text, s.start, s.end))
    .filter((s) => s.end > s.start);
  if (sentences.length === 0) return { text: `“${fitEscaped(text, Math.max(1, budget - 2))}”`, cut: true };
  let centre = bold ? sentences.findIndex((s) => best!.start < s.end) : 0;
  if (centre < 0) centre = 0;
  let lo = centre;
  let hi = centre + 1;
  const windowText = (a: number, b: number) => render(sentences[a]!.start, sentences[b - 1]!.end);
  if (windowText(lo, hi).length > budget) {
    // One sentence is already too long: cut inside it.
    const s = sentences[centre]!;
    const room = budget - 2 - (s.start > 0 ? 1 : 0) - (bold ? 4 : 0);
    const inner = fitEscaped(text.slice(s.start, s.end), Math.max(1, room));
    const body = bold ? `**${inner}**` : inner;
    return { text: `“${s.start > 0 ? ELLIPSIS : ''}${body}”`, cut: true };
  }
  // Grow the window one sentence at a time, after first (it usually continues the thought).
  for (let grew = true; grew; ) {
    grew = false;
    if (hi < sentences.length && windowText(lo, hi + 1).length <= budget) {
      hi++;
      grew = true;
    }
    if (lo > 0 && windowText(lo - 1, hi).length <= budget) {
      lo--;
      grew = true;
    }
  }
  return { text: windowText(lo, hi), cut: true };
}

function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}

type LinkStyle = 'markdown' | 'angle';

/** 《title》 (No. n) · file · 第N段, with a link when the report has one. */
export function citation(c: Citation, links: LinkStyle, maxTitle = 80): string {
  const title = fitEscaped(c.title, maxTitle);
  const number = c.reportNumber === null ? '' : ` (No. ${c.reportNumber})`;
  const file = escapeText(c.source);
  const url = safeUrl(c.sourceUrl);
  // The title is escaped, brackets included, so it cannot end the link text early.
  if (url && links === 'markdown') return `[《${title}》](${url})${number} · ${file} · 第${c.paragraph}段`;
  return `《${title}》${number} · ${file} · 第${c.paragraph}段${url ? ` · <${url}>` : ''}`;
}

/** Other reports carrying the same passage: short citations, a count beyond two. */
function alsoInLines(hit: Hit, links: LinkStyle): string[] {
  const shown = 2;
  const lines = hit.alsoIn.slice(0, shown).map((c) => `（另见 also in ${citation(c, links, 40)}）`);
  if (hit.alsoIn.length > shown) lines.push(`（另见 also in ${hit.alsoIn.length - shown} more）`);
  return lines;
}

/**
 * A passage's citation lines. "compact" (when citations would crowd out the quotes) keeps
 * title, file and paragraph but drops the link and lists copies elsewhere only by count.
 */
type Detail = 'full' | 'compact';
function citationLines(hit: Hit, links: LinkStyle, detail: Detail): string {
  if (detail === 'full') return [`— ${citation(hit, links)}`, ...alsoInLines(hit, links)].join('\n');
  const line = `— ${citation({ ...hit, sourceUrl: null }, links, 40)}`;
  return hit.alsoIn.length > 0 ? `${line}\n（另见 also in ${hit.alsoIn.length} more）` : line;
}

/**
 * Shares `total` characters among blocks: each gets what it needs, and when they do not
 * all fit, the longest are capped equally (water-filling) so short passages stay whole.
 */
export function allocate(needs: number[], total: number): number[] {
  const sum = needs.reduce((a, b) => a + b, 0);
  if (sum <= total) return needs;
  const sorted = [...needs].sort((a, b) => a - b);
  let remaining = total;
  let cap = 0;
  for (let i = 0; i < sorted.length; i++) {
    const share = Math.floor(remaining / (sorted.length - i));
    if (sorted[i]! > share) {
      cap = share;
      break;
    }
    remaining -= sorted[i]!;
    cap = sorted[i]!;
  }
  return needs.map((n) => Math.min(n, cap));
}

/** One cited passage as a block of text within `budget`. */
function hitBlock(hit: Hit, number: number, budget: number, links: LinkStyle, detail: Detail): { text: string; cut: boolean } {
  const cite = citationLines(hit, links, detail);
  const head = `**${number}.** `;
  const room = Math.max(40, budget - head.length - cite.length - 1);
  const quote = excerpt(hit.text, hit.bestSentence, room);
  return { text: `${head}${quote.text}\n${cite}`, cut: quote.cut };
}

function hitBlocks(hits: Hit[], firstNumber: number, total: number, links: LinkStyle): { blocks: string[]; cut: boolean[] } {
  const separator = 2;
  // Quotes are the answer: when full citations would take over 40% of the room, shorten them.
  const citations = hits.reduce((n, h) => n + citationLines(h, links, 'full').length, 0);
  const detail: Detail = citations > total * 0.4 ? 'compact' : 'full';
  const needs = hits.map((h, i) => hitBlock(h, firstNumber + i, Number.MAX_SAFE_INTEGER, links, detail).text.length);
  const budgets = allocate(needs, total - separator * Math.max(0, hits.length - 1));
  const rendered = hits.map((h, i) => hitBlock(h, firstNumber + i, budgets[i]!, links, detail));
  // A block whose citation alone exceeds its share is dropped rather than breaking the limit.
  const blocks: string[] = [];
  const cut: boolean[] = [];
  let used = 0;
  for (const r of rendered) {
    const add = r.text.length + (blocks.length ? separator : 0);
    if (used + add > total) break;
    blocks.push(r.text);
    cut.push(r.cut);
    used += add;
  }
  return { blocks, cut };
}

// ---------------------------------------------------------------------------------------------
// Answers

export interface AnswerPage {
  answer: Answer;
  /** 0-based page shown. */
  page: number;
  pageSize: number;
  maxPages: number;
  /** Key of the remembered question, for page buttons (null: no page buttons). */
  key: string | null;
  reportIndex(file: string): number;
}

const TRUNCATED_NOTE = '（问题较长，只搜索了前一部分。The question was long; only its first part was searched.）';

function pageInfo(p: AnswerPage): { hits: Hit[]; pages: number; first: number } {
  const available = Math.min(p.answer.hits.length, p.pageSize * p.maxPages);
  const pages = Math.max(1, Math.ceil(available / p.pageSize));
  const first = p.page * p.pageSize;
  return { hits: p.answer.hits.slice(first, Math.min(first + p.pageSize, available)), pages, first };
}

/** "Not found": said plainly, with the reason and what to try; never quotes weak matches. */
export function notFoundMessage(answer: Answer): BotMessage {
  const reason = answer.reason ? fitEscaped(answer.reason, 500) : '报告中似乎没有回答这个问题的内容。The reports do not seem to answer this.';
  const lines = [
    `**未找到答案 · Not found:** 「${echo(answer.question, 300)}」`,
    `原因 Reason: ${reason}`,
    '可以换个说法再问，或用 `/region` 查看报告里关于某个地区的内容（`/regions` 列出报告涉及的地区）。',
    'Try other wording, or `/region` for what the reports say about a place (`/regions` lists the places covered).',
  ];
  if (answer.truncated) lines.push(TRUNCATED_NOTE);
  return { content: lines.join('\n') };
}

function noMoreMessage(): BotMessage {
  return { content: '没有更多结果了。No more results.' };
}

/** An answer as plain content (replies to mentions and DMs): within 2000 characters. */
export function answerText(p: AnswerPage): BotMessage {
  if (!p.answer.answerable) return notFoundMessage(p.answer);
  const { hits, pages, first } = pageInfo(p);
  if (hits.length === 0) return noMoreMessage();
  const head = p.answer.truncated ? `${TRUNCATED_NOTE}\n\n` : '';
  const foot = `\n\n-# 第${p.page + 1}/${pages}页 · Page ${p.page + 1} of ${pages} · 摘自报告原文 quoted verbatim from the reports`;
  const { blocks } = hitBlocks(hits, first + 1, LIMITS.content - head.length - foot.length, 'angle');
  return { content: `${head}${blocks.join('\n\n')}${foot}`, embeds: [], components: answerButtons(p, hits.slice(0, blocks.length), first, pages) };
}

/** An answer as an embed (/ask): quotes in the description, buttons for full paragraphs and pages. */
export function answerEmbed(p: AnswerPage): BotMessage {
  if (!p.answer.answerable) return { ...notFoundMessage(p.answer), embeds: [], components: [] };
  const { hits, pages, first } = pageInfo(p);
  if (hits.length === 0) return { ...noMoreMessage(), embeds: [], components: [] };
  const { blocks, cut } = hitBlocks(hits, first + 1, LIMITS.description - (p.answer.truncated ? TRUNCATED_NOTE.length + 2 : 0), 'markdown');
  const description = (p.answer.truncated ? `${TRUNCATED_NOTE}\n\n` : '') + blocks.join('\n\n');
  const footer = [
    `第${p.page + 1}/${pages}页 · Page ${p.page + 1} of ${pages}`,
    cut.some(Boolean) ? '长段落已节选，点“全文”看完整段落 · Long passages are excerpted: use “Full paragraph”' : '摘自报告原文 · Quoted verbatim from the reports',
  ].join(' · ');
  const embed: APIEmbed = {
    title: `问 Q：${echo(p.answer.question, LIMITS.title - 5)}`,
    description,
    color: COLOUR,
    footer: { text: footer },
  };
  return { content: '', embeds: [embed], components: answerButtons(p, hits.slice(0, blocks.length), first, pages) };
}

function button(customId: string, label: string, style: ButtonStyle = ButtonStyle.Secondary): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, style, custom_id: customId, label: label.slice(0, LIMITS.buttonLabel) } as APIButtonComponentWithCustomId;
}

function rowsOf(buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** "Full paragraph" buttons for distinct cited paragraphs (custom ids must be unique). */
function paragraphButtons(cited: Array<{ source: string; paragraph: number; label: string }>, reportIndex: (file: string) => number): APIButtonComponentWithCustomId[] {
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const c of cited) {
    const report = reportIndex(c.source);
    if (report < 0) continue;
    const id = paraId(report, c.paragraph);
    if (seen.has(id)) continue;
    seen.add(id);
    buttons.push(button(id, c.label));
    if (buttons.length === LIMITS.buttonsPerRow) break;
  }
  return buttons;
}

function answerButtons(p: AnswerPage, hits: Hit[], first: number, pages: number): ButtonRow[] {
  const paragraphs = paragraphButtons(
    hits.map((h, i) => ({ source: h.source, paragraph: h.paragraph, label: `全文 ${first + i + 1} · Full paragraph ${first + i + 1}` })),
    p.reportIndex,
  );
  const paging: APIButtonComponentWithCustomId[] = [];
  if (p.key !== null) {
    if (p.page > 0) paging.push(button(pageId(p.key, p.page - 1), '◀ 上一页 Previous'));
    if (p.page + 1 < pages) paging.push(button(pageId(p.key, p.page + 1), '更多结果 More results ▶', ButtonStyle.Primary));
  }
  return [...rowsOf(paragraphs), ...rowsOf(paging)];
}

// ---------------------------------------------------------------------------------------------
// Paragraphs (/source and the "Full paragraph" button)

/** A paragraph quoted in full (split over several embeds if it is very long). */
export function fullParagraphMessage(report: Report, paragraph: Paragraph): BotMessage {
  const title = fitEscaped(`《${report.title}》 · 第${paragraph.number}段`, LIMITS.title);
  const footer = `${report.file} · 第${paragraph.number}段 / 共${report.paragraphCount}段 · paragraph ${paragraph.number} of ${report.paragraphCount}`;
  const parts = chunkQuote(paragraph.text, LIMITS.description, LIMITS.embedsTotal - title.length - footer.length - 200);
  const embeds: APIEmbed[] = parts.map((text, i) => ({
    ...(i === 0 ? { title, ...(safeUrl(report.sourceUrl) ? { url: safeUrl(report.sourceUrl)! } : {}) } : {}),
    description: text,
    color: COLOUR,
    ...(i === parts.length - 1 ? { footer: { text: footer } } : {}),
  }));
  return { content: '', embeds, components: [] };
}

/**
 * Escaped text in chunks of at most `size` (one per embed), `total` in all, split at sentence
 * ends; a sentence longer than a chunk is split inside. Text beyond `total` is cut with "…".
 */
function chunkQuote(text: string, size: number, total: number): string[] {
  const pieces: string[] = [];
  for (const sentence of splitSentences(text)) {
    let rest = codePoints(sentence.text);
    while (rest.length > 0) {
      let n = rest.length;
      while (n > 1 && escapeText(rest.slice(0, n).join('')).length > size - 1) n = Math.floor(n * 0.9);
      pieces.push(escapeText(rest.slice(0, n).join('')));
      rest = rest.slice(n);
    }
  }
  const chunks: string[] = [];
  let current = '';
  let used = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const reserve = i === pieces.length - 1 ? 0 : ELLIPSIS.length;
    if (used + piece.length + reserve > total) {
      if (current.length + ELLIPSIS.length > size) {
        chunks.push(current);
        current = '';
      }
      current += ELLIPSIS;
      break;
    }
    if (current.length + piece.length > size) {
      chunks.push(current);
      current = '';
    }
    current += piece;
    used += piece.length;
  }
  if (current) chunks.push(current);
  return chunks.length > 0 ? chunks.slice(0, LIMITS.embeds) : [ELLIPSIS];
}

/** Only plain http(s) links of sane length are shown: a link is not worth the room of a quote. */
function safeUrl(url: string | null): string | null {
  return url && /^https?:\/\/[^\s<>()]+$/.test(url) && url.length <= 300 ? url : null;
}

/** /source: a paragraph with its neighbours for context, and buttons to move along the report. */
export function sourceMessage(report: Report, reportIndex: number, paragraphs: { previous?: Paragraph; current: Paragraph; next?: Paragraph }): BotMessage {
  const { previous, current, next } = paragraphs;
  const mainHead = `**第${current.number}段 · Paragraph ${current.number}**\n`;
  const prevHead = previous ? `*第${previous.number}段（上文 before）*\n` : '';
  const nextHead = next ? `*第${next.number}段（下文 after）*\n` : '';
  const fixed = mainHead.length + prevHead.length + nextHead.length + 4 * 2;
  const room = LIMITS.description - fixed;
  // The asked-for paragraph comes first; neighbours share what is left.
  const mainNeed = excerpt(current.text, null, Number.MAX_SAFE_INTEGER, { bold: false }).text.length;
  const mainBudget = Math.min(mainNeed, Math.max(room - 600, Math.floor(room * 0.7)));
  const main = excerpt(current.text, null, mainBudget, { bold: false });
  const neighbourNeeds = [previous, next].map((p) => (p ? excerpt(p.text, null, Number.MAX_SAFE_INTEGER, { bold: false }).text.length + 2 : 0));
  const [prevBudget, nextBudget] = allocate(neighbourNeeds, room - main.text.length);
  const quoteBlock = (p: Paragraph | undefined, budget: number) => (p && budget > 10 ? `> ${excerpt(p.text, null, budget - 2, { bold: false }).text}` : '');
  const sections = [
    previous && prevBudget! > 10 ? prevHead + quoteBlock(previous, prevBudget!) : '',
    mainHead + main.text,
    next && nextBudget! > 10 ? nextHead + quoteBlock(next, nextBudget!) : '',
  ].filter(Boolean);
  const url = safeUrl(report.sourceUrl);
  const embed: APIEmbed = {
    title: fitEscaped(`《${report.title}》`, LIMITS.title),
    ...(url ? { url } : {}),
    description: sections.join('\n\n'),
    color: COLOUR,
    footer: {
      text: `${report.file}${report.number === null ? '' : ` · No. ${report.number}`} · 第${current.number}段 / 共${report.paragraphCount}段${main.cut ? ' · 段落过长已节选，点“全文” · excerpted: use “Full paragraph”' : ''}`,
    },
  };
  const buttons: APIButtonComponentWithCustomId[] = [];
  if (previous) buttons.push(button(sourceId(reportIndex, previous.number), `◀ 第${previous.number}段`));
  if (next) buttons.push(button(sourceId(reportIndex, next.number), `第${next.number}段 ▶`));
  if (main.cut) buttons.push(button(paraId(reportIndex, current.number), `全文 Full paragraph ${current.number}`));
  return { content: '', embeds: [embed], components: rowsOf(buttons) };
}

// ---------------------------------------------------------------------------------------------
// Regions

export function regionLabel(region: Region): string {
  const latin = region.english[0] ?? region.pinyin;
  return latin ? `${region.name} · ${latin}` : region.name;
}

/** An autocomplete choice: "河北 · Hebei (23 段)", at most 100 characters. */
export function regionChoice(region: Region, paragraphs: number): { name: string; value: string } {
  const province = region.level > 1 ? `，${region.province}` : '';
  const name = `${regionLabel(region)} (${paragraphs} 段${province})`;
  return { name: truncatePlain(name, LIMITS.choiceName), value: region.name.slice(0, LIMITS.choiceValue) };
}

/** Plain (unescaped) text cut to a limit, for fields Discord shows literally (choices, labels). */
export function truncatePlain(text: string, max: number): string {
  const chars = codePoints(text);
  if (chars.length <= max && text.length <= max) return text;
  let out = '';
  for (const c of chars) {
    if (out.length + c.length + ELLIPSIS.length > max) break;
    out += c;
  }
  return out + ELLIPSIS;
}

/** Lines joined until a budget, then "…and N more". */
function listWithin(lines: string[], max: number, separator = '\n'): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const more = `${separator}…及其他 ${lines.length - i} 项 and ${lines.length - i} more`;
    const next = out ? `${out}${separator}${lines[i]}` : lines[i]!;
    const reserve = i < lines.length - 1 ? more.length : 0;
    if (next.length + reserve > max) return out ? out + more : truncateLine(lines[i]!, max);
    out = next;
  }
  return out;
}

/** A line of already-escaped text cut to fit; never ends in a lone backslash that would escape the "…". */
function truncateLine(line: string, max: number): string {
  return line.length <= max ? line : truncatePlain(line, max).replace(/\\+…$/, ELLIPSIS);
}

/** /region: what the reports say about a region, every sentence quoted with its citation. */
export function regionSummaryMessage(summary: RegionSummary, reportIndex: (file: string) => number): BotMessage {
  const region = summary.region!;
  if (summary.paragraphs.length === 0) {
    return {
      content: [
        `报告中没有提到 **${escapeText(region.name)}**（${escapeText(regionLabel(region))}）。`,
        `The reports do not mention ${escapeText(region.english[0] ?? region.pinyin)}.`,
        '用 `/regions` 查看报告涉及的地区 · `/regions` lists the regions the reports cover.',
      ].join('\n'),
      embeds: [],
      components: [],
    };
  }
  const title = fitEscaped(
    region.level === 1 ? `地区 Region：${regionLabel(region)}` : `地区 Region：${regionLabel(region)}（${summary.province ?? region.province}）`,
    LIMITS.title,
  );
  const fields: APIEmbedField[] = [];
  fields.push({ name: '省份 Province', value: escapeText(summary.province ?? region.province), inline: true });
  fields.push({
    name: '提及 Mentions',
    value: `${summary.paragraphs.length} 段 · ${summary.reports.length} 份报告\n${summary.paragraphs.length} paragraphs in ${summary.reports.length} reports`,
    inline: true,
  });
  fields.push({
    name: '报告 Reports',
    value: listWithin(
      summary.reports.map((r) => `《${fitEscaped(r.title, 80)}》 · ${escapeText(r.source)} — ${r.paragraphs} 段`),
      LIMITS.fieldValue,
    ),
  });
  if (summary.places.length > 0) {
    fields.push({
      name: '地名 Places named',
      value: listWithin(summary.places.map((p) => `${escapeText(p.name)} (${p.paragraphs})`), LIMITS.fieldValue, ' · '),
    });
  }
  const footer = '每句均摘自报告原文 · Every sentence is quoted verbatim from the reports';
  const fixed = title.length + footer.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const room = Math.min(LIMITS.description, LIMITS.embedsTotal - fixed - 50);
  const head = '**摘要 Summary**\n';
  const sentences = summary.summary;
  const blockOf = (s: RegionSummary['summary'][number], i: number, budget: number) => {
    const cite = `— ${citation({ source: s.source, title: s.title, paragraph: s.paragraph, reportNumber: null, sourceUrl: null }, 'markdown')}`;
    const quote = excerpt(s.text, null, Math.max(30, budget - cite.length - 8), { bold: false });
    return `**${i + 1}.** ${quote.text}\n${cite}`;
  };
  const needs = sentences.map((s, i) => blockOf(s, i, Number.MAX_SAFE_INTEGER).length);
  const budgets = allocate(needs, room - head.length - 2 * sentences.length);
  let description = head;
  sentences.forEach((s, i) => {
    const block = blockOf(s, i, budgets[i]!);
    if (description.length + block.length + 2 <= room) description += (i ? '\n\n' : '') + block;
  });
  const embed: APIEmbed = { title, description, color: COLOUR, fields, footer: { text: footer } };
  const buttons = paragraphButtons(
    sentences.map((s, i) => ({ source: s.source, paragraph: s.paragraph, label: `全文 ${i + 1} · Full paragraph ${i + 1}` })),
    reportIndex,
  );
  return { content: '', embeds: [embed], components: rowsOf(buttons) };
}

/** /region with a name that is no region: suggestions instead. */
export function unknownRegionMessage(query: string, suggestions: string[]): BotMessage {
  const lines = [`找不到地区「${echo(query, 100)}」。Unknown region "${echo(query, 100)}".`];
  if (suggestions.length > 0) lines.push(`您是不是要找 Did you mean: ${suggestions.slice(0, 10).map((s) => escapeText(s)).join(' · ')}`);
  lines.push('可以用中文、拼音或英文输入，例如 `/region name:河北`、`Hebei`、`石家庄`。`/regions` 列出报告涉及的地区。');
  lines.push('Chinese, pinyin or English names work, e.g. `/region name:Inner Mongolia`. `/regions` lists the regions covered.');
  return { content: lines.join('\n') };
}

/** /regions: regions the reports cover with paragraph counts, places grouped under their province. */
export function regionsListMessage(covered: ReadonlyArray<{ region: Region; paragraphs: number; reports: number }>): BotMessage {
  if (covered.length === 0) return { content: '报告中没有识别出任何地区。No regions were found in the reports.' };
  const provinces = covered.filter((c) => c.region.level === 1);
  const placesByProvince = new Map<string, string[]>();
  for (const c of covered) {
    if (c.region.level === 1) continue;
    const list = placesByProvince.get(c.region.province) ?? [];
    list.push(`${escapeText(c.region.name)} ${c.paragraphs}`);
    placesByProvince.set(c.region.province, list);
  }
  const lines = provinces.map((c) => {
    const places = placesByProvince.get(c.region.name);
    const line = `**${escapeText(c.region.name)}** ${escapeText(c.region.english[0] ?? c.region.pinyin)} — ${c.paragraphs} 段 · ${c.reports} 份报告`;
    return places ? `${line}\n　${listWithin(places, 300, ' · ')}` : line;
  });
  const embed: APIEmbed = {
    title: '报告涉及的地区 · Regions covered by the reports',
    description: listWithin(lines, LIMITS.description),
    color: COLOUR,
    footer: { text: '段 = paragraphs mentioning the region (its cities included) · /region name:<地区> for a summary' },
  };
  return { content: '', embeds: [embed] };
}

// ---------------------------------------------------------------------------------------------
// Help and errors

export function helpMessage(): BotMessage {
  const description = [
    '**中文**',
    '这个机器人只用报告原文回答：每段引文都注明报告标题、文件和段落号。',
    '• `/ask question:北京第二批主题教育涉及多少党员？` — 提问，回答是报告原文，最相关的一句加粗；按钮可查看更多结果或完整段落。',
    '• 在频道里 @机器人 加上问题，或直接私信提问，也会得到回答。',
    '• `/region name:河北` — 报告中关于某地区的摘要（也支持 石家庄、Hebei、Inner Mongolia）。',
    '• `/regions` — 报告涉及的地区及段落数。',
    '• `/source report:<报告> paragraph:3` — 查看某段全文及上下文。',
    '• `/reindex` — 管理员（需“管理服务器”权限）：在后台根据报告文件重建索引，期间照常回答。',
    '找不到答案时机器人会直说，不会用不相关的段落充数。',
    '',
    '**English**',
    'This bot answers only with verbatim quotes from the reports, each cited with report title, file and paragraph number.',
    '• `/ask question:How many party members are in Beijing\'s second batch?` — the best sentence is in bold; buttons show more results or the full paragraph.',
    '• Mention the bot with a question in a channel, or send it a DM.',
    '• `/region name:Hebei` — what the reports say about a region (Chinese, pinyin or English names).',
    '• `/regions` — regions covered, with paragraph counts.',
    '• `/source report:<report> paragraph:3` — a paragraph in full with its neighbours.',
    '• `/reindex` — operators (Manage Server): rebuild the index from the report files in the background; answering continues meanwhile.',
    'When nothing answers, the bot says so instead of quoting weak matches.',
  ].join('\n');
  return { content: '', embeds: [{ title: '使用说明 · How to use', description, color: COLOUR }] };
}

export function errorMessage(text = '出错了，请稍后再试。Something went wrong; please try again.'): BotMessage {
  return { content: text.slice(0, LIMITS.content) };
}

// ---------------------------------------------------------------------------------------------
// Limits check (a last line of defence, and what tests assert)

/** Every Discord limit a message body breaks; empty when it is fine to send. */
export function limitViolations(message: BotMessage): string[] {
  const problems: string[] = [];
  const len = (s: string | undefined) => (s === undefined ? 0 : s.length);
  if (len(message.content) > LIMITS.content) problems.push(`content ${len(message.content)} > ${LIMITS.content}`);
  const embeds = message.embeds ?? [];
  if (embeds.length > LIMITS.embeds) problems.push(`${embeds.length} embeds`);
  let total = 0;
  embeds.forEach((e, i) => {
    const check = (what: string, s: string | undefined, max: number) => {
      total += len(s);
      if (len(s) > max) problems.push(`embed ${i} ${what} ${len(s)} > ${max}`);
    };
    check('title', e.title, LIMITS.title);
    check('description', e.description, LIMITS.description);
    check('footer', e.footer?.text, LIMITS.footer);
    check('author', e.author?.name, LIMITS.authorName);
    if ((e.fields ?? []).length > LIMITS.fields) problems.push(`embed ${i} has ${e.fields!.length} fields`);
    for (const f of e.fields ?? []) {
      if (!f.name || !f.value) problems.push(`embed ${i} has an empty field`);
      check('field name', f.name, LIMITS.fieldName);
      check('field value', f.value, LIMITS.fieldValue);
    }
  });
  if (total > LIMITS.embedsTotal) problems.push(`embeds total ${total} > ${LIMITS.embedsTotal}`);
  const rows = message.components ?? [];
  if (rows.length > LIMITS.rows) problems.push(`${rows.length} rows`);
  const ids = new Set<string>();
  for (const row of rows) {
    if (row.components.length < 1 || row.components.length > LIMITS.buttonsPerRow) problems.push(`row with ${row.components.length} buttons`);
    for (const b of row.components) {
      if (b.custom_id.length > LIMITS.customId) problems.push(`custom id ${b.custom_id.length} > ${LIMITS.customId}`);
      if (ids.has(b.custom_id)) problems.push(`duplicate custom id ${b.custom_id}`);
      ids.add(b.custom_id);
      if (len(b.label) > LIMITS.buttonLabel) problems.push(`button label too long`);
    }
  }
  const empty = !message.content && embeds.length === 0 && rows.length === 0;
  if (empty) problems.push('empty message');
  return problems;
}
