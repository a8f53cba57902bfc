// /reindex — operators rebuild the index from the report files without
// restarting; questions keep being answered from the current index meanwhile.
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { reindexResultMessage, startReindex } from '../reindex.js';
import { replyOptions } from '../respond.js';
import { labels, langFromLocale } from '../views/i18n.js';
import { pseudonym } from '../../log.js';

export const data = new SlashCommandBuilder()
  .setName('reindex')
  .setNameLocalizations({ 'zh-CN': '重建索引', 'zh-TW': '重建索引' })
  .setDescription('Operators: rebuild the index from the report files')
  .setDescriptionLocalizations({ 'zh-CN': '管理员：根据报告文件重建索引', 'zh-TW': '管理員：根據報告文件重建索引' })
  // Hidden from members without Manage Server; servers can override this, hence the check below too.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild);

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const { logger } = context;
  const lang = langFromLocale(interaction.locale);
  const t = labels(lang);
  if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    logger.warn({ event: 'reindex', user: pseudonym(interaction.user.id), guild: interaction.guildId }, '/reindex refused: no Manage Server permission');
    await interaction.reply(replyOptions({ content: t.reindexRefused }, logger, true));
    return;
  }
  if (!context.live.canRebuild) {
    await interaction.reply(replyOptions({ content: t.reindexUnavailable }, logger, true));
    return;
  }
  const run = startReindex(context, 'command', interaction.user.id);
  if (!run) {
    await interaction.reply(replyOptions({ content: t.reindexRunning }, logger, true));
    return;
  }
  await interaction.reply(replyOptions({ content: t.reindexStarted }, logger, true));
  // Not awaited: the handler is done once acknowledged, so a shutdown does not wait for a long build.
  void run
    .then((outcome) => interaction.followUp(replyOptions(reindexResultMessage(outcome, lang), logger, true)))
    .catch((error: unknown) => logger.warn({ err: error }, 'could not report the reindex result (interaction expired?)'));
}
