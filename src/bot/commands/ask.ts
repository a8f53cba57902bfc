// /ask question:<text> — and the controls under every answer (also those to mentions and DMs):
// "More results" and the passage menu, both answered privately to whoever uses them.
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type MessageComponentInteraction } from 'discord.js';
import type { Citation } from '../../retrieval/types.js';
import type { ComponentHandler } from '../command.js';
import type { BotContext, IndexView } from '../context.js';
import { withFeedback } from '../feedback.js';
import { customId, intArg, KEY_PATTERN, paragraphValue, parseParagraphValue } from '../custom-ids.js';
import { runQuestion, type Answered } from '../question-flow.js';
import { editOptions, replyOptions } from '../respond.js';
import { answerView, firstHits, moreResultsView, type AnswerControls } from '../views/answer.js';
import type { BotMessage } from '../views/common.js';
import { langFromLocale } from '../views/i18n.js';
import { notice } from '../views/notices.js';
import { fullParagraphView } from '../views/paragraph.js';

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setNameLocalizations({ 'zh-CN': '提问', 'zh-TW': '提問' })
  .setDescription('Ask a question about the reports; the answer quotes them')
  .setDescriptionLocalizations({ 'zh-CN': '就报告内容提问，回答引用报告原文', 'zh-TW': '就報告內容提問，回答引用報告原文' })
  .addStringOption((o) =>
    o
      .setName('question')
      .setNameLocalizations({ 'zh-CN': '问题', 'zh-TW': '問題' })
      .setDescription('Your question, in Chinese or English')
      .setDescriptionLocalizations({ 'zh-CN': '你的问题（中文或英文）', 'zh-TW': '你的問題（中文或英文）' })
      .setRequired(true),
  );

/** The controls of an answer: "More results" only when the question is remembered (key). */
export function answerControls(view: IndexView, key: string | null): AnswerControls {
  return {
    moreId: (offset) => (key === null ? null : customId('ask', 'more', key, offset)),
    passageMenuId: customId('ask', 'passage'),
    passageValue: (hit: Citation) => {
      const report = view.reportIndex(hit.source);
      return report < 0 ? null : paragraphValue(report, hit.paragraph);
    },
  };
}

/** The first reply to a question; the question is remembered only when there is more to show. */
export function renderAnswer(context: BotContext, answered: Answered, style: 'embed' | 'text'): BotMessage {
  const { answer, view, lang, question, questionId } = answered;
  const more = answer.answerable && answer.hits.length > firstHits(answer.hits).length;
  const key = more ? context.remember({ question }) : null;
  // 👍/👎 under every answer, "not found" included: a wrong "not found" is worth hearing about too.
  return withFeedback(answerView({ answer, lang, style, controls: answerControls(view, key) }), questionId);
}

export async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const lang = langFromLocale(interaction.locale);
  await runQuestion(
    context,
    { text: interaction.options.getString('question', true), via: 'ask', user: interaction.user.id, lang, guildId: interaction.guildId, channelId: interaction.channelId },
    {
      // Acknowledged only once admitted: a refusal is an ephemeral reply, not a deferred public one.
      // Discord allows 3 s to acknowledge; a cold query embedding or a busy event loop could take longer.
      acknowledge: async () => void (await interaction.deferReply()),
      send: async (message, kind) => {
        if (kind === 'refusal') await interaction.reply(replyOptions(message, context.logger, true));
        else await interaction.editReply(editOptions(message, context.logger));
      },
    },
    (answered) => renderAnswer(context, answered, 'embed'),
  );
}

const isEphemeral = (interaction: MessageComponentInteraction) => interaction.message.flags.has(MessageFlags.Ephemeral);

/** "More results" from `offset` on: a private reply to whoever pressed it; on a private reply, that one moves on. */
const more: ComponentHandler = async (interaction, args, context) => {
  const lang = langFromLocale(interaction.locale);
  const key = args[0] !== undefined && KEY_PATTERN.test(args[0]) ? args[0] : null;
  const offset = intArg(args[1], 1000);
  const remembered = key === null ? undefined : context.questions.get(key);
  if (key === null || offset === null || !remembered) {
    await interaction.reply(replyOptions(notice(lang, key === null || offset === null ? 'invalid' : 'expired'), context.logger, true));
    return;
  }
  // The original answer is never edited: it belongs to whoever asked, and the whole channel sees it.
  const inPlace = isEphemeral(interaction);
  await runQuestion(
    context,
    { text: remembered.question, via: 'more', user: interaction.user.id, lang, guildId: interaction.guildId, channelId: interaction.channelId },
    {
      acknowledge: async () => void (inPlace ? await interaction.deferUpdate() : await interaction.deferReply({ flags: MessageFlags.Ephemeral })),
      send: async (message, kind) => {
        if (kind === 'refusal') await interaction.reply(replyOptions(message, context.logger, true));
        else await interaction.editReply(editOptions(message, context.logger));
      },
    },
    ({ answer, view, questionId }) => withFeedback(moreResultsView(answer, offset, lang, answerControls(view, key)), answer.answerable ? questionId : null),
  );
};

/** A chosen passage in full, privately. */
export const passage: ComponentHandler = async (interaction, _args, context) => {
  const lang = langFromLocale(interaction.locale);
  const values = interaction.isStringSelectMenu() ? interaction.values : [];
  const chosen = parseParagraphValue(values[0]);
  const report = chosen ? context.report(chosen.report) : undefined;
  const paragraph = report && chosen ? context.paragraph(report.file, chosen.paragraph) : undefined;
  if (!report || !paragraph) {
    await interaction.reply(replyOptions(notice(lang, 'invalid'), context.logger, true));
    return;
  }
  await interaction.reply(replyOptions(fullParagraphView(report, paragraph, lang), context.logger, true));
};

export const components = { more, passage };
