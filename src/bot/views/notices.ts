// Short one-line replies: refusals, errors, expired controls — in the user's language.
import type { BotMessage } from './common.js';
import { labels, type Labels, type Lang } from './i18n.js';

type Notice = { [K in keyof Labels]: Labels[K] extends string ? K : never }[keyof Labels];

export function notice(lang: Lang, key: Notice): BotMessage {
  return { content: labels(lang)[key], embeds: [], components: [] };
}

export function tooFastView(lang: Lang, seconds: number, limit: number, windowSeconds: number): BotMessage {
  return { content: labels(lang).tooFast(seconds, limit, windowSeconds), embeds: [], components: [] };
}
