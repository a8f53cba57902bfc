// /ask question:<text> — the answer as an embed, with buttons for full paragraphs and more results.
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { admitQuestion, answerQuestion, EMPTY_QUESTION } from '../answer.js';
import { MAX_PAGES, PAGE_SIZE, type BotContext } from '../context.js';
import { withFeedback } from '../feedback.js';
import { answerEmbed } from '../format.js';
import { cleanQuestion } from '../question-text.js';
import { editOptions, replyOptions } from '../respond.js';

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question about the reports · 就报告内容提问')
  .setDescriptionLocalizations({ 'zh-CN': '就报告内容提问，回答引用报告原文', 'zh-TW': '就報告內容提問，回答引用報告原文' })
  .addStringOption((o) =>
    o
      .setName('question')
      .setDescription('Your question, in Chinese or English · 你的问题')
      .setDescriptionLocalizations({ 'zh-CN': '你的问题（中文或英文）' })
      .setRequired(true),
  );

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const question = cleanQuestion(interaction.options.getString('question', true));
  if (!question) {
    await interaction.reply(replyOptions(EMPTY_QUESTION, context.logger, true));
    return;
  }
  // Checked before acknowledging: a refusal is an ephemeral reply, not a deferred public one.
  const admission = admitQuestion(context, interaction.user.id, 'ask');
  if (!admission.ok) {
    await interaction.reply(replyOptions(admission.message, context.logger, true));
    return;
  }
  try {
    // Acknowledge first: Discord allows 3 s, and a cold query embedding or a busy event loop could take longer.
    await interaction.deferReply();
    const { answer, view, questionId } = await answerQuestion(context, question, 'ask', interaction.user.id, { guildId: interaction.guildId, channelId: interaction.channelId });
    const key = answer.answerable && answer.hits.length > PAGE_SIZE ? context.remember({ question, style: 'embed' }) : null;
    const message = answerEmbed({ answer, page: 0, pageSize: PAGE_SIZE, maxPages: MAX_PAGES, key, reportIndex: view.reportIndex });
    await interaction.editReply(editOptions(withFeedback(message, questionId), context.logger));
  } finally {
    admission.release();
  }
}
