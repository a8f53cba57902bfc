// /source: the asked paragraph as a block quote, with the end of the one before and the start
// of the one after (plain) for context, and buttons to move along the report.
import type { Paragraph, Report } from '../../corpus/types.js';
import { button, buttonRow, COLOUR, fitEscaped, LIMITS, safeUrl, type BotMessage } from './common.js';
import { labels, type Lang } from './i18n.js';
import { blockQuote, quotePassage } from './quote.js';
import { printable } from '../../text/printable.js';

/** Characters of each neighbour shown for context. */
const NEIGHBOUR = 150;
/** Characters of the asked paragraph before it is cut (the rest via "Full paragraph"). */
const MAIN = 3000;

export interface SourceIds {
  go(paragraph: number): string;
  full(paragraph: number): string;
}

export function sourceView(report: Report, paragraphs: { previous?: Paragraph; current: Paragraph; next?: Paragraph }, lang: Lang, ids: SourceIds): BotMessage {
  const t = labels(lang);
  const { previous, current, next } = paragraphs;
  const main = quotePassage(current.text, null, null, MAIN);
  const sections: string[] = [];
  if (previous) {
    const end = { start: previous.text.length - 1, end: previous.text.length };
    sections.push(`-# ${t.before} · ${t.paragraph(previous.number)}\n${quotePassage(previous.text, end, null, NEIGHBOUR).body}`);
  }
  sections.push(`**${t.paragraph(current.number)}**\n${blockQuote(main.body)}`);
  if (next) sections.push(`-# ${t.after} · ${t.paragraph(next.number)}\n${quotePassage(next.text, null, null, NEIGHBOUR).body}`);
  const url = safeUrl(report.sourceUrl);
  const footer = `${report.number === null ? '' : `${t.reportNumber(report.number)} · `}${t.paragraphOf(current.number, report.paragraphCount)}`;
  const buttons = [
    ...(previous ? [button(ids.go(previous.number), `◀ ${t.paragraph(previous.number)}`)] : []),
    ...(next ? [button(ids.go(next.number), `${t.paragraph(next.number)} ▶`)] : []),
    ...(main.cut ? [button(ids.full(current.number), `${t.fullParagraph} · ${t.paragraph(current.number)}`)] : []),
  ];
  return {
    content: '',
    embeds: [{ title: fitEscaped(`《${printable(report.title)}》`, LIMITS.title), ...(url ? { url } : {}), description: sections.join('\n\n').slice(0, LIMITS.description), color: COLOUR, footer: { text: footer } }],
    components: buttonRow(buttons),
  };
}
