// Retrieval quality thresholds on both development sets: a change that makes
// retrieval worse on either fails the suite. The bars are the ones the
// project promises (README, "Retrieval quality").
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { evaluate, parseQuestions, summarize, type EvalReport } from '../../src/retrieval/evaluate.js';
import { createSearcher } from '../../src/retrieval/searcher.js';
import { EXTERNAL_DEV_DIR, FIVE_QUESTIONS_FILE, hasExternalDev, UNANSWERABLE_FILE } from '../support/corpora.js';
import { load, sharedEmbedder } from '../support/index-fixture.js';

const group = (report: EvalReport, name: string) => report.groups.find((g) => g.name === name)!;

async function measure(indexDir: string, file: string): Promise<EvalReport> {
  const searcher = createSearcher(await load(indexDir), await sharedEmbedder());
  return summarize(await evaluate(searcher, parseQuestions(await readFile(file, 'utf8'))));
}

describe('retrieval quality on the five reports', () => {
  let report: EvalReport;
  beforeAll(async () => {
    report = await measure(inject('qualityIndexes').fiveIndexDir, FIVE_QUESTIONS_FILE);
  });

  it('Chinese questions: Hit@1 at its bar, Recall@5 = 1', () => {
    expect(group(report, 'all Chinese').hit1).toBeGreaterThanOrEqual(CHINESE_HIT1_FIVE);
    expect(group(report, 'all Chinese').recall5).toBe(1);
  });

  it('English questions: Recall@5 = 1', () => {
    expect(group(report, 'all English').recall5).toBe(1);
  });

  it('at most 3 % of answerable questions get "not found"', () => {
    expect(report.falseNotFound).toBeLessThanOrEqual(0.03);
  });

  it('the answer span marks the gold words on at least 80 % of number/date/person questions', () => {
    expect(report.spanCount).toBeGreaterThan(10);
    expect(report.spanOnGold).toBeGreaterThanOrEqual(0.8);
  });
});

describe.skipIf(!hasExternalDev())('retrieval quality on the external-dev reports indexed with the five', () => {
  let report: EvalReport;
  beforeAll(async () => {
    report = await measure(inject('qualityIndexes').combinedIndexDir, path.join(EXTERNAL_DEV_DIR, 'questions.jsonl'));
  });

  it('Chinese questions: Hit@1 and Recall@5 at their bars', () => {
    expect(group(report, 'all Chinese').hit1).toBeGreaterThanOrEqual(CHINESE_HIT1_EXTERNAL);
    expect(group(report, 'all Chinese').recall5).toBeGreaterThanOrEqual(0.97);
  });

  it('English questions: Recall@5 at its bar', () => {
    expect(group(report, 'all English').recall5).toBeGreaterThanOrEqual(ENGLISH_RECALL5_EXTERNAL);
  });

  it('at most 3 % of answerable questions get "not found"', () => {
    expect(report.falseNotFound).toBeLessThanOrEqual(0.03);
  });

  it('the answer span marks the gold words on at least 80 % of number/date/person questions', () => {
    expect(report.spanOnGold).toBeGreaterThanOrEqual(0.8);
  });

  it('at least 75 % of the unanswerable questions get a verdict other than "answer"', async () => {
    const unanswerable = await measure(inject('qualityIndexes').combinedIndexDir, UNANSWERABLE_FILE);
    expect(unanswerable.unanswerableCaught).toBeGreaterThanOrEqual(UNANSWERABLE_CAUGHT);
  });
});

if (!hasExternalDev()) console.warn(`skipping the external-dev quality thresholds: ${EXTERNAL_DEV_DIR} is absent`);

// The project's bars: Chinese Hit@1 ≥ 0.94 on the five reports and ≥ 0.85 on external-dev, English
// Recall@5 ≥ 0.9 there. Both Hit@1 checks allow one question below the bar: the q8 model's
// embeddings differ in the last digits between CPUs, which can swap two near-tied passages.
const CHINESE_HIT1_FIVE = 0.94 - 1 / 49;
const CHINESE_HIT1_EXTERNAL = 0.85 - 1 / 34;
const ENGLISH_RECALL5_EXTERNAL = 0.9;
const UNANSWERABLE_CAUGHT = 0.75;
