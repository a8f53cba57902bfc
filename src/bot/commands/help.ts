// /help — usage, in the user's language.
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { replyOptions } from '../respond.js';
import { helpView } from '../views/help.js';
import { langFromLocale } from '../views/i18n.js';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setNameLocalizations({ 'zh-CN': '帮助', 'zh-TW': '幫助' })
  .setDescription('How to use this bot')
  .setDescriptionLocalizations({ 'zh-CN': '使用说明', 'zh-TW': '使用說明' });

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  // Ephemeral: help is for the asker, not the channel.
  await interaction.reply(replyOptions(helpView(langFromLocale(interaction.locale)), context.logger, true));
}
