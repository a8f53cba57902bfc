// /region, /regions and region autocomplete: a one-line overview first, then extracts that
// make sense on their own, tagged [n] like answers, and one Sources block.
import { findRegionMentions, placesNamed, regionByName, regionPath, type Region } from '../../places/lookup.js';
import type { RegionSummary } from '../../summaries/summary.js';
import { splitSentences } from '../../text/text.js';
import { reportTags } from './tags.js';
import { COLOUR, echo, escapeText, fitEscaped, LIMITS, listWithin, selectRow, truncatePlain, type ActionRow, type BotMessage, type SelectOption } from './common.js';
import { labels, type Lang } from './i18n.js';
import { blockQuote, quotePassage, type Range } from './quote.js';
import { reportLink } from './answer.js';

/** Passage characters per extract. */
const EXTRACT_BUDGET = 220;
/** An extract merged from neighbouring key sentences may run a little longer. */
const MERGED_BUDGET = 320;
/** Places listed in the overview line. */
const OVERVIEW_PLACES = 6;
/** At most this many sentences before an extract are added to name the place it speaks of. */
const CONTEXT_SENTENCES = 2;

export function regionLabel(region: Region, lang: Lang = 'zh-CN'): string {
  const latin = region.english[0] ?? region.pinyin;
  if (lang === 'en') return latin ? `${latin} (${region.name})` : region.name;
  return region.name;
}

/** An autocomplete choice: "河北 · Hebei — 23 段" (covered) or "清河县 · Qinghe (河北)". */
export function regionChoice(region: Region, paragraphs: number, lang: Lang): { name: string; value: string } {
  const latin = region.english[0] ?? region.pinyin;
  const t = labels(lang);
  const place = region.city && region.city !== region.name ? `${region.province}${lang === 'en' ? ' ' : ''}${region.city}` : region.province;
  const where = region.level > 1 ? (lang === 'en' ? `, ${place}` : `，${place}`) : '';
  const count = paragraphs > 0 ? ` — ${t.paragraphCount(paragraphs)}` : '';
  const name = `${region.name}${latin ? ` · ${latin}` : ''}${where ? ` (${where.slice(1).trim()})` : ''}${count}`;
  // A name several places share (朝阳区) is sent as the place's id, which /region resolves exactly.
  const value = placesNamed(region.name).length > 1 ? region.id : region.name;
  return { name: truncatePlain(name, LIMITS.choiceName), value: value.slice(0, LIMITS.choiceValue) };
}

export interface RegionIds {
  passageMenuId: string;
  passageValue(source: string, paragraph: number): string | null;
  /** The report's 来源 link, if any. */
  reportUrl(source: string): string | null;
}

/**
 * A sentence opening with a bare administrative noun (新区…, 该市…, 我县…, 全省…) speaks of a place
 * named earlier: it needs that sentence before it.
 */
const REFERS_BACK = /^[\s　]*(?:[^，。]{0,12}[，,])?(?:该|本|我|全|这个?|此)?(?:省|自治区|市|州|盟|县|旗|区|新区|镇|乡)(?![\p{Script=Han}]{0,1}[省市县区])/u;

/** Whether `text` names the region or a place inside it. */
function namesRegion(text: string, region: Region): boolean {
  return findRegionMentions(text).some((m) => m.region.name === region.name || regionPath(m.region).some((r) => r.name === region.name));
}

/**
 * The part of a paragraph to quote for a key sentence: the sentence, plus up to two sentences
 * before it when it does not itself name the place ("新区同步召集…" needs "雄安新区…" before it).
 */
export function extractRange(paragraph: string, sentence: string, region: Region): Range | null {
  const at = paragraph.indexOf(sentence);
  if (at < 0) return null;
  const range = { start: at, end: at + sentence.length };
  if (namesRegion(sentence, region) && !REFERS_BACK.test(sentence)) return range;
  const before = splitSentences(paragraph.slice(0, at)).filter((s) => s.text.trim().length > 0);
  for (let i = before.length - 1; i >= Math.max(0, before.length - CONTEXT_SENTENCES); i--) {
    range.start = before[i]!.start;
    if (namesRegion(before[i]!.text, region)) return range;
  }
  // No sentence before it names the place either: the sentence alone, as the summary chose it.
  return { start: at, end: at + sentence.length };
}

interface Extract {
  source: string;
  paragraph: number;
  title: string;
  /** The whole paragraph. */
  text: string;
  range: Range;
}

/**
 * The key sentences as extracts, each with the sentence naming the place when it needs one; two
 * extracts of one paragraph that touch or overlap become one (no sentence is quoted twice).
 */
