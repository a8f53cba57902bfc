// /stats [days] — for server managers: what this server asked over the last
// days, how it was answered and rated, and what the reports could not answer.
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import { figures, type Figures } from '../../insight/figures.js';
import type { BotContext } from '../context.js';
import { escapeText, type BotMessage } from '../views/common.js';
import { replyOptions } from '../respond.js';

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

type Lang = 'zh' | 'en';
const TEXT = {
  refused: { zh: '只有拥有“管理服务器”权限的成员可以查看统计。', en: 'Only members with the Manage Server permission can see the statistics.' },
  off: { zh: '这个机器人没有记录提问（STATS_DB=off）。', en: 'This bot does not record questions (STATS_DB=off).' },
  failing: { zh: '统计数据库暂时无法读取，请查看机器人日志。', en: 'The statistics database cannot be read right now; see the bot log.' },
};

const langOf = (locale: string | undefined): Lang => (locale?.startsWith('zh') ? 'zh' : 'en');
const DAY_MS = 24 * 60 * 60 * 1000;

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const { logger } = context;
  const lang = langOf(interaction.locale);
  if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    logger.warn({ event: 'stats', guild: interaction.guildId }, '/stats refused: no Manage Server permission');
    await interaction.reply(replyOptions({ content: TEXT.refused[lang] }, logger, true));
    return;
  }
  const log = context.questionLog;
  if (!log.enabled) {
    await interaction.reply(replyOptions({ content: (log.isFailing ? TEXT.failing : TEXT.off)[lang] }, logger, true));
    return;
  }
  const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
  const until = Date.now();
  const result = log.read((db) => figures(db, { since: until - days * DAY_MS, until, guild: interaction.guildId }));
  await interaction.reply(replyOptions(result ? statsMessage(result, days, lang) : { content: TEXT.failing[lang] }, logger, true));
}

const percent = (n: number, total: number) => (total === 0 ? '–' : `${Math.round((100 * n) / total)} %`);
const ms = (x: number | null) => (x === null ? '–' : `${Math.round(x)} ms`);

/** The figures as one embed, in the user's language. */
export function statsMessage(f: Figures, days: number, lang: Lang): BotMessage {
  const zh = lang === 'zh';
  const n = f.questions;
  const lines = [
    zh ? `**提问** ${n}` : `**Questions** ${n}`,
    zh
      ? `**回答** ${percent(f.verdicts.answer, n)} · **相关** ${percent(f.verdicts.related, n)} · **未找到** ${percent(f.verdicts.none, n)}`
      : `**Answered** ${percent(f.verdicts.answer, n)} · **Related** ${percent(f.verdicts.related, n)} · **Not found** ${percent(f.verdicts.none, n)}`,
    `👍 ${f.votes.up} · 👎 ${f.votes.down}`,
    zh ? `**耗时** 中位数 ${ms(f.latencyMs.p50)} · p95 ${ms(f.latencyMs.p95)}` : `**Latency** median ${ms(f.latencyMs.p50)} · p95 ${ms(f.latencyMs.p95)}`,
  ];
  const places = f.topPlaces.map((p, i) => `${i + 1}. ${escapeText(p.place)} (${p.count})`).join('\n');
  const notFound = f.topNotFound.map((g, i) => `${i + 1}. ${escapeText(shorten(g.question, 150))} (${g.count})`).join('\n');
  const embed: APIEmbed = {
    title: zh ? `最近 ${days} 天的提问统计` : `Questions in the last ${days} day${days === 1 ? '' : 's'}`,
    description: lines.join('\n'),
    fields: [
      { name: zh ? '问得最多的地区' : 'Most asked regions', value: places || '–' },
      { name: zh ? '最常见的未找到问题' : 'Most frequent not-found questions', value: notFound || '–' },
    ],
    footer: { text: zh ? '完整列表：npm run report' : 'Full lists: npm run report' },
  };
  return { content: '', embeds: [embed] };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
