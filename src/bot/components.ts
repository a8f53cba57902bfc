// Button clicks: result pages, full paragraphs and /source navigation. Custom
// ids come from users' clients, so each is parsed and checked against the store.
import type { ButtonInteraction } from 'discord.js';
import { answerQuestion } from './answer.js';
import { sourceView } from './commands/source.js';
import { MAX_PAGES, PAGE_SIZE, type BotContext } from './context.js';
import { parseCustomId } from './custom-ids.js';
import { answerEmbed, answerText, errorMessage, fullParagraphMessage } from './format.js';
import { withFeedback } from './feedback.js';
import { editOptions, replyOptions, updateOptions } from './respond.js';

const EXPIRED = '这个按钮已过期，请重新提问（/ask）。This button has expired; please ask again with /ask.';
const UNKNOWN = '这个按钮已失效。This button is no longer valid.';

export async function handleButton(interaction: ButtonInteraction, context: BotContext): Promise<void> {
  const id = parseCustomId(interaction.customId, context.store, MAX_PAGES);
  if (!id) {
    context.logger.info({ event: 'button', customId: interaction.customId.slice(0, 100) }, 'unknown button');
    await interaction.reply(replyOptions(errorMessage(UNKNOWN), context.logger, true));
    return;
  }
  if (id.kind === 'para') {
    const report = context.report(id.report)!;
    const paragraph = context.paragraph(report.file, id.paragraph);
    if (!paragraph) {
      await interaction.reply(replyOptions(errorMessage(UNKNOWN), context.logger, true));
      return;
    }
    await interaction.reply(replyOptions(fullParagraphMessage(report, paragraph), context.logger, true));
    return;
  }
  if (id.kind === 'src') {
    const view = sourceView(context, id.report, id.paragraph);
    if (!view) await interaction.reply(replyOptions(errorMessage(UNKNOWN), context.logger, true));
    else await interaction.update(updateOptions(view, context.logger));
    return;
  }
  const remembered = context.questions.get(id.key);
  if (!remembered) {
    await interaction.reply(replyOptions(errorMessage(EXPIRED), context.logger, true));
    return;
  }
  // Searching may take a moment: acknowledge by "updating" first, then edit the message in place.
  await interaction.deferUpdate();
  const { answer, view, questionId } = await answerQuestion(context, remembered.question, 'page', interaction.user.id, { guildId: interaction.guildId, channelId: interaction.channelId });
  const page = { answer, page: id.page, pageSize: PAGE_SIZE, maxPages: MAX_PAGES, key: id.key, reportIndex: view.reportIndex };
  const message = remembered.style === 'embed' ? answerEmbed(page) : answerText(page);
  await interaction.editReply(editOptions(withFeedback(message, questionId), context.logger));
}
