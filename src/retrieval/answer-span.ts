// The phrase of a passage that answers the question: a number with its unit
// and the question's words next to it, a date, a name, a place, the items of
// an enumeration. Descriptions get no span (the caller marks the best
// sentence instead). Among several candidates the one closest to the
// question's words wins. Offsets are JavaScript string indices into the
// passage as the report wrote it.
import { findRegionMentions, regionPath } from '../places/lookup.js';
import { toSimplified } from '../text/text.js';
import { matchingForm, segmenter, tokenize } from '../text/tokens.js';
import type { AskedFor } from './answer-kind.js';
import type { TermWeights } from './highlight.js';
import { SURNAMES } from './people.js';
import type { Span } from './types.js';

/** Longest span for a number, date, person or place: a short phrase. */
export const MAX_SPAN_CHARS = 30;
/** Enumerations run longer; past this a list is better shown as its sentence. */
const MAX_LIST_CHARS = 80;

export interface Candidate {
  start: number;
  end: number;
  /** Vague candidates (近日, a bare 今年) lose to precise ones near the same words. */
  vague?: boolean;
}

const HAN = '\\u4e00-\\u9fff';
const DIGITS = '[0-9]+(?:[.,][0-9]+)*';
const ZH_DIGITS = '[零〇一二两三四五六七八九十百千]+';
const NUM = `(?:${DIGITS}|${ZH_DIGITS})`;
const RANGE = `${NUM}(?:\\s*[-—–~～至到]\\s*${NUM})?`;
const MAGNITUDE = '(?:余|多)?(?:万|亿|千|百)*(?:余|多)?';
const PEOPLE_UNITS = '名位人个';
const ITEM_UNITS = '个项条次件家所处场篇份批户村座期支道起类种册本套台辆间届栋';
const TIME_UNITS = '(?:天|年|周|个月|小时|分钟|日|星期)';
const SIZE_UNITS = '(?:平方米|平方公里|公里|千米|米|亩|吨|公斤|千克|平方)';
const UNIT = `(?:%|％|‰|个百分点|成|(?:万|亿)?元|${SIZE_UNITS}|人次|${TIME_UNITS}|[${PEOPLE_UNITS}${ITEM_UNITS}])`;
const NUMBER = new RegExp(`(?:近|约|超过|逾|共|达|累计)?(${RANGE})${MAGNITUDE}(${UNIT})?`, 'g');

const DATE = new RegExp(
  [
    `(?:(?:19|20)[0-9]{2}|[〇零一二三四五六七八九]{4})年(?:[0-9]{1,2}月(?:[0-9]{1,2}[日号](?:[上下]午|晚上?)?)?|[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}[日号])?|[上下]半年|年?底|初)?`,
    `[0-9]{1,2}月[0-9]{1,2}[日号](?:[上下]午|晚上?|当天)?`,
    `[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}[日号]`,
    `[0-9]{1,2}月(?:上旬|中旬|下旬|初|底|中旬|份)?`,
    `(?<![0-9月])[0-9]{1,2}[日号](?![0-9])`,
    `[0-9]{1,2}[:：][0-9]{2}`,
  ].join('|'),
  'g',
);
const VAGUE_DATE = /近日|日前|当天|当日|今年|去年|前不久|近期|年初|年底|年内|上午|下午|晚上|此前|目前/g;

const OFFICE =
  '(?:党委|党组|党工委|党总支|党支部|市委|省委|县委|区委|州委|纪委|工委|政府|人大|政协|指导组|督导组)?(?:常务)?(?:副)?' +
  '(?:书记|省长|市长|县长|区长|州长|旗长|镇长|乡长|村长|主任|主席|董事长|总经理|经理|局长|厅长|部长|处长|组长|队长|所长|校长|院长|会长|负责人|教授|民警|委员|常委|成员|专家|老师|村民|馆长|站长|社长)';
