// /region name:<region> — what the reports say about a region, with autocomplete over the
// gazetteer (regions the reports cover first); its passage menu shows a chosen paragraph in full.
import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { regionByName, suggestRegions, type Region } from '../../places/lookup.js';
import { summariseRegion, type RegionSummary } from '../../summaries/summary.js';
import type { BotContext, IndexView } from '../context.js';
import { customId, paragraphValue } from '../custom-ids.js';
import { replyOptions } from '../respond.js';
import { LIMITS, type BotMessage } from '../views/common.js';
import { langFromLocale, type Lang } from '../views/i18n.js';
import { regionChoice, regionSummaryView, unknownRegionView } from '../views/region.js';
import { passage } from './ask.js';
import { pseudonym } from '../../log.js';

export const data = new SlashCommandBuilder()
  .setName('region')
  .setNameLocalizations({ 'zh-CN': '地区', 'zh-TW': '地區' })
  .setDescription('What the reports say about a region')
  .setDescriptionLocalizations({ 'zh-CN': '报告中关于某地区的内容摘要', 'zh-TW': '報告中關於某地區的內容摘要' })
  .addStringOption((o) =>
    o
      .setName('name')
      .setNameLocalizations({ 'zh-CN': '名称', 'zh-TW': '名稱' })
      .setDescription('Province, city or county: 河北, Hebei, 石家庄, Inner Mongolia …')
      .setDescriptionLocalizations({ 'zh-CN': '省、市或县：河北、石家庄、内蒙古……', 'zh-TW': '省、市或縣：河北、石家莊、內蒙古……' })
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(100),
  );

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const lang = langFromLocale(interaction.locale);
  const name = interaction.options.getString('name', true);
  const t0 = performance.now();
  const view = context.view();
  const summary = summariseRegion(view.store, name);
  context.logger.info(
    { event: 'region', user: pseudonym(interaction.user.id), query: name.slice(0, 100), region: summary.region?.name ?? null, paragraphs: summary.paragraphs.length, ms: Math.round(performance.now() - t0) },
    'region summary',
  );
  if (!summary.region) {
    const suggestions = summary.suggestions.map((s) => regionByName(s)).filter((r): r is Region => r !== null);
    await interaction.reply(replyOptions(unknownRegionView(name, suggestions, lang), context.logger, true));
    return;
  }
  const message = regionMessage(view, summary, lang);
  await interaction.reply(replyOptions(message, context.logger));
}

/** A region summary with its passage menu. */
export function regionMessage(view: IndexView, summary: RegionSummary, lang: Lang): BotMessage {
  return regionSummaryView(summary, lang, {
    passageMenuId: customId('region', 'passage'),
    passageValue: (source, paragraph) => {
      const report = view.reportIndex(source);
      return report < 0 ? null : paragraphValue(report, paragraph);
    },
    reportUrl: (source) => view.report(view.reportIndex(source))?.sourceUrl ?? null,
  });
}

/** Wider than the menu, so covered regions further down the gazetteer's ranking still come first. */
const CANDIDATES = 200;

export async function autocomplete(interaction: AutocompleteInteraction, context: BotContext): Promise<void> {
  const lang = langFromLocale(interaction.locale);
  const typed = interaction.options.getFocused().slice(0, 100);
  const counted = (regions: readonly Region[]) => regions.map((region) => ({ region, paragraphs: context.paragraphCount(region) }));
  // Nothing typed yet: the regions the reports cover, most paragraphs first.
  const candidates = typed.trim() === '' ? context.covered().map((c) => ({ region: c.region, paragraphs: c.paragraphs })) : counted(suggestRegions(typed, CANDIDATES));
  // Regions the reports cover first (the gazetteer's order within each group), the others after.
  const ordered = [...candidates.filter((c) => c.paragraphs > 0), ...candidates.filter((c) => c.paragraphs === 0)];
  await interaction.respond(ordered.slice(0, LIMITS.choices).map((c) => regionChoice(c.region, c.paragraphs, lang)));
}

export const components = { passage };
