// messageCreate: a message mentioning the bot, or any DM, is a question; the
// answer is a reply to that message. Everything else is ignored.
import { Events, type Message } from 'discord.js';
import { admitQuestion, answerQuestion, EMPTY_QUESTION } from '../answer.js';
import { MAX_PAGES, PAGE_SIZE, type BotContext } from '../context.js';
import { answerText, errorMessage } from '../format.js';
import { withFeedback } from '../feedback.js';
import { cleanQuestion } from '../question-text.js';
import { messageReplyOptions } from '../respond.js';
import type { BotEvent } from './types.js';

/** Beyond this many questions in flight, skip the typing indicator: it costs a request from the global budget. */
const TYPING_MAX_PENDING = 10;

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
    const question = cleanQuestion(message.content.replace(new RegExp(mention, 'g'), ' '));
    const { logger } = context;
    const via = isDm ? 'dm' : 'mention';
    let release: (() => void) | null = null;
    try {
      if (!question) {
        await message.reply(messageReplyOptions(EMPTY_QUESTION, logger));
        return;
      }
      const admission = admitQuestion(context, message.author.id, via);
      if (!admission.ok) {
        await message.reply(messageReplyOptions(admission.message, logger));
        return;
      }
      release = admission.release;
      if (message.channel.isSendable() && context.pending.size <= TYPING_MAX_PENDING) {
        message.channel.sendTyping().catch((error: unknown) => logger.debug({ err: error }, 'typing failed'));
      }
      const { answer, view, questionId } = await answerQuestion(context, question, via, message.author.id, { guildId: message.guildId, channelId: message.channelId });
      const key = answer.answerable && answer.hits.length > PAGE_SIZE ? context.remember({ question, style: 'text' }) : null;
      const reply = answerText({ answer, page: 0, pageSize: PAGE_SIZE, maxPages: MAX_PAGES, key, reportIndex: view.reportIndex });
      await message.reply(messageReplyOptions(withFeedback(reply, questionId), logger));
    } catch (error) {
      logger.error({ err: error, message: message.id, channel: message.channelId }, 'answering a message failed');
      await message.reply(messageReplyOptions(errorMessage(), logger)).catch((e: unknown) => logger.warn({ err: e }, 'could not send the error reply'));
    } finally {
      release?.();
    }
  },
};
