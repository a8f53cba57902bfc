// Button custom ids: compact, versionless strings that are parsed and validated
// on every click, because anyone can send any custom id to the bot.
//   page:<key>:<n>        show result page n of the question remembered under key
//   para:<report>:<n>     the full text of paragraph n of store.reports[report]
//   src:<report>:<n>      /source view (paragraph with neighbours) of that paragraph
import type { Store } from '../index/store.js';

export const MAX_CUSTOM_ID = 100;
/** Question keys: 10 lower-case base-36 characters. */
export const KEY_PATTERN = /^[0-9a-z]{10}$/;

export type ParsedId =
  | { kind: 'page'; key: string; page: number }
  | { kind: 'para'; report: number; paragraph: number }
  | { kind: 'src'; report: number; paragraph: number };

export function pageId(key: string, page: number): string {
  return `page:${key}:${page}`;
}

export function paraId(report: number, paragraph: number): string {
  return `para:${report}:${paragraph}`;
}

export function sourceId(report: number, paragraph: number): string {
  return `src:${report}:${paragraph}`;
}

/**
 * Parses a custom id; null when it is malformed or points outside the store
 * (an old button from before a re-index, or a forged id).
 */
export function parseCustomId(id: string, store: Store, maxPage: number): ParsedId | null {
  if (id.length > MAX_CUSTOM_ID) return null;
  const page = /^page:([0-9a-z]{10}):(\d{1,3})$/.exec(id);
  if (page) {
    const n = Number(page[2]);
    return n >= 0 && n < maxPage ? { kind: 'page', key: page[1]!, page: n } : null;
  }
  const para = /^(para|src):(\d{1,6}):(\d{1,6})$/.exec(id);
  if (para) {
    const report = Number(para[2]);
    const paragraph = Number(para[3]);
    const r = store.reports[report];
    if (!r || paragraph < 1 || paragraph > r.paragraphCount) return null;
    return para[1] === 'para' ? { kind: 'para', report, paragraph } : { kind: 'src', report, paragraph };
  }
  return null;
}
