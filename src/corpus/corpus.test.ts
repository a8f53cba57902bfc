import { mkdtemp, mkdir, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { readCorpus } from './corpus.js';
import { parseReport, parseTitle } from './parse.js';
import { splitIntoPassages, MAX_PASSAGE_CHARS } from './passages.js';

const DATA = path.join(PROJECT_ROOT, 'data');

describe('the real reports in data/', () => {
  it('parses titles, numbers and paragraph counts', async () => {
    const corpus = await readCorpus(DATA);
    expect(corpus.skipped).toEqual([]);
    expect(corpus.reports.map((r) => r.paragraphCount)).toEqual([20, 12, 19, 5, 22]);
    expect(corpus.reports.map((r) => r.number)).toEqual([26, null, 13, 18, 19]);
    const [first, second] = corpus.reports;
    expect(first!.title).toBe('各地市、县机关及其直属单位和企事业单位全面启动第二批主题教育：高标准起步 高质量推进');
    expect(second!.title).toBe('河北、吉林、浙江、新疆扎实开展第二批主题教育：全面检视问题 不折不扣整改');
    const p4 = corpus.paragraphs.find((p) => p.file === '002_d8a4dfaa46811922.txt' && p.number === 4)!;
    expect(p4.text).toBe('据了解，北京市第二批主题教育共有49家区局级单位，包括16个区和33家市属高校等教育系统单位，涵盖党员139.5万人，党组织5.49万个。');
    // Full-width indentation and markup are gone; no paragraph is empty.
    expect(corpus.paragraphs.every((p) => p.text.length > 0 && !/^[\s\u3000]/.test(p.text) && !p.text.includes('<'))).toBe(true);
  });

  it('keeps every passage within the model window and each passage in its paragraph', async () => {
    const corpus = await readCorpus(DATA);
    for (const passage of corpus.passages) {
      expect(passage.text.replace(/\s/g, '').length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      const paragraph = corpus.paragraphs.find((p) => p.file === passage.file && p.number === passage.paragraph)!;
      expect(paragraph.text).toContain(passage.text);
    }
    expect(corpus.passages.length).toBeGreaterThan(corpus.paragraphs.length);
  });
});

describe('titles', () => {
  it('strips a leading sequence number and a .txt tail, keeping the number', () => {
    expect(parseTitle('26各地市全面启动第二批主题教育.txt')).toEqual({ title: '各地市全面启动第二批主题教育', number: 26 });
    expect(parseTitle('河北扎实开展主题教育')).toEqual({ title: '河北扎实开展主题教育', number: null });
  });
  it('does not take a year or a quantity for a sequence number', () => {
    expect(parseTitle('2019年主题教育综述')).toEqual({ title: '2019年主题教育综述', number: null });
    expect(parseTitle('3个专项整治见成效')).toEqual({ title: '3个专项整治见成效', number: null });
  });
});

describe('report formats', () => {
  it('reads plain text with a 来源 line, one paragraph per line', () => {
    const r = parseReport('浙江开展主题教育\n来源：https://example.org/a.html\n第一段内容。\n\n第二段内容。\n', 'a.txt');
    expect(r).toEqual({ title: '浙江开展主题教育', number: null, sourceUrl: 'https://example.org/a.html', paragraphs: ['第一段内容。', '第二段内容。'] });
  });
  it('joins hard-wrapped lines inside blank-line separated blocks', () => {
    const r = parseReport('标题\n\n第一段第一行\n第一段第二行。\n\n第二段。', 'b.txt');
    expect(r.paragraphs).toEqual(['第一段第一行第一段第二行。', '第二段。']);
  });
  it('reads a whole HTML document, dropping scripts, styles and entities', () => {
    const html = '<html><head><title>吉林推进主题教育</title><style>p{}</style></head><body><h1>吉林推进主题教育</h1>' +
      '<p>第一段&nbsp;内容&amp;更多。</p><script>alert(1)</script><div><p>第二段<b>加粗</b>。<p>第三段</div></body></html>';
    const r = parseReport(html, 'c.html');
    expect(r.title).toBe('吉林推进主题教育');
    expect(r.paragraphs).toEqual(['第一段 内容&更多。', '第二段加粗。', '第三段']);
  });
});

describe('a data folder with bad and unusual files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'corpus-'));
    await cp(path.join(DATA, '003_3ab517bc4223d4d7.txt'), path.join(dir, '003.txt'));
    await writeFile(path.join(dir, 'gbk.txt'), iconv.encode('广西宾阳县开展主题教育\n宾阳县发放学习资料5万多册。\n', 'gbk'));
    await writeFile(path.join(dir, 'traditional.txt'), '內蒙古推進主題教育\n內蒙古自治區黨委制定實施方案。\n');
    await writeFile(path.join(dir, 'empty.txt'), '');
    await writeFile(path.join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    await writeFile(path.join(dir, 'title-only.txt'), '只有标题\n\n');
    await mkdir(path.join(dir, 'sub folder'));
    await writeFile(path.join(dir, 'sub folder', '新 报告.txt'), '\uFEFF新疆巩留县开展专项整治\n巩留县重点整治问题。');
  });

  it('indexes every good file and skips each bad one with a reason naming it', async () => {
    const corpus = await readCorpus(dir);
    expect(corpus.reports.map((r) => r.file).sort()).toEqual(['003.txt', 'gbk.txt', 'sub folder/新 报告.txt', 'traditional.txt']);
    const skipped = Object.fromEntries(corpus.skipped.map((s) => [s.file, s.reason]));
    expect(Object.keys(skipped).sort()).toEqual(['empty.txt', 'image.png', 'title-only.txt']);
    expect(skipped['empty.txt']).toMatch(/empty/);
    expect(skipped['image.png']).toMatch(/PNG/);
    expect(skipped['title-only.txt']).toMatch(/no paragraphs/);
  });

  it('decodes GBK and keeps traditional characters as written', async () => {
    const corpus = await readCorpus(dir);
    const text = (file: string) => corpus.paragraphs.filter((p) => p.file === file).map((p) => p.text);
    expect(text('gbk.txt')).toEqual(['宾阳县发放学习资料5万多册。']);
    expect(text('traditional.txt')).toEqual(['內蒙古自治區黨委制定實施方案。']);
    expect(corpus.reports.find((r) => r.file === 'sub folder/新 报告.txt')!.title).toBe('新疆巩留县开展专项整治');
  });
});

describe('passages', () => {
  it('splits a long paragraph on sentence ends without losing text', () => {
    const sentence = '这是一个用于测试的句子，内容足够长以便累积超过限制。';
    const long = sentence.repeat(60);
    const parts = splitIntoPassages(long);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(long);
    for (const part of parts) expect(part.endsWith('。')).toBe(true);
  });
});
