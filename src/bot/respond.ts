// Sending helpers: every reply, edit and update goes out with allowed_mentions
// { parse: [] } and passes the limits check first, so a formatting bug turns
// into a short error message and a log line instead of a silent 400.
import {
  MessageFlags,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type MessageCreateOptions,
  type MessageReplyOptions,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import { limitViolations, NO_MENTIONS, type BotMessage } from './views/common.js';
import type { Lang } from './views/i18n.js';
import { notice } from './views/notices.js';

/** The message if it is within Discord's limits, else a short error (and the violation logged). */
export function checked(message: BotMessage, logger: Logger): BotMessage {
  const problems = limitViolations(message);
  if (problems.length === 0) return message;
  logger.error({ problems }, 'message over Discord limits; sent an error instead');
  return notice('en', 'error');
}

/** Full body: edits and updates must clear what the old message had. */
function body(message: BotMessage) {
  return { content: message.content ?? '', embeds: message.embeds ?? [], components: message.components ?? [] };
}

export function replyOptions(message: BotMessage, logger: Logger, ephemeral = false): InteractionReplyOptions & { withResponse?: false } {
  const m = checked(message, logger);
  return { ...body(m), allowedMentions: NO_MENTIONS, ...(ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}) };
}

export function editOptions(message: BotMessage, logger: Logger): InteractionEditReplyOptions {
  return { ...body(checked(message, logger)), allowedMentions: NO_MENTIONS };
}

export function updateOptions(message: BotMessage, logger: Logger): InteractionUpdateOptions {
  return { ...body(checked(message, logger)), allowedMentions: NO_MENTIONS };
}

export function messageSendOptions(message: BotMessage, logger: Logger): MessageCreateOptions {
  return { ...body(checked(message, logger)), allowedMentions: NO_MENTIONS };
}

export function messageReplyOptions(message: BotMessage, logger: Logger): MessageReplyOptions {
  // failIfNotExists: a question deleted before the answer still gets one (without the reply link).
  return { ...body(checked(message, logger)), allowedMentions: NO_MENTIONS, failIfNotExists: false };
}

/** A short ephemeral message for a user whose interaction failed; never throws. */
export async function replyWithError(interaction: RepliableInteraction, logger: Logger, lang: Lang, message: BotMessage = notice(lang, 'error')): Promise<void> {
  const options = replyOptions(message, logger, true);
  try {
    if (interaction.isMessageComponent()) {
      // A button's deferred update must keep the message it belongs to: add an ephemeral note.
      if (interaction.deferred || interaction.replied) await interaction.followUp(options);
      else await interaction.reply(options);
    } else if (interaction.deferred && !interaction.replied) {
      // A deferred public reply cannot turn ephemeral: remove the "thinking…" message, then follow up.
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp(options);
    } else if (interaction.replied) {
      await interaction.followUp(options);
    } else {
      await interaction.reply(options);
    }
  } catch (error) {
    logger.warn({ err: error, interaction: interaction.id }, 'could not tell the user about an error');
  }
}
