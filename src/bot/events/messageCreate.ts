// messageCreate: a message mentioning the bot, or any DM, is a question; the
// answer is a reply to that message. Everything else is ignored.
import { Events, type Message } from 'discord.js';
import { answerQuestion } from '../answer.js';
import { MAX_PAGES, PAGE_SIZE, type BotContext } from '../context.js';
import { answerText, errorMessage, type BotMessage } from '../format.js';
import { messageReplyOptions } from '../respond.js';
import type { BotEvent } from './types.js';

const EMPTY_QUESTION: BotMessage = {
  content: '请在提及我时附上问题，例如：@我 北京第二批主题教育涉及多少党员？也可以用 `/ask`、`/region`、`/help`。\nAsk me a question after the mention, or use `/ask`, `/region`, `/help`.',
};

export const event: BotEvent<Events.MessageCreate> = {
  name: Events.MessageCreate,
  async execute(message: Message, context: BotContext) {
    // Our own replies come back through the gateway too; other bots are not asking.
    if (message.author.bot || message.system || message.webhookId) return;
    const me = message.client.user;
    // Users often pick the bot's managed role from the mention menu instead of the bot: same intent.
    const role = message.inGuild() ? message.guild.roles.botRoleFor(me) : null;
    const mention = role ? `<@!?${me.id}>|<@&${role.id}>` : `<@!?${me.id}>`;
    const isDm = !message.inGuild();
    // Only an explicit mention in the text counts: a reply to the bot also "mentions" it.
    if (!isDm && !new RegExp(mention).test(message.content)) return;
    const question = message.content.replace(new RegExp(mention, 'g'), ' ').replace(/\s+/g, ' ').trim();
    const { logger } = context;
    try {
      if (!question) {
        await message.reply(messageReplyOptions(EMPTY_QUESTION, logger));
        return;
      }
      if (message.channel.isSendable()) message.channel.sendTyping().catch((error: unknown) => logger.debug({ err: error }, 'typing failed'));
      const answer = await answerQuestion(context, question, isDm ? 'dm' : 'mention', message.author.id);
      const key = answer.answerable && answer.hits.length > PAGE_SIZE ? context.remember({ question, style: 'text' }) : null;
      const reply = answerText({ answer, page: 0, pageSize: PAGE_SIZE, maxPages: MAX_PAGES, key, reportIndex: context.reportIndex });
      await message.reply(messageReplyOptions(reply, logger));
    } catch (error) {
      logger.error({ err: error, message: message.id, channel: message.channelId }, 'answering a message failed');
      await message.reply(messageReplyOptions(errorMessage(), logger)).catch((e: unknown) => logger.warn({ err: e }, 'could not send the error reply'));
    }
  },
};
