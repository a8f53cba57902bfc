// /regions — the regions the reports cover, with paragraph counts.
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { regionsListMessage } from '../format.js';
import { replyOptions } from '../respond.js';

export const data = new SlashCommandBuilder()
  .setName('regions')
  .setDescription('Regions covered by the reports, with paragraph counts · 报告涉及的地区')
  .setDescriptionLocalizations({ 'zh-CN': '报告涉及的地区及段落数' });

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  await interaction.reply(replyOptions(regionsListMessage(context.covered()), context.logger));
}
