// What a reader sees of a message, and how much of it is citation: used by the tests on real
// payloads and by `npm run preview` (README reports the numbers).
import type { BotMessage } from './common.js';

/** Markdown as read: link targets, bold marks, subtext/quote prefixes and escapes removed; no whitespace. */
export function visibleText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\(<?[^)>]*>?\)/g, '$1')
    .replace(/^(-# |> |>>> )/gm, '')
    .replace(/\*\*/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, '');
}

/** Characters of the Sources block and the [n] tags against all visible characters (title included). */
export function citationShare(message: BotMessage): { total: number; citations: number; share: number } {
  const parts = [message.content ?? '', ...(message.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? ''])];
  let total = 0;
  let citations = 0;
  for (const part of parts) {
    total += [...visibleText(part)].length;
    const sourcesAt = part.search(/^-# \*\*[^*\n]+\*\*$/m);
    const sources = sourcesAt >= 0 ? part.slice(sourcesAt) : '';
    const tags = (sourcesAt >= 0 ? part.slice(0, sourcesAt) : part).match(/\*\*\[\d+\]\*\*/g) ?? [];
    citations += [...visibleText(sources)].length + tags.reduce((n, t) => n + [...visibleText(t)].length, 0);
  }
  return { total, citations, share: total === 0 ? 0 : citations / total };
}
