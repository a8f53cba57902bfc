// interactionCreate: slash commands, autocomplete and buttons. Errors reach
// the user as a short ephemeral message; the details go to the log.
import { Events, type Interaction } from 'discord.js';
import { commandsByName } from '../commands/index.js';
import { handleButton } from '../components.js';
import { FEEDBACK_PREFIX, handleFeedback } from '../feedback.js';
import type { BotContext } from '../context.js';
import { STOPPING } from '../answer.js';
import { replyOptions, replyWithError } from '../respond.js';
import type { BotEvent } from './types.js';

export const event: BotEvent<Events.InteractionCreate> = {
  name: Events.InteractionCreate,
  async execute(interaction: Interaction, context: BotContext) {
    const { logger } = context;
    if (!context.lifecycle.accepting) {
      // Shutting down: say so rather than start work that the exit would cut off.
      if (interaction.isAutocomplete()) await interaction.respond([]).catch(() => undefined);
      else if (interaction.isRepliable()) await interaction.reply(replyOptions(STOPPING, logger, true)).catch(() => undefined);
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
          await replyWithError(interaction, logger, '未知命令。Unknown command.');
          return;
        }
        await command.execute(interaction, context);
        logger.debug({ event: 'command', command: interaction.commandName, ms: Math.round(performance.now() - t0) }, 'command done');
      } catch (error) {
        logger.error({ err: error, command: interaction.commandName, user: interaction.user.id }, 'command failed');
        await replyWithError(interaction, logger);
      }
      return;
    }
    if (interaction.isButton() || interaction.isStringSelectMenu()) {
      try {
        if (interaction.customId.startsWith(FEEDBACK_PREFIX)) await handleFeedback(interaction, context);
        else if (interaction.isButton()) await handleButton(interaction, context);
      } catch (error) {
        logger.error({ err: error, customId: interaction.customId.slice(0, 100) }, 'button failed');
        await replyWithError(interaction, logger);
      }
    }
  },
};