const NAME_END = `(?=说|讲|指出|强调|出席|主持|讲话|在|表示|要求|带队|参加|介绍|一行|同志|等|和|与|及|分别|率|到|深入|先后|为|对|代表|作|向|认为|提出|带领|来|赴|[^${HAN}]|$)`;
const OFFICE_NAME = new RegExp(`(${OFFICE})([${SURNAMES}][${HAN}]{1,2}?)${NAME_END}`, 'g');
/** Names without a common surname (叶尔波拉提) are caught between an office and a verb of saying. */
const OFFICE_SPEAKER = new RegExp(`(${OFFICE})([${HAN}]{2,6}?)(?=说|指出|强调|表示|介绍|坦言|告诉)`, 'g');
/** A name before its title: 王今诚教授, 聂荣臻元帅. */
const NAME_TITLE = new RegExp(`([${SURNAMES}][${HAN}]{1,2}?)(?=教授|同志|老师|先生|女士|院士|元帅|将军|烈士)`, 'g');
/** "容城县委负责同志说": the office is the answer when the report gives no name. */
const UNNAMED = new RegExp(`[${HAN}]{2,6}?(?:主要)?负责(?:同志|人)(?=说|指出|强调|表示|介绍)`, 'g');

const VENUE = new RegExp(
  `(?:在|于|来到|前往|赴|位于|走进|参观了?|瞻仰了?)((?:[${HAN}0-9“”"]{1,16}?)(?:纪念馆|博物馆|陈列馆|展览馆|会议室|会议中心|礼堂|广场|基地|旧址|故居|会址|大厦|大楼|党校|学院|学校|公园|陵园|纪念碑|纪念园|会场|宾馆|酒店|中心|厅|室))`,
  'g',
);
const ADDRESS = new RegExp(`(?:[${HAN}]{2,4}[市县区])?[${HAN}]{1,8}?(?:路|街|里|巷|大道)[0-9]+[号號]`, 'g');

