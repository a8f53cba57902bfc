// Asking the searcher on behalf of a Discord user, with the latency and result
// count logged for every question; and whether a question may be asked now.
import type { Answer } from '../retrieval/types.js';
import { MAX_PAGES, PAGE_SIZE, type BotContext, type IndexView } from './context.js';
import type { BotMessage } from './format.js';

export type QuestionVia = 'ask' | 'mention' | 'dm' | 'page';

export interface Answered {
  answer: Answer;
  /** The index generation that answered: format citations and buttons against it, not a newer one. */
  view: IndexView;
  /** The question's id in the question log (for its 👍/👎 row), or null when nothing is recorded. */
  questionId: string | null;
}

/** Where a question was asked (recorded with it). */
export interface AskedIn {
  guildId: string | null;
  channelId: string | null;
}

export async function answerQuestion(context: BotContext, question: string, via: QuestionVia, user: string, where: AskedIn = { guildId: null, channelId: null }): Promise<Answered> {
  const t0 = performance.now();
  const view = context.view();
  // Always the same k, so page n of "More results" is page n of the first answer.
  const answer = await view.searcher.search(question, { k: PAGE_SIZE * MAX_PAGES });
  const latencyMs = performance.now() - t0;
  // Only queued here: the row is written after the reply is sent.
  const questionId = context.questionLog.record({ via: via === 'page' ? 'button' : via, userId: user, answer, latencyMs, ...where });
  context.logger.info(
    {
      event: 'question',
      via,
      user,
      question: question.length > 120 ? `${question.slice(0, 120)}…` : question,
      ms: Math.round(latencyMs),
      results: answer.answerable ? answer.hits.length : 0,
      answerable: answer.answerable,
      truncated: answer.truncated,
      pending: context.pending.size,
    },
    'question answered',
  );
  return { answer, view, questionId };
}

export const EMPTY_QUESTION: BotMessage = {
  content: '请在提及我时附上问题，例如：@我 北京第二批主题教育涉及多少党员？也可以用 `/ask`、`/region`、`/help`。\nAsk me a question after the mention, or use `/ask`, `/region`, `/help`.',
};

export const STOPPING: BotMessage = { content: '机器人正在重启，请稍后再问。The bot is restarting; please ask again in a minute.' };

const BUSY: BotMessage = { content: '机器人正忙，请稍后再试。The bot is busy answering other questions; please try again in a moment.' };

function slowDown(seconds: number, limit: number, windowSeconds: number): BotMessage {
  return {
    content: `你提问太快了，请 ${seconds} 秒后再试（每 ${windowSeconds} 秒最多 ${limit} 个问题）。You are asking too fast: please try again in ${seconds} s (at most ${limit} questions per ${windowSeconds} s).`,
  };
}

export type Admission = { ok: true; release: () => void } | { ok: false; reason: 'stopping' | 'rate-limited' | 'busy'; message: BotMessage };

/** Whether a user's question is taken now; when it is, `release` must be called once it is answered. */
export function admitQuestion(context: BotContext, user: string, via: QuestionVia): Admission {
  const { logger, settings } = context;
  if (!context.lifecycle.accepting) return { ok: false, reason: 'stopping', message: STOPPING };
  const rate = context.rateLimiter.take(user);
  if (!rate.ok) {
    logger.info({ event: 'rate-limited', via, user, retryAfter: rate.retryAfterSeconds }, 'question over the per-user rate limit');
    return { ok: false, reason: 'rate-limited', message: slowDown(rate.retryAfterSeconds, settings.rateLimitQuestions, settings.rateLimitWindowSeconds) };
  }
  const release = context.pending.tryEnter();
  if (!release) {
    logger.warn({ event: 'busy', via, user, pending: context.pending.size }, 'too many questions in flight; asked to retry');
    return { ok: false, reason: 'busy', message: BUSY };
  }
  return { ok: true, release };
}
