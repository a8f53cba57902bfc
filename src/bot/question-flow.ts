// The one question flow shared by /ask, mentions, DMs, thread follow-ups and "More results":
// clean the question, admit it (rate limit, bounded queue), acknowledge, search, reply in the
// asker's language. Callers only say how to acknowledge and how to send.
import type { Answer } from '../retrieval/types.js';
import type { BotContext, IndexView } from './context.js';
import { cleanQuestion } from './question-text.js';
import type { BotMessage } from './views/common.js';
import { langOfText, type Lang } from './views/i18n.js';
import { notice, tooFastView } from './views/notices.js';
import { pseudonym } from '../log.js';

export type QuestionVia = 'ask' | 'mention' | 'dm' | 'thread' | 'more';

/** Every question is searched with the same k, so "More results" continues the first answer. */
export const RESULTS_PER_QUESTION = 12;

export interface Answered {
  question: string;
  answer: Answer;
  /** The index generation that answered: cite and build controls against it, not a newer one. */
  view: IndexView;
  lang: Lang;
  /** The question's id in the question log (for its 👍/👎 row), or null when nothing is recorded. */
  questionId: string | null;
}

export interface QuestionRequest {
  /** As typed (cleaned here). */
  text: string;
  via: QuestionVia;
  /** Discord user id: used for the rate limit and logged, never stored. */
  user: string;
  /** From the interaction's locale; mentions and DMs follow the question's language. */
  lang?: Lang;
  /** Where it was asked (recorded with the question). */
  guildId: string | null;
  channelId: string | null;
}

export interface QuestionIo {
  /** Shows that work started (a deferred reply, typing); called once the question is admitted. */
  acknowledge(): Promise<void>;
  /** Sends the reply; `refusal` (empty question, too fast, busy, stopping) may be private. */
  send(message: BotMessage, kind: 'answer' | 'refusal'): Promise<void>;
  /**
   * Tells a user over the rate limit (default: `send` as a refusal). `firstInWindow` is false when
   * they were already told in this window: a public channel then gets nothing, so spam is not echoed.
   */
  tooFast?(message: BotMessage, firstInWindow: boolean): Promise<void>;
}

export type Render = (answered: Answered) => BotMessage;

/** Runs a question through admission, search and reply. Errors propagate to the caller's handler. */
export async function runQuestion(context: BotContext, request: QuestionRequest, io: QuestionIo, render: Render): Promise<Answered | null> {
  const question = cleanQuestion(request.text);
  const lang = request.lang ?? langOfText(question);
  if (!question) {
    await io.send(notice(lang, 'emptyQuestion'), 'refusal');
    return null;
  }
  const admission = admit(context, request.user, request.via, lang);
  if (!admission.ok) {
    if (admission.reason === 'rate-limited' && io.tooFast) await io.tooFast(admission.message, admission.firstRefusal);
    else await io.send(admission.message, 'refusal');
    return null;
  }
  try {
    await io.acknowledge();
    const answered = await search(context, question, request, lang);
    await io.send(render(answered), 'answer');
    return answered;
  } finally {
    admission.release();
  }
}

async function search(context: BotContext, question: string, request: QuestionRequest, lang: Lang): Promise<Answered> {
  const { via, user } = request;
  const t0 = performance.now();
  const view = context.view();
  const answer = await view.searcher.search(question, { k: RESULTS_PER_QUESTION });
  const latencyMs = performance.now() - t0;
  // Only queued here: the row is written after the reply is sent.
  const questionId = context.questionLog.record({
    via: via === 'more' ? 'button' : via === 'thread' ? 'mention' : via,
    userId: user,
    answer,
    latencyMs,
    guildId: request.guildId,
    channelId: request.channelId,
  });
  context.logger.info(
    {
      event: 'question',
      via,
      user: pseudonym(user),
      lang,
      question: question.length > 120 ? `${question.slice(0, 120)}…` : question,
      ms: Math.round(latencyMs),
      results: answer.answerable ? answer.hits.length : 0,
      answerable: answer.answerable,
      verdict: answer.verdict ?? (answer.answerable ? 'answer' : 'none'),
      truncated: answer.truncated,
      pending: context.pending.size,
    },
    'question answered',
  );
  return { question, answer, view, lang, questionId };
}

type Admission =
  | { ok: true; release: () => void }
  /** `firstRefusal`: false for a rate-limited user already told in this window. */
  | { ok: false; reason: 'stopping' | 'rate-limited' | 'busy'; message: BotMessage; firstRefusal: boolean };

/** Whether a user's question is taken now; when it is, `release` must be called once it is answered. */
export function admit(context: BotContext, user: string, via: QuestionVia, lang: Lang): Admission {
  const { logger, settings } = context;
  if (!context.lifecycle.accepting) return { ok: false, reason: 'stopping', message: notice(lang, 'stopping'), firstRefusal: true };
  const rate = context.rateLimiter.take(user);
  if (!rate.ok) {
    logger.info({ event: 'rate-limited', via, user: pseudonym(user), retryAfter: rate.retryAfterSeconds }, 'question over the per-user rate limit');
    return {
      ok: false,
      reason: 'rate-limited',
      message: tooFastView(lang, rate.retryAfterSeconds, settings.rateLimitQuestions, settings.rateLimitWindowSeconds),
      firstRefusal: rate.firstRefusal,
    };
  }
  const release = context.pending.tryEnter();
  if (!release) {
    logger.warn({ event: 'busy', via, user: pseudonym(user), pending: context.pending.size }, 'too many questions in flight; asked to retry');
    return { ok: false, reason: 'busy', message: notice(lang, 'busy'), firstRefusal: true };
  }
  return { ok: true, release };
}
