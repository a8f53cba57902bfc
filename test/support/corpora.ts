// The development corpora the quality thresholds are measured on: the five
// reports in data/, and — when ../shared is beside the project — those five
// together with the external-dev reports (read from ../shared, never copied
// into the project).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

export const EXTERNAL_DEV_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'eval', 'external-dev');
export const UNANSWERABLE_FILE = path.resolve(PROJECT_ROOT, '..', 'shared', 'eval', 'questions.unanswerable.dev.jsonl');
export const FIVE_QUESTIONS_FILE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'questions.dev.jsonl');

export const hasExternalDev = () => existsSync(path.join(EXTERNAL_DEV_DIR, 'questions.jsonl'));

/** Keys under which the global setup provides the built indexes' folders. */
export interface QualityIndexes {
  fiveIndexDir: string;
  /** Empty when ../shared is absent. */
  combinedIndexDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    qualityIndexes: QualityIndexes;
  }
}
