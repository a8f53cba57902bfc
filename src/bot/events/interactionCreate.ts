// interactionCreate: slash commands, autocomplete, and components routed to the command that
// owns their custom-id prefix. Errors reach the user as a short private message in their
// language; the details go to the log.
import { Events, type Interaction } from 'discord.js';
import { commandsByName } from '../commands/index.js';
import type { BotContext } from '../context.js';
import { parseCustomId } from '../custom-ids.js';
import { FEEDBACK_PREFIX, handleFeedback } from '../feedback.js';
import { replyOptions, replyWithError } from '../respond.js';
import { langFromLocale } from '../views/i18n.js';
import { notice } from '../views/notices.js';
import type { BotEvent } from './types.js';
import { pseudonym } from '../../log.js';

export const event: BotEvent<Events.InteractionCreate> = {
  name: Events.InteractionCreate,
  async execute(interaction: Interaction, context: BotContext) {
    const { logger } = context;
    const lang = langFromLocale('locale' in interaction ? interaction.locale : null);
    if (!context.lifecycle.accepting) {
      // Shutting down: say so rather than start work that the exit would cut off.
      if (interaction.isAutocomplete()) await interaction.respond([]).catch(() => undefined);
      else if (interaction.isRepliable()) await interaction.reply(replyOptions(notice(lang, 'stopping'), logger, true)).catch(() => undefined);
      return;
    }
    if (interaction.isAutocomplete()) {
      const command = commandsByName.get(interaction.commandName);
      try {
        if (command?.autocomplete) await command.autocomplete(interaction, context);
        else await interaction.respond([]);
      } catch (error) {
        // An autocomplete cannot show an error; an empty list is the least confusing answer.
        logger.error({ err: error, command: interaction.commandName }, 'autocomplete failed');
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      }
      return;
    }
    if (interaction.isChatInputCommand()) {
      const command = commandsByName.get(interaction.commandName);
      const t0 = performance.now();
      try {
        if (!command) {
          logger.warn({ command: interaction.commandName }, 'unknown command (run npm run deploy-commands?)');
          await replyWithError(interaction, logger, lang, notice(lang, 'unknownCommand'));
          return;
        }
        await command.execute(interaction, context);
        logger.debug({ event: 'command', command: interaction.commandName, ms: Math.round(performance.now() - t0) }, 'command done');
      } catch (error) {
        logger.error({ err: error, command: interaction.commandName, user: pseudonym(interaction.user.id) }, 'command failed');
        await replyWithError(interaction, logger, lang);
      }
      return;
    }
    if (interaction.isMessageComponent()) {
      if (interaction.customId.startsWith(FEEDBACK_PREFIX) && (interaction.isButton() || interaction.isStringSelectMenu())) {
        await handleFeedback(interaction, context).catch(async (error: unknown) => {
          logger.error({ err: error, customId: interaction.customId.slice(0, 100) }, 'feedback failed');
          await replyWithError(interaction, logger, lang);
        });
        return;
      }
      const id = parseCustomId(interaction.customId);
      const owned = id ? commandsByName.get(id.command)?.components : undefined;
      const handler = id && owned && Object.hasOwn(owned, id.action) ? owned[id.action] : undefined;
      try {
        if (!id || !handler) {
          logger.info({ event: 'component', customId: interaction.customId.slice(0, 100) }, 'unknown component');
          await interaction.reply(replyOptions(notice(lang, 'invalid'), logger, true));
          return;
        }
        await handler(interaction, id.args, context);
      } catch (error) {
        logger.error({ err: error, customId: interaction.customId.slice(0, 100) }, 'component failed');
        await replyWithError(interaction, logger, lang);
      }
    }
  },
};
