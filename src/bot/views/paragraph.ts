// A paragraph in full (the passage menu and /source's "Full paragraph"): split over several
// embeds when it is very long, within Discord's 6000-character total.
import type { Paragraph, Report } from '../../corpus/types.js';
import { splitSentences } from '../../text/text.js';
import { codePoints, COLOUR, ELLIPSIS, escapeText, fitEscaped, LIMITS, safeUrl, type BotMessage } from './common.js';
import { labels, type Lang } from './i18n.js';

export function fullParagraphView(report: Report, paragraph: Paragraph, lang: Lang): BotMessage {
  const t = labels(lang);
  const title = fitEscaped(`《${report.title}》 · ${t.paragraph(paragraph.number)}`, LIMITS.title);
  const footer = `${report.number === null ? '' : `${t.reportNumber(report.number)} · `}${t.paragraphOf(paragraph.number, report.paragraphCount)}`;
  const parts = chunkQuote(paragraph.text, LIMITS.description - 4, LIMITS.embedsTotal - title.length - footer.length - 200);
  const url = safeUrl(report.sourceUrl);
  const embeds = parts.map((text, i) => ({
    ...(i === 0 ? { title, ...(url ? { url } : {}) } : {}),
    description: `>>> ${text}`,
    color: COLOUR,
    ...(i === parts.length - 1 ? { footer: { text: footer } } : {}),
  }));
  return { content: '', embeds, components: [] };
}

/**
 * Escaped text in chunks of at most `size` (one per embed), `total` in all, split at sentence
 * ends; a sentence longer than a chunk is split inside. Text beyond `total` is cut with "…".
 */
export function chunkQuote(text: string, size: number, total: number): string[] {
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

