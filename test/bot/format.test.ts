// Message building against Discord's limits with synthetic worst cases (no model,
// no index): huge passages, long titles, many copies, hostile text.
import { describe, expect, it } from 'vitest';
import type { Paragraph, Report } from '../../src/corpus/types.js';
import type { Store } from '../../src/index/store.js';
import { regionByName } from '../../src/places/lookup.js';
import type { RegionSummary } from '../../src/summaries/summary.js';
import type { Answer, Hit } from '../../src/retrieval/types.js';
import { parseCustomId } from '../../src/bot/custom-ids.js';
import {
  allocate,
  answerEmbed,
  answerText,
  escapeText,
  excerpt,
  fullParagraphMessage,
  limitViolations,
  regionChoice,
  regionsListMessage,
  regionSummaryMessage,
  sourceMessage,
  unknownRegionMessage,
  type AnswerPage,
} from '../../src/bot/format.js';
import { Lru } from '../../src/bot/lru.js';

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
    regions: [],
    bestSentence: best >= 0 ? { start: best, end, text: text.slice(best, end) } : null,
    alsoIn: [],
    ...extra,
  };
}

function page(answer: Answer, p = 0): AnswerPage {
  return { answer, page: p, pageSize: 5, maxPages: 4, key: 'abcdefghij', reportIndex: (file) => Number(file.slice(0, 3)) };
}

const worst: Answer = {
  question: `${hostile}${'问'.repeat(3000)}`,
  truncated: true,
  answerable: true,
  reason: null,
  hits: Array.from({ length: 20 }, (_, i) =>
    hit(i, longText(40, 100), {
      alsoIn: Array.from({ length: 8 }, (_, j) => ({ source: `copy_${j}.txt`, title: '副本'.repeat(200), reportNumber: null, paragraph: j + 1, sourceUrl: null, text: 'x' })),
    }),
  ),
};

describe('answers within limits', () => {
  it.each([0, 1, 3])('embed and text answers for page %i of 20 huge hits', (p) => {
    for (const message of [answerEmbed(page(worst, p)), answerText(page(worst, p))]) {
      expect(limitViolations(message)).toEqual([]);
      const text = message.content || message.embeds![0]!.description!;
      // Long passages are cut with "…"; every quote keeps its citation.
      expect(text).toMatch(/…(\*\*)?”/);
      expect(text.match(/^— .* · 第\d+段/gm)!.length).toBe(5);
    }
    // An embed has room to keep the bold best sentence whole, cut at sentence ends around it.
    const description = answerEmbed(page(worst, p)).embeds![0]!.description!;
    expect(description).toContain(`**${sentence(3, 100)}**`);
    expect(description).toMatch(/。…”/);
  });

  it('offers "Full paragraph" for each distinct paragraph and pages with short, unique ids', () => {
    const same = { ...worst, hits: [hit(1, 'a。'), hit(1, 'b。'), hit(2, 'c。'), hit(3, 'd。'), hit(4, 'e。'), hit(5, 'f。')] };
    const message = answerEmbed(page(same));
    const ids = message.components!.flatMap((r) => r.components.map((c) => c.custom_id));
    expect(ids).toEqual(['para:1:2', 'para:2:3', 'para:3:4', 'para:4:5', 'page:abcdefghij:1']);
    expect(limitViolations(message)).toEqual([]);
  });

  it('escapes hostile text and breaks mentions', () => {
    const escaped = escapeText(hostile);
    expect(escaped).not.toMatch(/@everyone|<@123>|<@&456>/);
    expect(escaped).toContain('\\|\\|spoiler\\|\\|');
    expect(escaped).toContain('\\`code\\`');
    expect(escaped).toContain('\\*\\*bold\\*\\*');
    expect(escaped).toContain('\\>');
    expect(escapeText('002_d8a4dfaa46811922.txt')).toBe('002_d8a4dfaa46811922.txt');
  });

  it('a not-found answer quotes nothing', () => {
    const message = answerText(page({ question: hostile, truncated: false, answerable: false, reason: 'The reports say nothing about 广东.', hits: worst.hits }));
    expect(message.content).toMatch(/Not found/);
    expect(message.content).toContain('/region');
    expect(message.content).not.toContain('测试内容');
    expect(message.embeds ?? []).toEqual([]);
    expect(message.components ?? []).toEqual([]);
  });
});

