// Asking the searcher on behalf of a Discord user, with the latency and result
// count logged for every question.
import type { Answer } from '../search/types.js';
import { MAX_PAGES, PAGE_SIZE, type BotContext } from './context.js';

export type QuestionVia = 'ask' | 'mention' | 'dm' | 'page';

export async function answerQuestion(context: BotContext, question: string, via: QuestionVia, user: string): Promise<Answer> {
  const t0 = performance.now();
  // Always the same k, so page n of "More results" is page n of the first answer.
  const answer = await context.searcher.search(question, { k: PAGE_SIZE * MAX_PAGES });
  context.logger.info(
    {
      event: 'question',
      via,
      user,
      question: question.length > 120 ? `${question.slice(0, 120)}…` : question,
      ms: Math.round(performance.now() - t0),
      results: answer.answerable ? answer.hits.length : 0,
      answerable: answer.answerable,
    },
    'question answered',
  );
  return answer;
}
