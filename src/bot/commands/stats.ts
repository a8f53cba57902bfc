// /stats [days] — for server managers: what this server asked over the last
// days, how it was answered and rated, and what the reports could not answer.
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import { figures, type Figures } from '../../insight/figures.js';
import type { BotContext } from '../context.js';
import { escapeText, type BotMessage } from '../views/common.js';
import { replyOptions } from '../respond.js';
import { inLanguage, langFromLocale, type Lang } from '../views/i18n.js';

export const DEFAULT_DAYS = 7;

export const data = new SlashCommandBuilder()
  .setName('stats')
  .setDescription("Server managers: this server's questions, answers and feedback · 管理员：提问统计")
  .setDescriptionLocalizations({ 'zh-CN': '管理员：本服务器的提问、回答与反馈统计', 'zh-TW': '管理員：本伺服器的提問、回答與回饋統計' })
  // Hidden from members without Manage Server; servers can override this, hence the check below too.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addIntegerOption((o) =>
    o
      .setName('days')
      .setDescription(`Days to look back (default ${DEFAULT_DAYS}) · 统计最近几天`)
      .setDescriptionLocalizations({ 'zh-CN': `统计最近几天（默认 ${DEFAULT_DAYS}）` })
      .setMinValue(1)
      .setMaxValue(3650),
  );

const ZH = {
  refused: '只有拥有“管理服务器”权限的成员可以查看统计。',
  off: '这个机器人没有记录提问（STATS_DB=off）。',
  failing: '统计数据库暂时无法读取，请查看机器人日志。',
  title: (days: number) => `最近 ${days} 天的提问统计`,
  questions: '提问',
  answered: '回答',
  related: '相关',
  notFound: '未找到',
  latency: (p50: string, p95: string) => `**耗时** 中位数 ${p50} · p95 ${p95}`,
  places: '问得最多的地区',
  topNotFound: '最常见的未找到问题',
  footer: '完整列表：npm run report',
};
type Texts = typeof ZH;
const EN: Texts = {
  refused: 'Only members with the Manage Server permission can see the statistics.',
  off: 'This bot does not record questions (STATS_DB=off).',
  failing: 'The statistics database cannot be read right now; see the bot log.',
  title: (days) => `Questions in the last ${days} day${days === 1 ? '' : 's'}`,
  questions: 'Questions',
  answered: 'Answered',
  related: 'Related',
  notFound: 'Not found',
  latency: (p50, p95) => `**Latency** median ${p50} · p95 ${p95}`,
  places: 'Most asked regions',
  topNotFound: 'Most frequent not-found questions',
  footer: 'Full lists: npm run report',
};
/** In the user's Discord language, like every reply (traditional characters for zh-TW). */
const textsFor = inLanguage(ZH, EN);

const DAY_MS = 24 * 60 * 60 * 1000;

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const { logger } = context;
  const lang = langFromLocale(interaction.locale);
  const t = textsFor(lang);
  if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    logger.warn({ event: 'stats', guild: interaction.guildId }, '/stats refused: no Manage Server permission');
    await interaction.reply(replyOptions({ content: t.refused }, logger, true));
    return;
  }
  const log = context.questionLog;
  if (!log.enabled) {
    await interaction.reply(replyOptions({ content: log.isFailing ? t.failing : t.off }, logger, true));
    return;
  }
  const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
  const until = Date.now();
  const result = log.read((db) => figures(db, { since: until - days * DAY_MS, until, guild: interaction.guildId }));
  await interaction.reply(replyOptions(result ? statsMessage(result, days, lang) : { content: t.failing }, logger, true));
}

const percent = (n: number, total: number) => (total === 0 ? '–' : `${Math.round((100 * n) / total)} %`);
const ms = (x: number | null) => (x === null ? '–' : `${Math.round(x)} ms`);

/** The figures as one embed, in the user's language. */
export function statsMessage(f: Figures, days: number, lang: Lang): BotMessage {
  const t = textsFor(lang);
  const n = f.questions;
  const lines = [
    `**${t.questions}** ${n}`,
    `**${t.answered}** ${percent(f.verdicts.answer, n)} · **${t.related}** ${percent(f.verdicts.related, n)} · **${t.notFound}** ${percent(f.verdicts.none, n)}`,
    `👍 ${f.votes.up} · 👎 ${f.votes.down}`,
    t.latency(ms(f.latencyMs.p50), ms(f.latencyMs.p95)),
  ];
  const places = f.topPlaces.map((p, i) => `${i + 1}. ${escapeText(p.place)} (${p.count})`).join('\n');
  const notFound = f.topNotFound.map((g, i) => `${i + 1}. ${escapeText(shorten(g.question, 150))} (${g.count})`).join('\n');
  const embed: APIEmbed = {
    title: t.title(days),
    description: lines.join('\n'),
    fields: [
      { name: t.places, value: places || '–' },
      { name: t.topNotFound, value: notFound || '–' },
    ],
    footer: { text: t.footer },
  };
  return { content: '', embeds: [embed] };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
