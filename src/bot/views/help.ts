// /help: how to use the bot, in the user's language.
import { COLOUR, type BotMessage } from './common.js';
import { labels, type Lang } from './i18n.js';

export function helpView(lang: Lang): BotMessage {
  const t = labels(lang);
  return { content: '', embeds: [{ title: t.helpTitle, description: t.help.join('\n'), color: COLOUR }], components: [] };
}
