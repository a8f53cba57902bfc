import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('9. printable', () => {
  it('shows control, separator and bidi characters as escapes and leaves the rest alone', () => {
    expect(printable('a\nb\r\tc\u001b[31m\u2028\u202e报告《标题》.txt')).toBe('a\\nb\\r\\tc\\u{1b}[31m\\u{2028}\\u{202e}报告《标题》.txt');
  });
});
