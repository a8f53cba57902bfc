// Input that costs too much, or that would be skipped without a word: refused
// (or followed) before it costs anything, and always with a reason.
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from './corpus.js';
import { htmlNestingDepth, MAX_HTML_DEPTH, parseReport } from './parse.js';

let dir: string;
let outside: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'limits-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'outside-'));
  await writeFile(path.join(dir, 'good.txt'), '吉林推进主题教育\n吉林市新增停车位36个。\n');
  await mkdir(path.join(dir, 'sub'));
  await writeFile(path.join(dir, 'sub', 'real.txt'), '浙江推进主题教育\n浙江省开展专项整治。\n');
  await writeFile(path.join(outside, 'secret.txt'), '外部文件\n不应被读取的内容。\n');
  await symlink(path.join(dir, 'sub', 'real.txt'), path.join(dir, 'inside-link.txt'));
  await symlink(path.join(outside, 'secret.txt'), path.join(dir, 'outside-link.txt'));
  await symlink(path.join(dir, 'missing.txt'), path.join(dir, 'broken-link.txt'));
  // Sparse: 3 GB on paper, no disk used. Reading it whole would fail (or take seconds and gigabytes).
  await writeFile(path.join(dir, 'huge.txt'), '');
  await truncate(path.join(dir, 'huge.txt'), 3 * 1024 ** 3);
  const nested = '<html><body>' + '<div>'.repeat(100_000) + '正文' + '</div>'.repeat(100_000) + '</body></html>';
  await writeFile(path.join(dir, 'nested.html'), nested);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('8. input that costs too much is refused before it costs', () => {
  it('a file over the size limit is refused from its size, unread; 100,000 nested divs are refused without parsing', async () => {
    const corpus = await readCorpus(dir);
    const skipped = Object.fromEntries(corpus.skipped.map((s) => [s.file, s.reason]));
    expect(skipped['huge.txt']).toBe('file is 3072 MB, over the 50 MB limit for a report');
    expect(skipped['nested.html']).toMatch(/^HTML nested 100002 elements deep, over the limit of 1000$/);
  });

  it('nesting is measured from the tags: optional end tags and void elements do not count', () => {
    expect(htmlNestingDepth('<div><p>一<p>二<br><img src="x"/><span>三</span></div>')).toBe(2);
    expect(htmlNestingDepth('<p>a'.repeat(5000))).toBe(0);
    const deep = '<div>'.repeat(MAX_HTML_DEPTH) + '正文。' + '</div>'.repeat(MAX_HTML_DEPTH);
    expect(parseReport(`标题\n${deep}`, 'deep.txt').paragraphs).toEqual(['正文。']);
  });
});

describe('9. symbolic links in the data folder', () => {
  it('a link to a file inside the folder is read; others are skipped, each with a reason', async () => {
    const corpus = await readCorpus(dir);
    expect(corpus.reports.map((r) => r.file)).toContain('good.txt');
    // inside-link.txt and sub/real.txt carry the same report: one is read, the other is named as its duplicate.
    expect(corpus.reports.map((r) => r.file)).toContain('inside-link.txt');
    const skipped = Object.fromEntries(corpus.skipped.map((s) => [s.file, s.reason]));
    expect(skipped['sub/real.txt']).toMatch(/duplicate report/);
    expect(skipped['outside-link.txt']).toBe(`symbolic link to ${path.join(outside, 'secret.txt')}, outside the data folder (not followed)`);
    expect(skipped['broken-link.txt']).toMatch(/broken link/);
    expect(corpus.paragraphs.map((p) => p.text).join('')).not.toContain('不应被读取');
  });
});
