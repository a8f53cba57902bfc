// Views against Discord's limits and the reply rules, with synthetic worst cases (no model,
// no index): huge passages, long titles, many copies, hostile text; and the layout rules.
import { describe, expect, it } from 'vitest';
import type { Paragraph, Report } from '../../corpus/types.js';
import { regionByName } from '../../places/lookup.js';
import type { Answer, Hit } from '../../retrieval/types.js';
import type { RegionSummary } from '../../summaries/summary.js';
import { customId, parseCustomId, parseParagraphValue } from '../custom-ids.js';
import { answerView, firstHits, moreResultsView, notFoundView, reasonIn, shortTitle, type AnswerControls } from './answer.js';
import { escapeText, limitViolations, type BotMessage } from './common.js';
import { helpView } from './help.js';
import { labels, langFromLocale, langOfText } from './i18n.js';
import { fullParagraphView } from './paragraph.js';
import { quotePassage } from './quote.js';
import { extractRange, regionChoice, regionsListView, regionSummaryView, unknownRegionView } from './region.js';
import { sourceView } from './source.js';

const sentence = (i: number, len = 60) => `第${i}句${'测试内容'.repeat(Math.ceil(len / 4)).slice(0, len)}。`;
const longText = (sentences: number, len = 60) => Array.from({ length: sentences }, (_, i) => sentence(i + 1, len)).join('');
const hostile = '@everyone <@123> <@&456> ||spoiler|| `code` **bold** _it_ ~~s~~ # heading\n> quote [link](http://x.y) ';

function hit(i: number, text: string, extra: Partial<Hit> = {}): Hit {
  const best = text.indexOf(sentence(3).slice(0, 3));
  const end = text.indexOf('。', best) + 1;
  return {
    source: `${String(i).padStart(3, '0')}_report_${'x'.repeat(60)}.txt`,
    title: `很长的标题${'标题'.repeat(40)}${hostile}`,
    reportNumber: i,
    paragraph: i + 1,
    sourceUrl: `https://example.com/${'p'.repeat(80)}`,
    passageId: i,
    part: 0,
    text,
    score: 1,
    places: { own: [], inherited: [] },
    bestSentence: best >= 0 ? { start: best, end, text: text.slice(best, end) } : null,
    answerSpan: null,
    alsoIn: [],
    ...extra,
  };
}

const controls: AnswerControls = {
  moreId: (offset) => customId('ask', 'more', 'abcdefghij', offset),
  passageMenuId: customId('ask', 'passage'),
  passageValue: (c) => `${Number(c.source.slice(0, 3))}-${c.paragraph}`,
};

const worst: Answer = {
  question: `${hostile}${'问'.repeat(3000)}`,
  truncated: true,
  verdict: 'answer',
  answerable: true,
  reason: null,
  shown: 5,
  hits: Array.from({ length: 20 }, (_, i) =>
    hit(i, longText(40, 100), {
      alsoIn: Array.from({ length: 8 }, (_, j) => ({ source: `copy_${j}.txt`, title: '副本'.repeat(200), reportNumber: null, paragraph: j + 1, sourceUrl: null, text: 'x' })),
    }),
  ),
};

/** All text a user reads in a message. */
const shown = (m: BotMessage) => [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.title, e.description, e.footer?.text, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].filter(Boolean).join('\n');
const rowsOf = (m: BotMessage) => (m.components ?? []).map((r) => r.components.map((c) => ('custom_id' in c ? c.custom_id : '')));

