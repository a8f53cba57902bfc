// messageCreate: a message mentioning the bot, any DM, or (with REPLY_IN_THREAD=on) any message
// in a thread the bot started is a question. The reply follows the question's language; with
// REPLY_IN_THREAD=on a mention in a text channel is answered in a new thread named after it.
import { ChannelType, Events, type Message } from 'discord.js';
import { renderAnswer } from '../commands/ask.js';
import type { BotContext } from '../context.js';
import { runQuestion, type QuestionVia } from '../question-flow.js';
import { cleanQuestion } from '../question-text.js';
import { messageReplyOptions, messageSendOptions } from '../respond.js';
import { truncatePlain } from '../views/common.js';
import { langOfText } from '../views/i18n.js';
import { notice } from '../views/notices.js';
import type { BotEvent } from './types.js';

/** A mention over the rate limit gets this reaction (once per window), not a message echoed into the channel. */
export const TOO_FAST_REACTION = '⏳';

/** Beyond this many questions in flight, skip the typing indicator: it costs a request from the global budget. */
const TYPING_MAX_PENDING = 10;
/** Discord's limit on thread names. */
const THREAD_NAME = 100;
/** Minutes of inactivity before Discord archives the thread. */
const THREAD_ARCHIVE_MINUTES = 1440;

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
    const mentioned = new RegExp(mention).test(message.content);
    const channel = message.channel;
    const ownThread = context.settings.replyInThread && channel.isThread() && channel.ownerId === me.id;
    if (!isDm && !mentioned && !ownThread) return;
    const text = message.content.replace(new RegExp(mention, 'g'), ' ');
    const { logger } = context;
    const via: QuestionVia = isDm ? 'dm' : channel.isThread() ? 'thread' : 'mention';
    // A new thread for a mention in a plain text channel (not in a thread, a DM, or a forum post).
    const threadFor = context.settings.replyInThread && !isDm && mentioned && channel.type === ChannelType.GuildText;
    try {
      await runQuestion(
        context,
        { text, via, user: message.author.id, lang: langOfText(cleanQuestion(text)), guildId: message.guildId, channelId: message.channelId },
        {
          acknowledge: async () => {
            if (!threadFor && channel.isSendable() && context.pending.size <= TYPING_MAX_PENDING) {
              channel.sendTyping().catch((error: unknown) => logger.debug({ err: error }, 'typing failed'));
            }
          },
          send: async (reply, kind) => {
            if (threadFor && kind === 'answer') {
              const thread = await message.startThread({ name: truncatePlain(cleanQuestion(text), THREAD_NAME), autoArchiveDuration: THREAD_ARCHIVE_MINUTES });
              await thread.send(messageSendOptions(reply, logger));
            } else {
              await message.reply(messageReplyOptions(reply, logger));
            }
          },
          // Too fast: told once per window — in a DM (private) in words, in a channel with one reaction.
          tooFast: async (reply, firstInWindow) => {
            if (!firstInWindow) return;
            if (isDm) await message.reply(messageReplyOptions(reply, logger));
            else await message.react(TOO_FAST_REACTION).catch((error: unknown) => logger.debug({ err: error }, 'reaction failed'));
          },
        },
        (answered) => renderAnswer(context, answered, 'text'),
      );
    } catch (error) {
      logger.error({ err: error, message: message.id, channel: message.channelId }, 'answering a message failed');
      await message.reply(messageReplyOptions(notice(langOfText(text), 'error'), logger)).catch((e: unknown) => logger.warn({ err: e }, 'could not send the error reply'));
    }
  },
};
