// The reply rules on real payloads: every fact question of the dev set answered from an index of
// the real reports with the real model, in Chinese and in English, as /ask would send it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerControls } from '../../src/bot/commands/ask.js';
import { createView, type IndexView } from '../../src/bot/context.js';
import { RESULTS_PER_QUESTION } from '../../src/bot/question-flow.js';
import { answerView, firstHits, moreResultsView } from '../../src/bot/views/answer.js';
import { limitViolations, type BotMessage } from '../../src/bot/views/common.js';
import { langFromLocale } from '../../src/bot/views/i18n.js';
import { citationShare } from '../../src/bot/views/measure.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { createSearcher } from '../../src/retrieval/searcher.js';
import type { Answer } from '../../src/retrieval/types.js';
import { baseConfig, build, copyOfReports, load, sharedEmbedder, tempDir } from '../support/index-fixture.js';

interface DevQuestion {
  id: string;
  kind: string;
  question: string;
}

let view: IndexView;
const answers = new Map<string, Answer>();

beforeAll(async () => {
  const indexDir = await tempDir('replies-index');
  const [, embedder] = await Promise.all([copyOfReports().then((data) => build(data, indexDir)), sharedEmbedder()]);
  view = createView(createSearcher(await load(indexDir), embedder, { topK: 5, candidates: baseConfig.candidates }));
  const lines = (await readFile(path.join(PROJECT_ROOT, 'test/fixtures/questions.dev.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const facts = lines.map((l) => JSON.parse(l) as DevQuestion).filter((q) => q.kind === 'fact');
  for (const q of facts) answers.set(q.id, await view.searcher.search(q.question, { k: RESULTS_PER_QUESTION }));
}, 300_000);

const LOCALES = ['zh-CN', 'zh-TW', 'en-US'] as const;
const render = (answer: Answer, locale: string): BotMessage => answerView({ answer, lang: langFromLocale(locale), style: 'embed', controls: answerControls(view, 'abcdefghij') });
const description = (m: BotMessage) => m.embeds?.[0]?.description ?? m.content ?? '';

/** Labels only: quotes, 《titles》, `commands` and the echoed question taken out. */
function labelsOf(m: BotMessage, question: string): string {
  const parts = [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? ''])];
  return parts
    .join('\n')
    .split(question)
    .join('')
    .replace(/^> .*$/gm, '')
    .replace(/《[^》]*》/g, '')
    .replace(/`[^`]*`|「[^」]*」|"[^"]*"/g, '');
}

describe('answers to the dev set\'s fact questions, as sent', () => {
  it('citations are at most 25 % of the characters of an answer', () => {
    expect(answers.size).toBeGreaterThan(10);
    for (const [id, answer] of answers) {
      for (const locale of LOCALES) {
        const message = render(answer, locale);
        expect(limitViolations(message), id).toEqual([]);
        if (!answer.answerable) continue;
        const { share } = citationShare(message);
        expect(share, `${id} ${locale}: ${(share * 100).toFixed(1)} %`).toBeLessThanOrEqual(0.25);
      }
    }
  });

  it('one language per reply: no English label in a Chinese reply, no Chinese label in an English one', () => {
    for (const [id, answer] of answers) {
      const shown = firstHits(answer.hits).length;
      const replies = (locale: string) => [render(answer, locale), moreResultsView(answer, shown, langFromLocale(locale), answerControls(view, 'abcdefghij'))];
      for (const locale of ['zh-CN', 'zh-TW']) {
        for (const m of replies(locale)) expect(labelsOf(m, answer.question), `${id} ${locale}`).not.toMatch(/[A-Za-z]{2,}/);
      }
      for (const m of replies('en-US')) expect(labelsOf(m, answer.question), `${id} en-US`).not.toMatch(/\p{Script=Han}/u);
    }
  });

  it('the answer comes first as a block quote; at most three quotes; each report listed once', () => {
    for (const [id, answer] of answers) {
      if (!answer.answerable) continue;
      const text = description(render(answer, 'zh-CN'));
      expect(text.startsWith('> ') || text.startsWith('-# '), id).toBe(true);
      const quotes = text.match(/^> /gm) ?? [];
      expect(quotes.length, id).toBeGreaterThanOrEqual(1);
      expect(quotes.length, id).toBeLessThanOrEqual(3);
      const listed = (text.match(/^-# \[\d+\] .*$/gm) ?? []).map((l) => /《[^》]*》/.exec(l)![0]);
      expect(new Set(listed).size, id).toBe(listed.length);
      // Never a whole quote in bold.
      expect(text, id).not.toMatch(/^> (…)?\*\*[^*]+\*\*(…)? \*\*\[\d+\]\*\*$/m);
    }
  });
});
