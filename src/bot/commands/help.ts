// /help — usage in Chinese and English.
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { helpMessage } from '../format.js';
import { replyOptions } from '../respond.js';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('How to use this bot · 使用说明')
  .setDescriptionLocalizations({ 'zh-CN': '使用说明' });

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  // Ephemeral: help is for the asker, not the channel.
  await interaction.reply(replyOptions(helpMessage(), context.logger, true));
}
