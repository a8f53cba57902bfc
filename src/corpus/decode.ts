// Bytes of a report file → text. Reports arrive as UTF-8 (with or without
// BOM), UTF-16, GBK/GB18030 or Big5; anything that is not text is refused
// with a reason the operator can act on.
import chardet from 'chardet';
import iconv from 'iconv-lite';

export class ReportFileError extends Error {}

const MAGIC: Array<[string, number[]]> = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a ZIP archive (or .docx/.xlsx)', [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip archive', [0x1f, 0x8b]],
  ['an old Word/Excel document', [0xd0, 0xcf, 0x11, 0xe0]],
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

export interface DecodedText {
  text: string;
  encoding: string;
}

export function decodeReport(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw new ReportFileError('the file is empty (0 bytes)');
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return checked(iconv.decode(Buffer.from(bytes.subarray(3)), 'utf8'), 'UTF-8 (BOM)');
  if (startsWith(bytes, [0xff, 0xfe])) return checked(iconv.decode(Buffer.from(bytes.subarray(2)), 'utf16le'), 'UTF-16LE');
  if (startsWith(bytes, [0xfe, 0xff])) return checked(iconv.decode(Buffer.from(bytes.subarray(2)), 'utf16be'), 'UTF-16BE');
  for (const [what, magic] of MAGIC) {
    if (startsWith(bytes, magic)) throw new ReportFileError(`binary file (looks like ${what}), not a text or HTML report`);
  }
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw new ReportFileError('binary file (contains NUL bytes), not a text or HTML report');

  try {
    return checked(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'UTF-8');
  } catch {
    // Not UTF-8: a legacy Chinese encoding. GB18030 is a superset of GBK and GB2312.
  }
  const guess = chardet.detect(bytes) ?? '';
  const encoding = /big5/i.test(guess) ? 'big5' : 'gb18030';
  return checked(iconv.decode(Buffer.from(bytes), encoding), encoding === 'big5' ? 'Big5' : 'GB18030');
}

/** Rejects decodings that are mostly replacement or control characters: the encoding was wrong or the file is binary. */
function checked(text: string, encoding: string): DecodedText {
  const sample = text.slice(0, 20000);
  if (sample.trim().length === 0) throw new ReportFileError('the file is empty (only whitespace)');
  // eslint-disable-next-line no-control-regex
  const bad = (sample.match(/[\uFFFD\u0000-\u0008\u000E-\u001F]/g) ?? []).length;
  if (bad / sample.length > 0.02) {
    throw new ReportFileError(`cannot decode the text (tried ${encoding}; ${bad} unreadable characters): save it as UTF-8`);
  }
  return { text, encoding };
}
