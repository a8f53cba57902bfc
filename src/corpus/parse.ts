// Text of a report file → title, number, source link and paragraphs.
// Two shapes exist: a title line followed by HTML (one <div><span> per
// paragraph), and plain text (one paragraph per line or per blank-line block).
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { normaliseWhitespace } from '../text/text.js';
import { ReportFileError } from './decode.js';

export interface ParsedReport {
  title: string;
  number: number | null;
  sourceUrl: string | null;
  paragraphs: string[];
}

const HTML_TAG = /<\s*(div|p|span|br|html|body|h[1-6]|li|table|section|article)\b[^>]*>/i;
const SOURCE_LINE = /^\s*(?:来源|來源|原文|链接|鏈接|source|url)\s*[:：]\s*(https?:\/\/\S+)\s*$/i;
// "26各地…" carries a sequence number; "2019年…", "3个…" start with a quantity, not a number.
const LEADING_NUMBER = /^(\d{1,4})(?![\d年月日号號个個项項万萬亿億%％.．、，,:：\s])/;

/** Title line as users' files carry it: strips a file-name `.txt` tail and a leading sequence number. */
export function parseTitle(line: string): { title: string; number: number | null } {
  let title = normaliseWhitespace(line).replace(/\.(txt|html?|md)$/i, '').trim();
  let number: number | null = null;
  const m = LEADING_NUMBER.exec(title);
  if (m && title.length > m[1]!.length) {
    number = Number(m[1]);
    title = title.slice(m[1]!.length).trim();
  }
  return { title, number };
}

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table',
  'tbody', 'td', 'th', 'thead', 'tr', 'ul', 'title',
]);
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'iframe', 'svg', 'object']);

/**
 * Far deeper than any document is nested (the reports: under 20). The HTML parser's time grows with the
 * square of the depth (100,000 nested divs: a minute), so deeper files are refused before parsing.
 */
export const MAX_HTML_DEPTH = 1000;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements whose end tag may be left out (the parser closes them itself): not counted as nesting. */
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'option', 'optgroup', 'colgroup', 'caption', 'rb', 'rt', 'rp']);

/** Deepest element nesting, from the tags alone: one linear pass, no parsing. */
export function htmlNestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const name = m[2]!.toLowerCase();
    if (VOID.has(name) || OPTIONAL_END.has(name) || m[3]) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else max = Math.max(max, ++depth);
  }
  return max;
}

/** Visible text of HTML with one line per block element; tolerant of broken or nested markup. */
function htmlToLines(html: string): { lines: string[]; title: string | null } {
  const depth = htmlNestingDepth(html);
  if (depth > MAX_HTML_DEPTH) throw new ReportFileError(`HTML nested ${depth} elements deep, over the limit of ${MAX_HTML_DEPTH}`);
  const $ = cheerio.load(html);
  const title = normaliseWhitespace($('title').first().text()) || normaliseWhitespace($('h1').first().text()) || null;
  const parts: string[] = [];
  // Walked with an explicit stack, not recursion: nesting cannot overflow the call stack.
  const stack: Array<AnyNode | '\n'> = $.root().children().toArray().reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === '\n') parts.push('\n');
    else if (node.type === 'text') parts.push(node.data);
    else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const name = node.name.toLowerCase();
      if (SKIPPED.has(name)) continue;
      const block = BLOCK.has(name);
      if (block) {
        parts.push('\n');
        stack.push('\n');
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return { lines: parts.join('').split('\n'), title };
}

export function parseReport(text: string, fileName: string): ParsedReport {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  const firstLine = lines[0] ?? '';
  const isHtml = HTML_TAG.test(text);

  let titleLine: string | null = null;
  let body: string[];
  if (isHtml && /^\s*</.test(firstLine)) {
    // A whole HTML document: the title comes from <title>/<h1>, else the file name.
    const { lines: htmlLines, title } = htmlToLines(lines.join('\n'));
    titleLine = title;
    body = htmlLines;
  } else {
    titleLine = firstLine;
    body = lines.slice(1);
  }

  let sourceUrl: string | null = null;
  const firstBodyIndex = body.findIndex((l) => l.trim() !== '');
  const sourceMatch = firstBodyIndex >= 0 ? SOURCE_LINE.exec(body[firstBodyIndex]!) : null;
  if (sourceMatch) {
    sourceUrl = sourceMatch[1]!;
    body = body.slice(firstBodyIndex + 1);
  }

  let paragraphs: string[];
  if (isHtml && titleLine === firstLine) {
    paragraphs = htmlToLines(body.join('\n')).lines.map(normaliseWhitespace).filter(Boolean);
  } else if (isHtml) {
    paragraphs = body.map(normaliseWhitespace).filter(Boolean);
    // The <title>/<h1> text is the title, not the first paragraph.
    if (titleLine && paragraphs[0] === normaliseWhitespace(titleLine)) paragraphs.shift();
  } else {
    paragraphs = plainParagraphs(body);
  }

  const { title, number } = parseTitle(titleLine || fileName.replace(/^.*\//, ''));
  return { title, number, sourceUrl, paragraphs };
}

/**
 * Plain text: blank-line separated blocks when the file uses them (lines inside
 * a block are hard wraps and are joined), else one paragraph per line.
 */
function plainParagraphs(lines: string[]): string[] {
  const text = lines.join('\n').trim();
  const blocks = text.split(/\n\s*\n/);
  const usesBlocks = blocks.length > 1 && blocks.some((b) => b.includes('\n'));
  if (!usesBlocks) return lines.map(normaliseWhitespace).filter(Boolean);
  return blocks
    .map((block) => block.split('\n').map((l) => l.trim()).reduce(joinWrappedLine, ''))
    .map(normaliseWhitespace)
    .filter(Boolean);
}

/** Joins a hard-wrapped line: no space between Chinese characters, one space between Latin words. */
function joinWrappedLine(acc: string, line: string): string {
  if (!acc) return line;
  const latinJoin = /[A-Za-z0-9,.;:!?]$/.test(acc) && /^[A-Za-z0-9]/.test(line);
  return acc + (latinJoin ? ' ' : '') + line;
}
