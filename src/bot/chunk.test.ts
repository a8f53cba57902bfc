// "Full paragraph" on a huge paragraph: only what is shown is escaped and split.
import { describe, expect, it } from 'vitest';
import { chunkQuote } from './chunk.js';
import { escapeText } from './views/common.js';

const LIMITS = { size: 4096, total: 5500, chunks: 10 };

describe('5. chunkQuote', () => {
  it('a 200,000-character paragraph without sentence punctuation takes milliseconds, not seconds', () => {
    const text = '各地继续深入推进主题教育整改事项已经完成'.repeat(10_000);
    chunkQuote('预热。'.repeat(10), LIMITS, escapeText);
    const t0 = performance.now();
    const chunks = chunkQuote(text, LIMITS, escapeText);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(500); // it took 4.8 s, re-slicing the whole text for every chunk
    expect(chunks.length).toBe(2);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(LIMITS.size);
    expect(chunks.join('').length).toBeLessThanOrEqual(LIMITS.total);
    expect(chunks.at(-1)!.endsWith('…')).toBe(true);
    expect(text.startsWith(chunks.join('').slice(0, -1))).toBe(true);
  });

  it('short text is shown whole, escaped, without an ellipsis; sentences are not split', () => {
    const text = '第一句*重点*。第二句_很长_。';
    expect(chunkQuote(text, LIMITS, escapeText)).toEqual([escapeText(text)]);
    const sentences = '这是一个用于测试的句子，内容足够长以便累积超过限制。'.repeat(200);
    const chunks = chunkQuote(sentences, LIMITS, escapeText);
    for (const c of chunks.slice(0, -1)) expect(c.endsWith('。')).toBe(true);
  });

  it('text that just fits the total is shown whole; one unit more is cut with an ellipsis', () => {
    const exact = '字'.repeat(LIMITS.total);
    expect(chunkQuote(exact, LIMITS, escapeText).join('')).toBe(exact);
    const over = chunkQuote(exact + '多', LIMITS, escapeText).join('');
    expect(over.endsWith('…')).toBe(true);
    expect(over.length).toBeLessThanOrEqual(LIMITS.total);
  });
});
