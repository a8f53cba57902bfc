import { createHash } from 'node:crypto';
import { mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rememberedSha256 } from './model-files.js';

describe('the model fingerprint', () => {
  it('is the weights sha256, remembered beside them while their size and time are unchanged', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'model-'));
    const weights = path.join(dir, 'model.onnx');
    const record = path.join(dir, '.sha256.json');
    await writeFile(weights, 'weights v1');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(await rememberedSha256(weights, record)).toBe(sha('weights v1'));
    expect(JSON.parse(await readFile(record, 'utf8'))).toMatchObject({ size: 10, sha256: sha('weights v1') });

    // The record is what is read while the file is unchanged (a planted hash proves it is not recomputed).
    const planted = { ...JSON.parse(await readFile(record, 'utf8')), sha256: 'a'.repeat(64) };
    await writeFile(record, JSON.stringify(planted));
    expect(await rememberedSha256(weights, record)).toBe('a'.repeat(64));

    // New weights (another time) are hashed again.
    await writeFile(weights, 'weights v2');
    await utimes(weights, new Date(), new Date(Date.now() + 5000));
    expect(await rememberedSha256(weights, record)).toBe(sha('weights v2'));
    // A damaged record is ignored.
    await writeFile(record, '{not json');
    expect(await rememberedSha256(weights, record)).toBe(sha('weights v2'));
  });
});
