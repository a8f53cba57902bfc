// An answer: the best quote first (a block quote, answering words in bold), at most two more
// when they are nearly as relevant, each tagged [n]; one Sources block lists each report once
// with the paragraphs used. Controls: "More results" and one "choose a passage" menu, both
// answered privately to whoever uses them.
import { ButtonStyle } from 'discord.js';
import type { Answer, Citation, Hit } from '../../retrieval/types.js';
import {
  button,
  buttonRow,
  COLOUR,
  echo,
  fitEscaped,
  LIMITS,
  safeUrl,
  selectRow,
  truncatePlain,
  type ActionRow,
  type BotMessage,
  type SelectOption,
} from './common.js';
import { citationShare } from './measure.js';
import { labels, type Lang } from './i18n.js';
import { blockQuote, quotePassage } from './quote.js';
import { reportTags } from './tags.js';
import { printable } from '../../text/printable.js';

/** Quotes in the first reply: the best one and at most two more. */
export const FIRST_QUOTES = 3;
/** Quotes per "More results" reply. */
export const MORE_QUOTES = 3;
/** Passage characters of the first quote before it is cut at a sentence end near the answer. */
const QUOTE_BUDGET = 200;
/** The quotes after it support the answer: shorter, so an answer stays within a phone screen. */
const SUPPORT_BUDGET = 120;
/** Extra quotes must score at least this share of the best one (fusion scores are relative within a question). */
const RELEVANT_SHARE = 0.8;
/** Short titles in the Sources block; shorter ones when the quotes are so short that citations would outweigh them. */
const SHORT_TITLE = 14;
const SHORTER_TITLES = [10, 6, 3];
/** Citations (Sources block and [n] tags) should stay within this share of an answer's characters. */
const CITATION_SHARE = 0.25;

export interface AnswerControls {
  /** Custom id of the "More results" button for results from `offset` on (null: no button). */
  moreId(offset: number): string | null;
  /** Custom id of the passage menu. */
  passageMenuId: string;
  /** Value identifying a paragraph in the passage menu (null: not choosable, e.g. a report gone since). */
  passageValue(hit: Citation): string | null;
}

export interface AnswerViewInput {
  answer: Answer;
  lang: Lang;
  /** "embed" for /ask (the question as title), "text" for replies to a message (the question is above it). */
  style: 'embed' | 'text';
  controls: AnswerControls;
}

/** The hits worth showing first: the best one, then up to two more scoring close to it. */
export function firstHits(hits: Hit[]): Hit[] {
  const best = hits[0];
  if (!best) return [];
  const close = hits.slice(1, FIRST_QUOTES).filter((h) => h.score >= best.score * RELEVANT_SHARE);
  return [best, ...close];
}

/** Not found, said plainly: the reason and what to try; quotes nothing. */
export function notFoundView(answer: Answer, lang: Lang): BotMessage {
  const t = labels(lang);
  const reason = fitEscaped(reasonIn(answer.reason, lang) ?? t.notFoundDefault, 500);
  const lines = [`**${t.notFoundTitle}：**「${echo(answer.question, 300)}」`, `${t.reason}：${reason}`, t.notFoundTry];
  if (lang === 'en') lines[0] = `**${t.notFoundTitle}:** "${echo(answer.question, 300)}"`;
  if (lang === 'en') lines[1] = `${t.reason}: ${reason}`;
  if (answer.truncated) lines.push(`-# ${t.truncated}`);
  return { content: lines.join('\n'), embeds: [], components: [] };
}

/**
 * Retrieval words its reasons "English (中文)."; a reply shows the part in its language, and the
 * generic reason when the reason has no part in that language.
 */
export function reasonIn(reason: string | null, lang: Lang): string | null {
  if (!reason) return null;
  const both = /^(.*?)\s*[（(]([^()（）]*\p{Script=Han}[^()（）]*)[)）]\s*[.。]?$/u.exec(reason);
  const hasHan = /\p{Script=Han}/u.test(reason);
  if (lang === 'en') return both ? `${both[1]!.trim()}.` : reason;
  if (both) return `${both[2]!.trim()}。`;
  return hasHan && !/[A-Za-z]{3,}/.test(reason) ? reason : null;
}

const answers = (a: Answer) => a.answerable && a.verdict !== 'none' && a.verdict !== 'related' && a.hits.length > 0;
const related = (a: Answer) => a.verdict === 'related' && a.hits.length > 0;

/** The first reply to a question. */
export function answerView(input: AnswerViewInput): BotMessage {
  const { answer, lang, style, controls } = input;
  if (!answers(answer) && !related(answer)) return notFoundView(answer, lang);
  const t = labels(lang);
  const shown = firstHits(answer.hits);
  const intro = [answer.truncated ? `-# ${t.truncated}` : '', related(answer) ? t.relatedIntro : ''].filter(Boolean);
  const body = quotesWithSources(shown, lang, intro);
  const rows: ActionRow[] = [];
  const menu = passageMenu(shown, body.cut, lang, controls);
  if (menu) rows.push(menu);
  const moreId = shown.length < answer.hits.length ? controls.moreId(shown.length) : null;
  if (moreId) rows.push(...buttonRow([button(moreId, `${t.moreResults} (${answer.hits.length - shown.length})`, ButtonStyle.Secondary)]));
  if (style === 'text') return { content: body.text, embeds: [], components: rows };
  const title = `${t.question}${lang === 'en' ? ': ' : '：'}${echo(answer.question, LIMITS.title - 5)}`;
  return { content: '', embeds: [{ title, description: body.text, color: COLOUR }], components: rows };
}

