// /source report:<report> paragraph:<n> — a paragraph in full with its neighbours for context.
import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Report } from '../../corpus/types.js';
import type { BotContext } from '../context.js';
import { echo, LIMITS, sourceMessage, truncatePlain, type BotMessage } from '../format.js';
import { replyOptions } from '../respond.js';

export const data = new SlashCommandBuilder()
  .setName('source')
  .setDescription('Show a paragraph of a report in full, with its neighbours · 查看报告段落原文')
  .setDescriptionLocalizations({ 'zh-CN': '查看报告某段原文及上下文' })
  .addStringOption((o) =>
    o
      .setName('report')
      .setDescription('Report: type part of its title or file name · 报告标题或文件名')
      .setDescriptionLocalizations({ 'zh-CN': '报告：输入标题或文件名的一部分' })
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(200),
  )
  .addIntegerOption((o) =>
    o
      .setName('paragraph')
      .setDescription('Paragraph number (1 = first) · 段落号')
      .setDescriptionLocalizations({ 'zh-CN': '段落号（从 1 开始）' })
      .setRequired(true)
      .setMinValue(1)
      .setMaxValue(100000),
  );

/** Choice values: the file name, or "#<index>" when a file name is too long for a choice value. */
function choiceValue(report: Report, index: number): string {
  return report.file.length <= LIMITS.choiceValue ? report.file : `#${index}`;
}

/** The report a user meant: a choice value, a file name, a report number or a unique part of a title. */
export function findReport(context: BotContext, input: string): number | null {
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
export function sourceView(context: BotContext, reportIndex: number, paragraph: number): BotMessage | null {
  const report = context.report(reportIndex);
  const current = report && context.paragraph(report.file, paragraph);
  if (!report || !current) return null;
  return sourceMessage(report, reportIndex, {
    previous: context.paragraph(report.file, paragraph - 1),
    current,
    next: context.paragraph(report.file, paragraph + 1),
  });
}

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const input = interaction.options.getString('report', true);
  const paragraph = interaction.options.getInteger('paragraph', true);
  const index = findReport(context, input);
  if (index === null) {
    const known = context.store.reports.slice(0, 10).map((r) => `• 《${echo(r.title, 80)}》 · ${echo(r.file, 100)}`);
    const text = [`找不到报告「${echo(input, 100)}」。Unknown report "${echo(input, 100)}" — pick one from the list as you type.`, ...known].join('\n');
    await interaction.reply(replyOptions({ content: text }, context.logger, true));
    return;
  }
  const report = context.report(index)!;
  const view = sourceView(context, index, paragraph);
  if (!view) {
    const text = `《${echo(report.title, 100)}》共 ${report.paragraphCount} 段，请输入 1–${report.paragraphCount}。This report has ${report.paragraphCount} paragraphs: use 1–${report.paragraphCount}.`;
    await interaction.reply(replyOptions({ content: text }, context.logger, true));
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
  const typed = String(focused.value).trim().toLowerCase();
  const choices = context.store.reports
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !typed || r.title.toLowerCase().includes(typed) || r.file.toLowerCase().includes(typed) || String(r.number ?? '') === typed)
    .slice(0, LIMITS.choices)
    .map(({ r, i }) => ({
      name: truncatePlain(`${r.number === null ? '' : `No.${r.number} `}${r.title} · ${r.file}`, LIMITS.choiceName),
      value: choiceValue(r, i),
    }));
  await interaction.respond(choices);
}
