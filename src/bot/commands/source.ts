// /source report:<report> paragraph:<n> — a paragraph in full with its neighbours for context;
// its buttons move along the report (in place for whoever ran the command, privately for others).
import { MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Report } from '../../corpus/types.js';
import type { ComponentHandler } from '../command.js';
import type { BotContext, IndexView } from '../context.js';
import { customId, intArg } from '../custom-ids.js';
import { replyOptions, updateOptions } from '../respond.js';
import { echo, LIMITS, truncatePlain, type BotMessage } from '../views/common.js';
import { labels, langFromLocale, type Lang } from '../views/i18n.js';
import { notice } from '../views/notices.js';
import { fullParagraphView } from '../views/paragraph.js';
import { sourceView as renderSource } from '../views/source.js';

export const data = new SlashCommandBuilder()
  .setName('source')
  .setNameLocalizations({ 'zh-CN': '原文', 'zh-TW': '原文' })
  .setDescription('Show a paragraph of a report in full, with its neighbours')
  .setDescriptionLocalizations({ 'zh-CN': '查看报告某段原文及上下文', 'zh-TW': '查看報告某段原文及上下文' })
  .addStringOption((o) =>
    o
      .setName('report')
      .setNameLocalizations({ 'zh-CN': '报告', 'zh-TW': '報告' })
      .setDescription('Report: type part of its title')
      .setDescriptionLocalizations({ 'zh-CN': '报告：输入标题的一部分', 'zh-TW': '報告：輸入標題的一部分' })
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(200),
  )
  .addIntegerOption((o) =>
    o
      .setName('paragraph')
      .setNameLocalizations({ 'zh-CN': '段落', 'zh-TW': '段落' })
      .setDescription('Paragraph number (1 = first)')
      .setDescriptionLocalizations({ 'zh-CN': '段落号（从 1 开始）', 'zh-TW': '段落號（從 1 開始）' })
      .setRequired(true)
      .setMinValue(1)
      .setMaxValue(100000),
  );

/** Choice values: the file name, or "#<index>" when a file name is too long for a choice value. */
function choiceValue(report: Report, index: number): string {
  return report.file.length <= LIMITS.choiceValue ? report.file : `#${index}`;
}

/** The report a user meant: a choice value, a file name, a report number or a unique part of a title. */
export function findReport(context: IndexView, input: string): number | null {
  const reports = context.store.reports;
  const s = input.trim();
  if (!s) return null;
  const byIndex = /^#(\d{1,6})$/.exec(s);
  if (byIndex) return Number(byIndex[1]) < reports.length ? Number(byIndex[1]) : null;
  const file = context.reportIndex(s);
  if (file >= 0) return file;
  const exact = reports.findIndex((r) => r.title === s || r.title === s.replace(/^《|》$/g, ''));
  if (exact >= 0) return exact;
  if (/^(No\.?\s*)?\d{1,4}$/i.test(s)) {
    const n = Number(s.replace(/\D/g, ''));
    const numbered = reports.flatMap((r, i) => (r.number === n ? [i] : []));
    if (numbered.length === 1) return numbered[0]!;
  }
  const lower = s.toLowerCase();
  const partial = reports.flatMap((r, i) => (r.title.toLowerCase().includes(lower) || r.file.toLowerCase().includes(lower) ? [i] : []));
  return partial.length === 1 ? partial[0]! : null;
}

/** The /source view of a paragraph (also used by the ◀ ▶ buttons). */
export function sourceView(context: IndexView, reportIndex: number, paragraph: number, lang: Lang): BotMessage | null {
  const report = context.report(reportIndex);
  const current = report && context.paragraph(report.file, paragraph);
  if (!report || !current) return null;
  return renderSource(
    report,
    { previous: context.paragraph(report.file, paragraph - 1), current, next: context.paragraph(report.file, paragraph + 1) },
    lang,
    { go: (n) => customId('source', 'go', reportIndex, n), full: (n) => customId('source', 'full', reportIndex, n) },
  );
}

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const lang = langFromLocale(interaction.locale);
  const t = labels(lang);
  const input = interaction.options.getString('report', true);
  const paragraph = interaction.options.getInteger('paragraph', true);
  const index = findReport(context, input);
  if (index === null) {
    const known = context.store.reports.slice(0, 10).map((r) => `• ${r.number === null ? '' : `${t.reportNumber(r.number)} `}《${echo(r.title, 80)}》`);
    const text = [t.unknownReport(echo(input, 100)), ...known].join('\n');
    await interaction.reply(replyOptions({ content: text }, context.logger, true));
    return;
  }
  const report = context.report(index)!;
  const view = sourceView(context, index, paragraph, lang);
  if (!view) {
    await interaction.reply(replyOptions({ content: t.paragraphRange(`《${echo(report.title, 100)}》`, report.paragraphCount) }, context.logger, true));
    return;
  }
  await interaction.reply(replyOptions(view, context.logger));
}

export async function autocomplete(interaction: AutocompleteInteraction, context: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'report') {
    await interaction.respond([]);
    return;
  }
  const t = labels(langFromLocale(interaction.locale));
  const typed = String(focused.value).trim().toLowerCase();
  const choices = context.store.reports
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !typed || r.title.toLowerCase().includes(typed) || r.file.toLowerCase().includes(typed) || String(r.number ?? '') === typed)
    .slice(0, LIMITS.choices)
    .map(({ r, i }) => ({
      // The file name stays in the value (what is sent back), not in what people read.
      name: truncatePlain(`${r.number === null ? '' : `${t.reportNumber(r.number)} `}${r.title}`, LIMITS.choiceName),
      value: choiceValue(r, i),
    }));
  await interaction.respond(choices);
}

/** The report and paragraph of a button, checked against the store (ids can be forged). */
function target(args: string[], context: BotContext): { report: number; paragraph: number } | null {
  const report = intArg(args[0], context.store.reports.length);
  const paragraph = intArg(args[1], 1_000_000);
  if (report === null || paragraph === null) return null;
  const r = context.report(report);
  return r && paragraph >= 1 && paragraph <= r.paragraphCount ? { report, paragraph } : null;
}

/** ◀ ▶: whoever ran /source moves it along; anyone else gets the paragraph privately. */
const go: ComponentHandler = async (interaction, args, context) => {
  const lang = langFromLocale(interaction.locale);
  const to = target(args, context);
  const view = to && sourceView(context, to.report, to.paragraph, lang);
  if (!view) {
    await interaction.reply(replyOptions(notice(lang, 'invalid'), context.logger, true));
    return;
  }
  const owner = interaction.message.interactionMetadata?.user.id;
  const mine = owner === interaction.user.id || interaction.message.flags.has(MessageFlags.Ephemeral);
  if (mine) await interaction.update(updateOptions(view, context.logger));
  else await interaction.reply(replyOptions(view, context.logger, true));
};

const full: ComponentHandler = async (interaction, args, context) => {
  const lang = langFromLocale(interaction.locale);
  const to = target(args, context);
  const report = to && context.report(to.report);
  const paragraph = report && to ? context.paragraph(report.file, to.paragraph) : undefined;
  if (!report || !paragraph) {
    await interaction.reply(replyOptions(notice(lang, 'invalid'), context.logger, true));
    return;
  }
  await interaction.reply(replyOptions(fullParagraphView(report, paragraph, lang), context.logger, true));
};

export const components = { go, full };
