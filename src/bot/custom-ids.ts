// Component custom ids: "<command>:<action>:<arg>…", each command owning its prefix (the
// discord.js guide's one-file-per-command layout). Ids come back from users' clients, so they
// are parsed strictly here and every argument is checked again by the handler that owns it.
import { MAX_CUSTOM_ID } from './views/common.js';

export { MAX_CUSTOM_ID };

/** Question keys: 10 lower-case base-36 characters. */
export const KEY_PATTERN = /^[0-9a-z]{10}$/;

export interface ParsedId {
  command: string;
  action: string;
  args: string[];
}

export function customId(command: string, action: string, ...args: Array<string | number>): string {
  return [command, action, ...args.map(String)].join(':');
}

/** Null when malformed (too long, odd characters, missing parts). */
export function parseCustomId(id: string): ParsedId | null {
  if (id.length > MAX_CUSTOM_ID || !/^[a-z]+:[a-z]+(:[0-9a-z]{1,20})*$/.test(id)) return null;
  const [command, action, ...args] = id.split(':');
  return { command: command!, action: action!, args };
}

/** A non-negative integer argument below `max`, or null. */
export function intArg(arg: string | undefined, max: number): number | null {
  if (arg === undefined || !/^\d{1,9}$/.test(arg)) return null;
  const n = Number(arg);
  return n < max ? n : null;
}

/** "report:paragraph" as a select-menu value (report = index in store.reports). */
export function paragraphValue(report: number, paragraph: number): string {
  return `${report}-${paragraph}`;
}

export function parseParagraphValue(value: string | undefined): { report: number; paragraph: number } | null {
  const m = value === undefined ? null : /^(\d{1,6})-(\d{1,6})$/.exec(value);
  return m ? { report: Number(m[1]), paragraph: Number(m[2]) } : null;
}