const CLAUSE_BREAK = /[，。；：！？,;:!?、\n“”"（）()]/;

/** One character at a time, so offsets into the form are offsets into the text: full-width digits folded, simplified, lower-case. */
export function spanForm(text: string): string {
  const folded = [...text].map((c) => {
    const n = c.normalize('NFKC');
    return n.length === c.length ? n : c;
  }).join('');
  const simplified = toSimplified(folded);
  return (simplified.length === folded.length ? simplified : folded).toLowerCase();
}

/** Numbers that carry a unit (or are long enough to be a quantity on their own), with the unit asked for when the question names one. */
export function numberCandidates(form: string, measure: string | null, exclude: Set<string> = new Set()): Candidate[] {
  const out: Candidate[] = [];
  for (const m of form.matchAll(NUMBER)) {
    const value = m[1]!;
    const unit = m[2] ?? '';
    const start = m.index;
    const end = start + m[0].length;
    const chinese = !/[0-9]/.test(value);
    if (form[start - 1] === '第') continue; // an ordinal, not an amount
    if (chinese && (!unit || (value === '一' && measure !== 'time') || /[一二三四五六七八九十]/.test(form[end] ?? ''))) continue;
    if (!unit && !/%|万|亿/.test(m[0]) && value.replace(/\D/g, '').length < 2) continue;
    // Years and calendar days are dates, not amounts.
    if (/^(19|20)[0-9]{2}$/.test(value) && (unit === '年' || form[end] === '年')) continue;
    if (!unit && /^[月日号年]/.test(form.slice(end))) continue;
    if (unit === '日') continue; // 9月12日 is a date; durations say 天
    if (exclude.has(value.replace(/[.,]/g, ''))) continue;
    if (!unitFits(unit, m[0], measure)) continue;
    out.push({ start, end });
  }
  return out;
}

function unitFits(unit: string, whole: string, measure: string | null): boolean {
  if (measure === null) return true;
  if (measure === 'money') return /元/.test(unit);
  if (measure === 'percent') return /%|％|‰|百分点|成/.test(unit);
  if (measure === 'time') return new RegExp(`^${TIME_UNITS}$`).test(unit);
  if (measure === 'size') return new RegExp(`^${SIZE_UNITS}$`).test(unit);
  if (!unit) return /万|亿/.test(whole);
  if (PEOPLE_UNITS.includes(measure)) return PEOPLE_UNITS.includes(unit) || unit === '人次';
  if (measure === '个') return unit.length === 1 && (ITEM_UNITS.includes(unit) || PEOPLE_UNITS.includes(unit));
  if (ITEM_UNITS.includes(measure)) return unit.length === 1 && ITEM_UNITS.includes(unit);
  return unit.includes(measure);
}

/** "哪一年" wants a year; "哪天", "几月几号" a day, which 近日 is not. */
function dateFits(text: string, c: Candidate, measure: string | null): boolean {
  if (measure === 'year') return /年/.test(text) && !c.vague;
  if (measure === 'day') return /[日号]|当天|当日/.test(text) && !/近日|日前/.test(text);
  return true;
}

export function dateCandidates(form: string): Candidate[] {
  const out: Candidate[] = [...form.matchAll(DATE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  for (const m of form.matchAll(VAGUE_DATE)) {
    if (!out.some((c) => c.start <= m.index && m.index < c.end)) out.push({ start: m.index, end: m.index + m[0].length, vague: true });
  }
  return out;
}

export function personCandidates(form: string, exclude: string): Candidate[] {
  const out: Candidate[] = [];
  const places = findRegionMentions(form);
  const isPlace = (s: number, e: number) => places.some((p) => p.start < e && s < p.end);
  const overlaps = (s: number, e: number) => out.some((c) => c.start < e && s < c.end);
  for (const re of [OFFICE_NAME, OFFICE_SPEAKER]) {
    for (const m of form.matchAll(re)) {
      const nameStart = m.index + m[1]!.length;
      const end = m.index + m[0].length;
      // Right after an office a name wins over a place inside it (张大同 holds 大同); not over one it starts with (书记江津区…).
      if (exclude.includes(m[2]!) || places.some((p) => p.start === nameStart) || overlaps(m.index, end)) continue;
      out.push({ start: m.index, end });
    }
  }
  for (const re of [NAME_TITLE, UNNAMED]) {
    for (const m of form.matchAll(re)) {
      const end = m.index + m[0].length;
      const words = segmenter().tag(m[1] ?? '', false);
      // 王家坪旧址: a name before a title is jieba's nr, or unknown to it (split in pieces).
      if (m[1] && words.length === 1 && !words[0]!.tag.startsWith('nr')) continue;
      if (exclude.includes(m[0]) || (m[1] && isPlace(m.index, end)) || overlaps(m.index, end)) continue;
      out.push({ start: m.index, end });
    }
  }
  let at = 0;
  for (const t of segmenter().tag(form, true)) {
    const start = form.indexOf(t.word, at);
    if (start < 0) continue;
    at = start + t.word.length;
    // jieba tags some ordinary words nr (练兵, 宝贵): a bare tag counts only with a common surname.
    if (t.tag !== 'nr' || !new RegExp(`^[${SURNAMES}][${HAN}]{1,3}$`).test(t.word)) continue;
    if (exclude.includes(t.word) || isPlace(start, at) || out.some((c) => c.start <= start && at <= c.end)) continue;
    out.push({ start, end: at });
  }
  return out;
}

/**
 * Venues, addresses and places. When the question already names places
 * ("河北哪个市…"), the answer is a place inside one of them or a venue, not
 * another province the passage happens to mention.
 */
export function placeCandidates(form: string, exclude: string, within: string[] = [], level: number | null = null): Candidate[] {
  const out: Candidate[] = [];
  // "哪个市" wants a city, not a venue.
  for (const re of level ? [] : [ADDRESS, VENUE]) {
    for (const m of form.matchAll(re)) {
      const text = m[1] ?? m[0];
      const start = m.index + m[0].length - text.length;
      if (!exclude.includes(text)) out.push({ start, end: start + text.length });
    }
  }
  for (const p of findRegionMentions(form)) {
    if (exclude.includes(p.surface) || out.some((c) => c.start <= p.start && p.end <= c.end)) continue;
    if (within.length > 0 && !regionPath(p.region).some((r) => within.includes(r.name))) continue;
    if (level && p.region.level !== level) continue;
    out.push({ start: p.start, end: p.end });
  }
  return out;
}

/** Items of an enumeration. */
export function itemCount(list: string): number {
  return list.split('、').length;
}

/** Enumerations: three or more items joined by 、, or two followed by 等. */
export function listCandidates(form: string): Candidate[] {
  const out: Candidate[] = [];
  const ITEM = `[^，。；：、！？,;:!?\\s]{1,24}`;
  const re = new RegExp(`${ITEM}(?:、${ITEM})+`, 'g');
  for (const m of form.matchAll(re)) {
    const items = m[0].split('、').length;
    const followedByDeng = form.slice(m.index + m[0].length).startsWith('等') || m[0].endsWith('等');
    if (items >= 3 || (items === 2 && followedByDeng)) {
      const len = m[0].length;
      if (len <= MAX_LIST_CHARS) out.push({ start: m.index, end: m.index + len });
    }
  }
  return out;
}

/** Where each question term occurs in the passage. */
function termPositions(form: string, weights: TermWeights): Array<{ start: number; end: number; weight: number; term: string }> {
  const out: Array<{ start: number; end: number; weight: number; term: string }> = [];
  for (const [term, weight] of weights) {
    if (!term) continue;
    for (let at = form.indexOf(term); at !== -1; at = form.indexOf(term, at + 1)) out.push({ start: at, end: at + term.length, weight, term });
  }
  return out;
}

function sentenceIndex(form: string): (i: number) => number {
  const ends: number[] = [];
  for (let i = 0; i < form.length; i++) if (/[。！？；!?;]/.test(form[i]!)) ends.push(i);
  return (i) => {
    let n = 0;
    while (n < ends.length && ends[n]! < i) n++;
    return n;
  };
}

/**
 * How close a candidate lies to the question's words: each term counts once,
 * by its nearest occurrence, more in the same sentence and less with distance.
 */
function closeness(c: Candidate, terms: ReturnType<typeof termPositions>, sentenceOf: (i: number) => number): number {
  const best = new Map<string, number>();
  const sentence = sentenceOf(c.start);
  for (const t of terms) {
    const distance = t.start < c.end && c.start < t.end ? 0 : t.end <= c.start ? c.start - t.end : t.start - c.end;
    const same = sentenceOf(t.start) === sentence ? 1 : 0.25;
    const score = (t.weight * same) / (1 + distance / 10);
    if (score > (best.get(t.term) ?? 0)) best.set(t.term, score);
  }
  let sum = 0;
  for (const s of best.values()) sum += s;
  return c.vague ? sum * 0.5 : sum;
}

/** An enumeration without the question's words before its first item ("重点整治…") and without the "等…" after its last. */
function trimList(form: string, c: Candidate, terms: ReturnType<typeof termPositions>): Candidate {
  let { start, end } = c;
  const firstEnd = form.indexOf('、', start);
  const lead = terms.filter((t) => t.start >= start && t.end < firstEnd).sort((a, b) => b.end - a.end)[0];
  if (lead) start = lead.end;
  const lastStart = form.lastIndexOf('、', end - 1) + 1;
  const deng = form.indexOf('等', lastStart);
  if (deng > lastStart && deng < end) end = deng;
  return { start, end };
}

/** Widen a number to the question's words right next to it in the same clause ("涵盖党员139.5万人"). */
function widen(form: string, c: Candidate, terms: ReturnType<typeof termPositions>): Candidate {
  let { start, end } = c;
  let clauseStart = start;
  while (clauseStart > 0 && start - clauseStart < 12 && !CLAUSE_BREAK.test(form[clauseStart - 1]!)) clauseStart--;
  const before = terms.filter((t) => t.start >= clauseStart && t.end <= start).sort((a, b) => a.start - b.start)[0];
  if (before && end - before.start <= MAX_SPAN_CHARS) {
    start = before.start;
    // With the verb that governs them: 涵盖党员139.5万人, not 党员139.5万人.
    const lead = segmenter().tag(form.slice(clauseStart, start), true).pop();
    if (lead && lead.tag.startsWith('v') && new RegExp(`^[${HAN}]{2}$`).test(lead.word) && end - start + 2 <= MAX_SPAN_CHARS) start -= 2;
  }
  const after = terms.filter((t) => t.start >= end && t.start - end <= 2 && !CLAUSE_BREAK.test(form.slice(end, t.start))).sort((a, b) => b.end - a.end)[0];
  if (after && after.end - start <= MAX_SPAN_CHARS) end = after.end;
  return { start, end };
}

export interface SpanQuestion {
  asked: AskedFor;
  /** Question terms (matching form) with their weights; rarer words count more. */
  weights: TermWeights;
  /** The question in matching form: numbers and names it already gives are not the answer. */
  form: string;
  /** Places the question names (canonical names). */
  places?: string[];
}

/** All candidates of the asked kind, best first. */
export function rankedCandidates(passage: string, question: SpanQuestion): Candidate[] {
  const form = spanForm(passage);
  const { kind, measure } = question.asked;
  let found: Candidate[];
  switch (kind) {
    case 'number':
      found = numberCandidates(form, measure, new Set((question.form.match(/[0-9]+(?:\.[0-9]+)?/g) ?? []).map((n) => n.replace('.', ''))));
      break;
    case 'date':
      found = dateCandidates(form).filter((c) => !question.form.includes(form.slice(c.start, c.end)) && dateFits(form.slice(c.start, c.end), c, measure));
      break;
    case 'person':
      found = personCandidates(form, question.form);
      break;
    case 'place':
      found = placeCandidates(form, question.form, question.places ?? [], question.asked.level ?? null);
      break;
    case 'list':
      found = listCandidates(form).filter((c) => !question.asked.count || itemCount(form.slice(c.start, c.end)) === question.asked.count);
      break;
    default:
      return [];
  }
  if (found.length === 0) return [];
  const terms = termPositions(form, question.weights);
  const sentenceOf = sentenceIndex(form);
  const scored = found.map((c, i) => ({ c, i, score: closeness(c, terms, sentenceOf) }));
  scored.sort((a, b) => b.score - a.score || a.c.start - b.c.start);
  return scored
    .map(({ c }) => (kind === 'number' ? widen(form, c, terms) : kind === 'list' ? trimList(form, c, terms) : c)).filter((c) => c.end - c.start <= (kind === 'list' ? MAX_LIST_CHARS : MAX_SPAN_CHARS));
}

/** The answering phrase of `passage`, or null (a description, or nothing of the asked kind). */
export function answerSpan(passage: string, question: SpanQuestion): Span | null {
  const best = rankedCandidates(passage, question)[0];
  return best ? { start: best.start, end: best.end, text: passage.slice(best.start, best.end) } : null;
}

/**
 * A question as the span finder reads it: its terms with the given weights
 * (every term alike when none are given), and the counted word of a number
 * question (多少党员 → 党员) weighted as the strongest term.
 */
export function spanQuestion(question: string, asked: AskedFor, weights?: TermWeights, places?: string[]): SpanQuestion {
  const terms: TermWeights = new Map(weights ?? tokenize(question).map((t) => [t.startsWith('#') ? t.slice(1) : t, 1]));
  if (asked.target) terms.set(asked.target, 2 * Math.max(1, ...terms.values()));
  const form = matchingForm(question);
  return { asked, weights: terms, form, places: places ?? findRegionMentions(form).map((m) => m.region.name) };
}
