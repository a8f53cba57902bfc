import { describe, expect, it } from 'vitest';
import { defaultRetrievalOptions, retrievalOptions } from './options.js';

describe('retrieval options', () => {
  it('fills every option from the defaults; undefined keeps the default', () => {
    expect(retrievalOptions()).toEqual(defaultRetrievalOptions);
    expect(retrievalOptions({ topK: 3, vectorWeight: undefined })).toEqual({ ...defaultRetrievalOptions, topK: 3 });
  });

  it('the defaults cannot be changed by accident', () => {
    expect(Object.isFrozen(defaultRetrievalOptions)).toBe(true);
  });
});
