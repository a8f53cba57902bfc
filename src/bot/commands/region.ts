// /region name:<region> — what the reports say about a region, with autocomplete over the gazetteer.
import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { regionByName, suggestRegions } from '../../places/lookup.js';
import { summariseRegion } from '../../summaries/summary.js';
import type { BotContext } from '../context.js';
import { LIMITS, regionChoice, regionLabel, regionSummaryMessage, unknownRegionMessage } from '../format.js';
import { replyOptions } from '../respond.js';

export const data = new SlashCommandBuilder()
  .setName('region')
  .setDescription('What the reports say about a region · 报告中关于某地区的内容')
  .setDescriptionLocalizations({ 'zh-CN': '报告中关于某地区的内容摘要' })
  .addStringOption((o) =>
    o
      .setName('name')
      .setDescription('Province, city or county: 河北, Hebei, 石家庄, Inner Mongolia …')
      .setDescriptionLocalizations({ 'zh-CN': '省、市或县：河北、石家庄、内蒙古……' })
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(100),
  );

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const name = interaction.options.getString('name', true);
  const t0 = performance.now();
  const summary = summariseRegion(context.store, name);
  context.logger.info(
    { event: 'region', user: interaction.user.id, query: name.slice(0, 100), region: summary.region?.name ?? null, paragraphs: summary.paragraphs.length, ms: Math.round(performance.now() - t0) },
    'region summary',
  );
  if (!summary.region) {
    const suggestions = summary.suggestions.map((s) => {
      const r = regionByName(s);
      return r ? regionLabel(r) : s;
    });
    await interaction.reply(replyOptions(unknownRegionMessage(name, suggestions), context.logger, true));
    return;
  }
  await interaction.reply(replyOptions(regionSummaryMessage(summary, context.reportIndex), context.logger));
}

export async function autocomplete(interaction: AutocompleteInteraction, context: BotContext): Promise<void> {
  const typed = interaction.options.getFocused().slice(0, 100);
  // Nothing typed yet: the regions the reports actually cover, most paragraphs first.
  const regions = typed.trim() === '' ? context.covered().map((c) => c.region) : suggestRegions(typed, LIMITS.choices);
  const choices = regions.slice(0, LIMITS.choices).map((r) => regionChoice(r, context.paragraphCount(r)));
  await interaction.respond(choices);
}