/** Results from `offset` on, for whoever pressed "More results" (ephemeral). */
export function moreResultsView(answer: Answer, offset: number, lang: Lang, controls: AnswerControls): BotMessage {
  const t = labels(lang);
  const hits = answer.hits.slice(offset, offset + MORE_QUOTES);
  if (!answers(answer) && !related(answer)) return notFoundView(answer, lang);
  if (hits.length === 0) return { content: t.noMore, embeds: [], components: [] };
  const body = quotesWithSources(hits, lang, []);
  const rows: ActionRow[] = [];
  const menu = passageMenu(hits, body.cut, lang, controls);
  if (menu) rows.push(menu);
  const next = offset + hits.length;
  const moreId = next < answer.hits.length ? controls.moreId(next) : null;
  if (moreId) rows.push(...buttonRow([button(moreId, `${t.moreResults} (${answer.hits.length - next})`, ButtonStyle.Secondary)]));
  const title = t.moreResultsTitle(offset + 1, next);
  return { content: '', embeds: [{ title, description: body.text, color: COLOUR }], components: rows };
}

interface Body {
  text: string;
  /** Per hit: whether its quote was cut. */
  cut: boolean[];
}

/** Quotes tagged [n] (n per report, in order of first use) and one Sources block. */
export function quotesWithSources(hits: Hit[], lang: Lang, intro: string[]): Body {
  const t = labels(lang);
  const tags = reportTags();
  const cut: boolean[] = [];
  const quotes = hits.map((hit, i) => {
    const focus = hit.answerSpan ?? hit.bestSentence;
    const q = quotePassage(hit.text, focus, focus, i === 0 ? QUOTE_BUDGET : SUPPORT_BUDGET);
    cut.push(q.cut);
    const tag = tags.tag(hit.source, hit.paragraph, hit, hit.alsoIn.map((c) => c.source));
    return `${blockQuote(q.body)} **[${tag}]**`;
  });
  const compose = (titleChars: number) => {
    const sources = tags.reports().map((r, i) => {
      const also = r.alsoIn.size > 0 ? ` · ${t.alsoIn(r.alsoIn.size)}` : '';
      return `-# [${i + 1}] ${reportLink(r, titleChars)} ${t.paragraphs(r.paragraphs)}${also}`;
    });
    return [...intro, ...quotes, `-# **${t.sources}**\n${sources.join('\n')}`].join('\n\n');
  };
  let text = compose(SHORT_TITLE);
  for (const titleChars of SHORTER_TITLES) {
    if (citationShare({ content: text }).share <= CITATION_SHARE) break;
    text = compose(titleChars);
  }
  return { text: text.slice(0, LIMITS.description), cut };
}

/** 《short title》, linked when the report has a 来源 URL. */
export function reportLink(c: { title: string; sourceUrl: string | null }, titleChars = SHORT_TITLE): string {
  // Titles come from files: control characters are shown as escapes (printable), in Discord as in the terminal.
  const title = `《${fitEscaped(shortTitle(printable(c.title), titleChars), titleChars + 2)}》`;
  const url = safeUrl(c.sourceUrl);
  return url ? `[${title}](<${url}>)` : title;
}

/**
 * A title short enough for a citation: the part before the first "：" when that is a phrase of
 * its own ("北京、山西、内蒙古：聚焦…" → "北京、山西、内蒙古…"), else the first characters.
 */
export function shortTitle(title: string, chars = SHORT_TITLE): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if ([...clean].length <= chars) return clean;
  const colon = clean.search(/[：:|｜—]/);
  if (colon >= 4 && colon <= chars) return `${clean.slice(0, colon)}…`;
  return truncatePlain(clean, chars);
}

/** One menu to read any cut quote in full; none when every quote is already whole. */
function passageMenu(hits: Hit[], cut: boolean[], lang: Lang, controls: AnswerControls): ActionRow | null {
  const t = labels(lang);
  const tags = new Map<string, number>();
  const options: SelectOption[] = [];
  hits.forEach((hit, i) => {
    if (!tags.has(hit.source)) tags.set(hit.source, tags.size + 1);
    if (!cut[i]) return;
    const value = controls.passageValue(hit);
    if (value === null) return;
    options.push({ label: `[${tags.get(hit.source)}] ${t.paragraph(hit.paragraph)} · ${t.fullParagraph}`, value, description: `《${printable(hit.title)}》` });
  });
  return selectRow(controls.passageMenuId, t.choosePassage, options);
}
