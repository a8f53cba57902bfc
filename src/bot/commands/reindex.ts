// /reindex — operators rebuild the index from the report files without
// restarting; questions keep being answered from the current index meanwhile.
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { reindexResultMessage, startReindex } from '../reindex.js';
import { replyOptions } from '../respond.js';

export const data = new SlashCommandBuilder()
  .setName('reindex')
  .setDescription('Operators: rebuild the index from the report files · 管理员：重建索引')
  .setDescriptionLocalizations({ 'zh-CN': '管理员：根据报告文件重建索引' })
  // Hidden from members without Manage Server; servers can override this, hence the check below too.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild);

const REFUSED = '只有拥有“管理服务器”权限的成员可以重建索引。Only members with the Manage Server permission can rebuild the index.';
const UNAVAILABLE = '这个机器人实例不能重建索引。This bot instance cannot rebuild its index.';
const RUNNING = '索引正在重建，请等待完成。A rebuild is already running; its result will be reported when it finishes.';
const STARTED = '正在后台重建索引，期间继续用现有索引回答；完成后在这里报告结果。Rebuilding the index in the background; questions are answered from the current index meanwhile. The result will be posted here.';

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const { logger } = context;
  if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    logger.warn({ event: 'reindex', user: interaction.user.id, guild: interaction.guildId }, '/reindex refused: no Manage Server permission');
    await interaction.reply(replyOptions({ content: REFUSED }, logger, true));
    return;
  }
  if (!context.live.canRebuild) {
    await interaction.reply(replyOptions({ content: UNAVAILABLE }, logger, true));
    return;
  }
  const run = startReindex(context, 'command', interaction.user.id);
  if (!run) {
    await interaction.reply(replyOptions({ content: RUNNING }, logger, true));
    return;
  }
  await interaction.reply(replyOptions({ content: STARTED }, logger, true));
  // Not awaited: the handler is done once acknowledged, so a shutdown does not wait for a long build.
  void run
    .then((outcome) => interaction.followUp(replyOptions(reindexResultMessage(outcome), logger, true)))
    .catch((error: unknown) => logger.warn({ err: error }, 'could not report the reindex result (interaction expired?)'));
}