describe('excerpt', () => {
  const text = longText(10);
  const best = { start: text.indexOf('第5句'), end: text.indexOf('第6句'), text: sentence(5) };

  it('quotes a passage whole when it fits', () => {
    expect(excerpt('短句。', null, 100)).toEqual({ text: '“短句。”', cut: false });
  });

  it('keeps whole sentences around the best one within the budget', () => {
    const out = excerpt(text, best, 300);
    expect(out.cut).toBe(true);
    expect(out.text.length).toBeLessThanOrEqual(300);
    expect(out.text).toContain(`**${sentence(5)}**`);
    expect(out.text).toMatch(/^“…第\d句/);
    expect(out.text).toMatch(/。…”$/);
  });

  it('cuts a single over-long sentence inside it', () => {
    const one = `${'很'.repeat(5000)}。`;
    const out = excerpt(one, { start: 0, end: one.length, text: one }, 500);
    expect(out.text.length).toBeLessThanOrEqual(500);
    expect(out.text).toMatch(/^“\*\*很+…\*\*”$/);
  });

  it('shares a budget so short blocks stay whole', () => {
    expect(allocate([100, 200, 5000], 1000)).toEqual([100, 200, 700]);
    expect(allocate([10, 20], 1000)).toEqual([10, 20]);
  });
});

describe('paragraphs and regions within limits', () => {
  const report: Report = { file: '009_x.txt', title: `标题${hostile}${'长'.repeat(500)}`, number: 9, sourceUrl: 'https://example.com/a', paragraphCount: 3 };
  const paragraph = (number: number, text: string): Paragraph => ({ file: report.file, number, text, hash: '', regions: [] });

  it('a 20 000-character paragraph spreads over embeds within 6000 characters, cut with "…"', () => {
    const message = fullParagraphMessage(report, paragraph(2, longText(200, 100)));
    expect(limitViolations(message)).toEqual([]);
    expect(message.embeds!.length).toBe(2);
    expect(message.embeds!.at(-1)!.description!.endsWith('…')).toBe(true);
  });

  it('/source with huge neighbours stays within limits and marks the cut', () => {
    const message = sourceMessage(report, 9, { previous: paragraph(1, longText(80)), current: paragraph(2, longText(100)), next: paragraph(3, longText(80)) });
    expect(limitViolations(message)).toEqual([]);
    expect(message.components![0]!.components.map((c) => c.custom_id)).toEqual(['src:9:1', 'src:9:3', 'para:9:2']);
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
    const message = regionSummaryMessage(summary, (file) => Number(file.slice(0, 3)));
    expect(limitViolations(message)).toEqual([]);
    expect(message.embeds![0]!.description!.match(/— 《/g)!.length).toBe(6);
    expect(limitViolations(regionSummaryMessage({ ...summary, paragraphs: [] }, () => 0))).toEqual([]);
    expect(limitViolations(unknownRegionMessage('x'.repeat(5000), Array.from({ length: 50 }, () => '地'.repeat(100))))).toEqual([]);
    const all = Array.from({ length: 400 }, () => ({ region, paragraphs: 1, reports: 1 }));
    expect(limitViolations(regionsListMessage(all))).toEqual([]);
    expect(regionChoice(regionByName('新疆')!, 12345).name.length).toBeLessThanOrEqual(100);
  });
});

describe('button ids and state', () => {
  const store = { reports: [{ file: 'a.txt', title: 't', number: null, sourceUrl: null, paragraphCount: 3 }], paragraphs: [], passages: [] } as Store;

  it('parses only well-formed ids that point inside the store', () => {
    expect(parseCustomId('para:0:3', store, 4)).toEqual({ kind: 'para', report: 0, paragraph: 3 });
    expect(parseCustomId('src:0:1', store, 4)).toEqual({ kind: 'src', report: 0, paragraph: 1 });
    expect(parseCustomId('page:abcdefghij:3', store, 4)).toEqual({ kind: 'page', key: 'abcdefghij', page: 3 });
    for (const bad of ['para:0:4', 'para:0:0', 'para:1:1', 'page:abcdefghij:4', 'page:ABC:1', 'para:0:1:2', `para:0:${'1'.repeat(200)}`, '']) {
      expect(parseCustomId(bad, store, 4)).toBeNull();
    }
  });

  it('forgets the least recently used questions', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
  });
});
