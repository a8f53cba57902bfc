// /regions — the regions the reports cover, with paragraph counts.
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { replyOptions } from '../respond.js';
import { langFromLocale } from '../views/i18n.js';
import { regionsListView } from '../views/region.js';

export const data = new SlashCommandBuilder()
  .setName('regions')
  .setNameLocalizations({ 'zh-CN': '地区列表', 'zh-TW': '地區列表' })
  .setDescription('Regions covered by the reports, with paragraph counts')
  .setDescriptionLocalizations({ 'zh-CN': '报告涉及的地区及段落数', 'zh-TW': '報告涉及的地區及段落數' });

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  await interaction.reply(replyOptions(regionsListView(context.covered(), langFromLocale(interaction.locale)), context.logger));
}
