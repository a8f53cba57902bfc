// A paragraph in full (the passage menu and /source's "Full paragraph"): split over several
// embeds when it is very long, within Discord's 6000-character total.
import type { Paragraph, Report } from '../../corpus/types.js';
import { chunkQuote } from '../chunk.js';
import { COLOUR, escapeText, fitEscaped, LIMITS, safeUrl, type BotMessage } from './common.js';
import { labels, type Lang } from './i18n.js';
import { printable } from '../../text/printable.js';

export function fullParagraphView(report: Report, paragraph: Paragraph, lang: Lang): BotMessage {
  const t = labels(lang);
  const title = fitEscaped(`《${printable(report.title)}》 · ${t.paragraph(paragraph.number)}`, LIMITS.title);
  const footer = `${report.number === null ? '' : `${t.reportNumber(report.number)} · `}${t.paragraphOf(paragraph.number, report.paragraphCount)}`;
  const parts = chunkQuote(paragraph.text, { size: LIMITS.description - 4, total: LIMITS.embedsTotal - title.length - footer.length - 200, chunks: LIMITS.embeds }, escapeText);
  const url = safeUrl(report.sourceUrl);
  const embeds = parts.map((text, i) => ({
    ...(i === 0 ? { title, ...(url ? { url } : {}) } : {}),
    description: `>>> ${text}`,
    color: COLOUR,
    ...(i === parts.length - 1 ? { footer: { text: footer } } : {}),
  }));
  return { content: '', embeds, components: [] };
}
