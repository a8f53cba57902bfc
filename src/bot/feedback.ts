// 👍/👎 under every answer, and what was wrong after a 👎. This module owns
// its components: the row an answer view includes (feedbackRow), the custom-id
// prefix, and the handler for clicks and the reason select.
//   fb:<question id>:up | fb:<question id>:down   the vote buttons
//   fb:<question id>:why                          the optional "what was wrong" select
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIStringSelectComponent,
  type ButtonInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { QUESTION_ID, REASONS, type Reason } from '../insight/question-log.js';
import type { BotContext } from './context.js';
import { NO_MENTIONS, type ActionRow } from './views/common.js';
import { inLanguage, langFromLocale } from './views/i18n.js';

export const FEEDBACK_PREFIX = 'fb:';

const PATTERN = /^fb:([0-9a-z]{12}):(up|down|why)$/;

/** The 👍/👎 row for the answer to a recorded question. */
export function feedbackRow(questionId: string): ActionRow {
  const button = (vote: 'up' | 'down', label: string): APIButtonComponentWithCustomId =>
    ({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${FEEDBACK_PREFIX}${questionId}:${vote}`, label }) as APIButtonComponentWithCustomId;
  return { type: ComponentType.ActionRow, components: [button('up', '👍'), button('down', '👎')] };
}

/**
 * Adds 👍/👎 to an answer when its question was recorded: beside the last row of buttons when it
 * has room (one row less to scroll past on a phone), else as a row of their own (Discord allows 5).
 */
export function withFeedback<M extends { components?: ActionRow[] }>(message: M, questionId: string | null): M {
  const rows = message.components ?? [];
  if (!questionId) return message;
  const row = feedbackRow(questionId);
  const last = rows.at(-1);
  const buttonsOnly = last !== undefined && last.components.every((c) => c.type === ComponentType.Button);
  if (last && buttonsOnly && last.components.length + row.components.length <= 5) {
    return { ...message, components: [...rows.slice(0, -1), { ...last, components: [...last.components, ...row.components] }] };
  }
  if (rows.length >= 5) return message;
  return { ...message, components: [...rows, row] };
}

const ZH = {
  thanks: '谢谢，已记录。',
  why: '谢谢，已记录。哪里不对？（可不选）',
  placeholder: '哪里不对',
  reasons: { 'wrong-passage': '引错了段落', 'not-answered': '没有回答问题', outdated: '内容过时', other: '其他' } as Record<Reason, string>,
  noted: '谢谢，已记录：',
  invalid: '这个按钮已失效。',
};
type Texts = typeof ZH;
const EN: Texts = {
  thanks: 'Thanks — noted.',
  why: 'Thanks — noted. What was wrong? (optional)',
  placeholder: 'What was wrong',
  reasons: { 'wrong-passage': 'Wrong passage', 'not-answered': 'Did not answer the question', outdated: 'Outdated', other: 'Other' },
  noted: 'Thanks — noted: ',
  invalid: 'This button is no longer valid.',
};
/** In the clicker's Discord language, like every reply (traditional characters for zh-TW). */
const texts = inLanguage(ZH, EN);
const textsFor = (locale: string | undefined): Texts => texts(langFromLocale(locale));

function reasonRow(questionId: string, t: Texts): APIActionRowComponent<APIStringSelectComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: `${FEEDBACK_PREFIX}${questionId}:why`,
        placeholder: t.placeholder,
        min_values: 1,
        max_values: 1,
        options: REASONS.map((r) => ({ value: r, label: t.reasons[r] })),
      },
    ],
  };
}

/** A click on 👍/👎 or a choice in the reason select; acknowledged privately to whoever clicked. */
export async function handleFeedback(interaction: ButtonInteraction | StringSelectMenuInteraction, context: BotContext): Promise<void> {
  const t = textsFor(interaction.locale);
  const m = PATTERN.exec(interaction.customId);
  const questionId = m?.[1];
  if (!m || !questionId || !QUESTION_ID.test(questionId)) {
    await interaction.reply({ content: t.invalid, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  const user = interaction.user.id;
  const log = context.questionLog;
  if (m[2] === 'why') {
    const reason = interaction.isStringSelectMenu() ? (interaction.values[0] as Reason | undefined) : undefined;
    if (!reason || !(REASONS as readonly string[]).includes(reason)) {
      await interaction.reply({ content: t.invalid, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return;
    }
    log.reason(questionId, user, reason);
    // The select sits in our private ack: replace it with the final thanks.
    await interaction.update({ content: `${t.noted}${t.reasons[reason]}`, components: [], allowedMentions: NO_MENTIONS });
    return;
  }
  const up = m[2] === 'up';
  log.vote(questionId, user, up ? 1 : -1);
  context.logger.info({ event: 'feedback', question: questionId, vote: up ? 'up' : 'down' }, 'answer rated');
  await interaction.reply({
    content: up ? t.thanks : t.why,
    components: up ? [] : [reasonRow(questionId, t)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}