describe('answers', () => {
  it.each(['zh-CN', 'zh-TW', 'en'] as const)('20 huge hits, hostile titles (%s): within limits, 3 quotes, one Sources block, no file names', (lang) => {
    for (const style of ['embed', 'text'] as const) {
      const message = answerView({ answer: worst, lang, style, controls });
      expect(limitViolations(message)).toEqual([]);
      const text = style === 'text' ? message.content! : message.embeds![0]!.description!;
      expect(text.match(/^> /gm)).toHaveLength(3);
      expect(text.match(/\*\*\[\d\]\*\*/g)).toEqual(['**[1]**', '**[2]**', '**[3]**']);
      expect(text.match(new RegExp(`\\*\\*${labels(lang).sources}\\*\\*`, 'g'))).toHaveLength(1);
      // Each quote is cut near the best sentence (about 200 characters) and says so.
      for (const quote of text.match(/^> .*$/gm)!) expect(quote.length).toBeLessThan(260);
      expect(text).toMatch(/…/);
      expect(shown(message)).not.toMatch(/_report_x+\.txt/);
    }
  });

  it('shows only extra quotes that score close to the best one', () => {
    const hits = [hit(1, '甲。', { score: 1 }), hit(2, '乙。', { score: 0.9 }), hit(3, '丙。', { score: 0.3 }), hit(4, '丁。', { score: 0.95 })];
    expect(firstHits(hits).map((h) => h.text)).toEqual(['甲。', '乙。']);
  });

  it('bolds the answer span, never a whole quote', () => {
    const text = '据了解，北京市第二批主题教育共有49家局级单位，涵盖党员139.5万人，党组织5.49万个。';
    const at = text.indexOf('涵盖党员');
    const span = { start: at, end: at + '涵盖党员139.5万人'.length, text: '涵盖党员139.5万人' };
    const one = { ...worst, truncated: false, hits: [hit(1, text, { bestSentence: { start: 0, end: text.length, text }, answerSpan: span })] };
    const description = answerView({ answer: one, lang: 'zh-CN', style: 'embed', controls }).embeds![0]!.description!;
    expect(description).toContain('**涵盖党员139.5万人**');
    const noSpan = { ...one, hits: [hit(1, text, { bestSentence: { start: 0, end: text.length, text } })] };
    const plain = answerView({ answer: noSpan, lang: 'zh-CN', style: 'embed', controls }).embeds![0]!.description!;
    expect(plain).not.toMatch(/\*\*据了解/);
    expect(plain).toContain(`> ${text} **[1]**`);
  });

  it('one report cited twice is listed once with both paragraphs; whole quotes get no passage menu', () => {
    const a = hit(1, '第一段。', { paragraph: 4 });
    const b = hit(1, '第二段。', { paragraph: 5 });
    const message = answerView({ answer: { ...worst, truncated: false, hits: [a, b, hit(2, '别的。', { score: 0.1 })] }, lang: 'zh-CN', style: 'embed', controls });
    const description = message.embeds![0]!.description!;
    expect(description.match(/^-# \[\d\]/gm)).toHaveLength(1);
    expect(description).toMatch(/^-# \[1\] .* 第4、5段$/m);
    expect(rowsOf(message)).toEqual([['ask:more:abcdefghij:2']]);
  });

  it('a cut quote gets one passage menu; "More results" continues where the answer stopped', () => {
    const message = answerView({ answer: worst, lang: 'en', style: 'embed', controls });
    expect(rowsOf(message)).toEqual([['ask:passage'], ['ask:more:abcdefghij:3']]);
    const more = moreResultsView(worst, 3, 'en', controls);
    expect(limitViolations(more)).toEqual([]);
    expect(more.embeds![0]!.title).toBe('More results (4–6)');
    expect(rowsOf(more)).toEqual([['ask:passage'], ['ask:more:abcdefghij:6']]);
    expect(shown(moreResultsView(worst, 20, 'zh-CN', controls))).toBe('没有更多结果了。');
  });

  it('a related verdict says so before the closest passages', () => {
    const message = answerView({ answer: { ...worst, truncated: false, answerable: false, verdict: 'related' }, lang: 'zh-CN', style: 'embed', controls });
    expect(message.embeds![0]!.description!.startsWith(labels('zh-CN').relatedIntro)).toBe(true);
  });

  it('not found quotes nothing, in the asker\'s language', () => {
    const answer: Answer = { question: hostile, truncated: false, verdict: 'none', answerable: false, reason: 'The reports say nothing about 广东.', hits: worst.hits, shown: 5 };
    const en = notFoundView(answer, 'en');
    expect(en.content).toMatch(/^\*\*Not found:\*\*/);
    expect(en.content).toContain('/region');
    expect(en.content).not.toContain('测试内容');
    expect(en.components).toEqual([]);
    expect(notFoundView(answer, 'zh-CN').content).toMatch(/^\*\*未找到答案：\*\*/);
    const bilingual = 'The reports say nothing about 广东 (报告中没有关于广东的内容).';
    expect(reasonIn(bilingual, 'en')).toBe('The reports say nothing about 广东.');
    expect(reasonIn(bilingual, 'zh-CN')).toBe('报告中没有关于广东的内容。');
    expect(reasonIn('No passage matches the question.', 'zh-CN')).toBeNull();
  });

  it('escapes hostile text and breaks mentions', () => {
    const escaped = escapeText(hostile);
    expect(escaped).not.toMatch(/@everyone|<@123>|<@&456>/);
    expect(escaped).toContain('\\|\\|spoiler\\|\\|');
    expect(escaped).toContain('\\*\\*bold\\*\\*');
  });

  it('short titles', () => {
    expect(shortTitle('北京、山西、内蒙古：聚焦群众关切 高质量推进第二批主题教育开局')).toBe('北京、山西、内蒙古…');
    expect(shortTitle('短标题')).toBe('短标题');
    expect([...shortTitle('没有冒号的一个非常非常长的报告标题文字')].length).toBeLessThanOrEqual(14);
  });
});

describe('quotePassage', () => {
  const text = longText(10);
  const fifth = { start: text.indexOf('第5句'), end: text.indexOf('第6句') };

  it('quotes a passage whole when it fits', () => {
    expect(quotePassage('短句。', null, null, 100)).toEqual({ body: '短句。', shown: { start: 0, end: 3 }, cut: false });
  });

  it('keeps whole sentences around the focus within the budget, "…" at both cuts', () => {
    const q = quotePassage(text, fifth, null, 200);
    expect(q.cut).toBe(true);
    expect(q.shown.end - q.shown.start).toBeLessThanOrEqual(200);
    expect(q.body).toContain(sentence(5));
    expect(q.body).toMatch(/^…第\d句/);
    expect(q.body).toMatch(/。…$/);
  });

  it('cuts an over-long sentence at a comma around the focus', () => {
    const long = `${'前文很长，'.repeat(60)}涵盖党员139.5万人，${'后文很长，'.repeat(60)}。`;
    const at = long.indexOf('涵盖');
    const q = quotePassage(long, { start: at, end: at + 11 }, { start: at, end: at + 11 }, 200);
    expect(q.body).toContain('**涵盖党员139.5万人**');
    expect(q.body).toMatch(/^…前文很长，/);
    expect(q.body).toMatch(/，…$/);
    expect(q.shown.end - q.shown.start).toBeLessThanOrEqual(200);
  });
});

describe('language', () => {
  it('follows the interaction locale, or the question for messages', () => {
    expect(['zh-CN', 'zh-TW', 'zh-HK', 'en-US', 'de', undefined].map(langFromLocale)).toEqual(['zh-CN', 'zh-TW', 'zh-TW', 'en', 'en', 'en']);
    expect(langOfText('北京第二批主题教育涉及多少党员？')).toBe('zh-CN');
    expect(langOfText('北京第二批主題教育涉及多少黨員？')).toBe('zh-TW');
    expect(langOfText('How many party members in Beijing?')).toBe('en');
    expect(langOfText('🤔')).toBe('en');
  });

  it('traditional labels for zh-TW, without touching what is passed in', () => {
    const t = labels('zh-TW');
    expect(t.sources).toBe('來源');
    expect(t.unknownRegion('张家口')).toBe('找不到地區「张家口」。');
  });

  it('no label of the other language in a reply', () => {
    const latin = /[A-Za-z]{3,}/;
    const zhReplies = [answerView({ answer: worst, lang: 'zh-CN', style: 'text', controls }), helpView('zh-CN'), notFoundView({ ...worst, answerable: false }, 'zh-CN')];
    for (const m of zhReplies) {
      // Quotes, titles, commands and links aside.
      const labelsOnly = shown(m).replace(/^> .*$/gm, '').replace(/《[^》]*》/g, '').replace(/\([^)]*\)|`[^`]*`|「[^」]*」/g, '');
      expect(labelsOnly).not.toMatch(latin);
    }
    const en = shown(answerView({ answer: worst, lang: 'en', style: 'text', controls })).replace(/^> .*$/gm, '').replace(/《[^》]*》/g, '');
    expect(en).not.toMatch(/\p{Script=Han}/u);
  });
});

describe('paragraphs, /source and regions within limits', () => {
  const report: Report = { file: '009_x.txt', title: `标题${hostile}${'长'.repeat(500)}`, number: 9, sourceUrl: 'https://example.com/a', paragraphCount: 3, places: [] };
  const paragraph = (number: number, text: string): Paragraph => ({ file: report.file, number, text, hash: '', places: { own: [], inherited: [] } });

  it('a 20 000-character paragraph spreads over embeds within 6000 characters, cut with "…"', () => {
    const message = fullParagraphView(report, paragraph(2, longText(200, 100)), 'zh-CN');
    expect(limitViolations(message)).toEqual([]);
    expect(message.embeds!.length).toBe(2);
    expect(message.embeds!.at(-1)!.description!.endsWith('…')).toBe(true);
    expect(shown(message)).not.toContain(report.file);
  });

  it('/source: the asked paragraph quoted, neighbours cut, buttons to move', () => {
    const ids = { go: (n: number) => customId('source', 'go', 9, n), full: (n: number) => customId('source', 'full', 9, n) };
    const message = sourceView(report, { previous: paragraph(1, longText(80)), current: paragraph(2, longText(100)), next: paragraph(3, longText(80)) }, 'zh-CN', ids);
    expect(limitViolations(message)).toEqual([]);
    expect(rowsOf(message)).toEqual([['source:go:9:1', 'source:go:9:3', 'source:full:9:2']]);
    expect(message.embeds![0]!.description).toMatch(/\*\*第2段\*\*\n> 第1句/);
    const whole = sourceView(report, { current: paragraph(2, '短。') }, 'en', ids);
    expect(rowsOf(whole)).toEqual([]);
  });

  it('a region summary with huge inputs stays within limits', () => {
    const region = regionByName('河北')!;
    const summary: RegionSummary = {
      query: '河北',
      region,
      province: '河北',
      reports: Array.from({ length: 50 }, (_, i) => ({ source: `${i}.txt`, title: '报告'.repeat(100), paragraphs: i })),
      paragraphs: Array.from({ length: 200 }, (_, i) => ({ source: `${i}.txt`, paragraph: 1, title: 't', text: 'x' })),
      places: Array.from({ length: 300 }, (_, i) => ({ name: `地方${i}`, kind: 'city', paragraphs: 1 })),
      summary: Array.from({ length: 6 }, (_, i) => ({ text: longText(30), source: `00${i}_a.txt`, paragraph: i + 1, title: '标题'.repeat(200) })),
      suggestions: [],
    };
    const ids = { passageMenuId: 'region:passage', passageValue: (s: string, p: number) => `${Number(s.slice(0, 3))}-${p}`, reportUrl: () => null };
    for (const lang of ['zh-CN', 'en'] as const) {
      const message = regionSummaryView(summary, lang, ids);
      expect(limitViolations(message)).toEqual([]);
      expect(message.embeds![0]!.description!.match(/^> /gm)).toHaveLength(6);
      expect(limitViolations(regionSummaryView({ ...summary, paragraphs: [] }, lang, ids))).toEqual([]);
      expect(limitViolations(unknownRegionView('x'.repeat(5000), Array.from({ length: 50 }, () => region), lang))).toEqual([]);
      const all = Array.from({ length: 400 }, () => ({ region, paragraphs: 1, reports: 1 }));
      expect(limitViolations(regionsListView(all, lang))).toEqual([]);
      expect(regionChoice(regionByName('新疆')!, 12345, lang).name.length).toBeLessThanOrEqual(100);
    }
  });

  it('an extract that does not name the place starts with the sentence that does', () => {
    const xiongan = regionByName('雄安新区')!;
    const text = '日前，雄安新区启动第三批征迁安置，涉及94个村。新区同步召集容城县、雄县、安新县召开大会。';
    const range = extractRange(text, '新区同步召集容城县、雄县、安新县召开大会。', xiongan)!;
    expect(text.slice(range.start, range.end)).toBe(text);
    const own = extractRange(text, '日前，雄安新区启动第三批征迁安置，涉及94个村。', xiongan)!;
    expect(own).toEqual({ start: 0, end: text.indexOf('新区同步') });
  });

  it('regions: covered ones show their paragraph count', () => {
    expect(regionChoice(regionByName('河北')!, 23, 'zh-CN').name).toBe('河北 · Hebei — 23 段');
    expect(regionChoice(regionByName('清河县')!, 0, 'zh-CN').name).not.toMatch(/段/);
  });
});

describe('custom ids', () => {
  it('parses only well-formed ids', () => {
    expect(parseCustomId('ask:more:abcdefghij:3')).toEqual({ command: 'ask', action: 'more', args: ['abcdefghij', '3'] });
    expect(parseCustomId('source:go:0:1')).toEqual({ command: 'source', action: 'go', args: ['0', '1'] });
    for (const bad of ['page:ABC:1', 'para:0:1;2', `ask:more:${'1'.repeat(200)}`, '', 'ask', '../x:y']) expect(parseCustomId(bad)).toBeNull();
    expect(parseParagraphValue('2-4')).toEqual({ report: 2, paragraph: 4 });
    expect(parseParagraphValue('2:4')).toBeNull();
  });
});