function mergedExtracts(summary: RegionSummary, region: Region): Extract[] {
  const out: Extract[] = [];
  for (const s of summary.summary) {
    const paragraph = summary.paragraphs.find((p) => p.source === s.source && p.paragraph === s.paragraph);
    const text = paragraph?.text ?? s.text;
    const range = extractRange(text, s.text, region) ?? { start: 0, end: text.length };
    const same = out.find((e) => e.source === s.source && e.paragraph === s.paragraph && range.start <= e.range.end + 1 && e.range.start <= range.end + 1);
    if (same) same.range = { start: Math.min(same.range.start, range.start), end: Math.max(same.range.end, range.end) };
    else out.push({ source: s.source, paragraph: s.paragraph, title: s.title, text, range });
  }
  return out;
}

export function regionSummaryView(summary: RegionSummary, lang: Lang, ids: RegionIds): BotMessage {
  const t = labels(lang);
  const region = summary.region!;
  if (summary.paragraphs.length === 0) {
    return { content: [t.regionAbsent(escapeText(regionLabel(region, lang))), t.regionsHint].join('\n'), embeds: [], components: [] };
  }
  const province = summary.province ?? region.province;
  const title = fitEscaped(region.level === 1 ? regionLabel(region, lang) : `${regionLabel(region, lang)}${lang === 'en' ? `, ${province}` : `（${province}）`}`, LIMITS.title);
  const places = summary.places.filter((p) => p.name !== region.name);
  const placeName = (name: string) => (lang === 'en' ? (regionByName(name)?.english[0] ?? name) : name);
  const shownPlaces = places.slice(0, OVERVIEW_PLACES).map((p) => `${escapeText(placeName(p.name))} ${p.paragraphs}`);
  const placeList = shownPlaces.length === 0 ? '' : ` · ${t.placesNamed} ${shownPlaces.join(lang === 'en' ? ', ' : '、')}${places.length > OVERVIEW_PLACES ? ` ${t.morePlaces(places.length - OVERVIEW_PLACES)}` : ''}`;
  const overview = `**${t.regionOverview(summary.reports.length, summary.paragraphs.length)}**${placeList}`;

  const tags = reportTags();
  const extracts: string[] = [];
  const options: SelectOption[] = [];
  for (const e of mergedExtracts(summary, region)) {
    const quote = quotePassage(e.text.slice(0, e.range.end), e.range, null, Math.max(EXTRACT_BUDGET, Math.min(MERGED_BUDGET, e.range.end - e.range.start)));
    // quotePassage saw the paragraph only up to the extract's end: mark what follows as cut too.
    const body = e.range.end < e.text.trimEnd().length && !quote.body.endsWith('…') ? `${quote.body}…` : quote.body;
    const tag = tags.tag(e.source, e.paragraph, { title: e.title, sourceUrl: ids.reportUrl(e.source) });
    extracts.push(`${blockQuote(body)} **[${tag}]**`);
    const value = ids.passageValue(e.source, e.paragraph);
    if (value) options.push({ label: `[${tag}] ${t.paragraph(e.paragraph)} · ${t.fullParagraph}`, value, description: `《${e.title}》` });
  }
  const sources = tags.reports().map((r, i) => `-# [${i + 1}] ${reportLink(r)} ${t.paragraphs(r.paragraphs)}`);
  const description = [overview, ...extracts, `-# **${t.sources}**\n${sources.join('\n')}`].join('\n\n');
  const rows: ActionRow[] = [];
  const menu = selectRow(ids.passageMenuId, t.choosePassage, options);
  if (menu) rows.push(menu);
  return { content: '', embeds: [{ title, description: description.slice(0, LIMITS.description), color: COLOUR }], components: rows };
}

/** /region with a name that is no region: suggestions instead. */
export function unknownRegionView(query: string, suggestions: Region[], lang: Lang): BotMessage {
  const t = labels(lang);
  const lines = [t.unknownRegion(echo(query, 100))];
  if (suggestions.length > 0) lines.push(`${t.didYouMean} ${suggestions.slice(0, 10).map((s) => escapeText(regionLabel(s, lang))).join(' · ')}`);
  lines.push(t.regionNameHint);
  lines.push(t.regionsHint);
  return { content: lines.join('\n'), embeds: [], components: [] };
}

/** /regions: regions the reports cover with paragraph counts, places grouped under their province. */
export function regionsListView(covered: ReadonlyArray<{ region: Region; paragraphs: number; reports: number }>, lang: Lang): BotMessage {
  const t = labels(lang);
  if (covered.length === 0) return { content: t.noRegions, embeds: [], components: [] };
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
    const name = lang === 'en' ? `**${escapeText(c.region.english[0] ?? c.region.pinyin)}** ${escapeText(c.region.name)}` : `**${escapeText(c.region.name)}**`;
    const line = `${name} — ${t.regionsCount(c.paragraphs, c.reports)}`;
    return places ? `${line}\n-# ${listWithin(places, 300, t.andMore, lang === 'en' ? ', ' : '、')}` : line;
  });
  return {
    content: '',
    embeds: [{ title: t.regionsTitle, description: listWithin(lines, LIMITS.description, t.andMore), color: COLOUR, footer: { text: t.regionsFooter } }],
    components: [],
  };
}
