// The shape of a slash command module (discord.js guide convention), with the buttons and
// select menus it owns: their custom ids start with "<command name>:<action>".
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from './context.js';

export type ComponentHandler = (interaction: MessageComponentInteraction, args: string[], context: BotContext) => Promise<void>;

export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
  /** Handlers of this command's components, by action. */
  components?: Readonly<Record<string, ComponentHandler>>;
}
