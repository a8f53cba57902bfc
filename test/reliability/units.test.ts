// The reliability building blocks on their own (no model, no Discord): the
// atomic index swap, the data watcher's debounce, the rate limiter and bounded
// queue, the shutdown drain, question cleaning, secrets in config and logs.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Bounded, RateLimiter } from '../../src/bot/admission.js';
import { Lifecycle } from '../../src/bot/lifecycle.js';
import { cleanQuestion, MAX_QUESTION_INPUT } from '../../src/bot/question-text.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import type { BuildResult } from '../../src/index/build.js';
import { LiveIndex } from '../../src/runtime/live-index.js';
import { watchDataFolder } from '../../src/runtime/watch.js';
import { createLogger } from '../../src/log.js';
import type { Searcher } from '../../src/retrieval/searcher.js';

const fakeSearcher = (name: string) => ({ name }) as unknown as Searcher;
const fakeResult = {} as BuildResult;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('LiveIndex', () => {
  it('keeps answering from the old index during a rebuild and swaps in one step', async () => {
    const old = fakeSearcher('old');
    const next = fakeSearcher('new');
    const build = deferred<{ searcher: Searcher; result: BuildResult; fromScratch: boolean }>();
    const live = new LiveIndex(old, () => build.promise);
    const swapped: Searcher[] = [];
    live.onSwap((s) => swapped.push(s));
    const run = live.tryRebuild()!;
    expect(live.rebuilding).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(live.current).toBe(old);
    // One rebuild at a time: a second request is told, not queued.
    expect(live.tryRebuild()).toBeNull();
    build.resolve({ searcher: next, result: fakeResult, fromScratch: false });
    const outcome = await run;
    expect(outcome.ok).toBe(true);
    expect(live.current).toBe(next);
    expect(swapped).toEqual([next]);
    expect(live.rebuilding).toBe(false);
    expect(live.tryRebuild()).not.toBeNull();
  });

  it('keeps the old index when a rebuild fails (also when the rebuilder throws synchronously)', async () => {
    const old = fakeSearcher('old');
    const live = new LiveIndex(old, () => Promise.reject(new Error('disk full')));
    const outcome = await live.tryRebuild()!;
    expect(outcome).toMatchObject({ ok: false, error: expect.objectContaining({ message: 'disk full' }) });
    expect(live.current).toBe(old);
    const throwing = new LiveIndex(old, () => {
      throw new Error('sync');
    });
    expect((await throwing.tryRebuild()!).ok).toBe(false);
    expect(throwing.rebuilding).toBe(false);
  });

  it('a fixed index cannot be rebuilt', () => {
    const live = new LiveIndex(fakeSearcher('x'));
    expect(live.canRebuild).toBe(false);
    expect(() => live.tryRebuild()).toThrow();
  });
});

describe('data folder watcher', () => {
  it('calls back once after a burst of changes has settled, ignoring dot-files, and not after close', async () => {
    const dir = path.join(os.tmpdir(), `watch-${process.pid}-${Date.now()}`);
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    let calls = 0;
    const watcher = watchDataFolder(dir, () => calls++, { debounceMs: 300 });
    try {
      await writeFile(path.join(dir, '.swp'), 'x');
      await new Promise((r) => setTimeout(r, 500));
      expect(calls).toBe(0);
      for (let i = 0; i < 5; i++) {
        await writeFile(path.join(dir, 'sub', `r${i}.txt`), `标题\n正文${i}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(calls).toBe(0);
      await expect.poll(() => calls, { timeout: 3000 }).toBe(1);
      await new Promise((r) => setTimeout(r, 500));
      expect(calls).toBe(1);
      await writeFile(path.join(dir, 'late.txt'), 'x');
      watcher.close();
      await new Promise((r) => setTimeout(r, 500));
      expect(calls).toBe(1);
    } finally {
      watcher.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('admission', () => {
  it('rate-limits per user in a sliding window and says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(5, 30_000, () => now);
    for (let i = 0; i < 5; i++) expect(limiter.take('alice').ok).toBe(true);
    expect(limiter.take('alice')).toEqual({ ok: false, retryAfterSeconds: 30, firstRefusal: true });
    expect(limiter.take('bob').ok).toBe(true);
    now += 10_000;
    // Told once per window: later refusals in it are not announced again (mention spam is not echoed).
    expect(limiter.take('alice')).toEqual({ ok: false, retryAfterSeconds: 20, firstRefusal: false });
    now += 20_001;
    expect(limiter.take('alice').ok).toBe(true);
    for (let i = 0; i < 4; i++) limiter.take('alice');
    expect(limiter.take('alice')).toEqual({ ok: false, retryAfterSeconds: 30, firstRefusal: true });
  });

  it('forgets idle users (memory stays bounded)', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 1000, () => now);
    for (let i = 0; i < 1500; i++) limiter.take(`user${i}`);
    now += 5000;
    for (let i = 0; i < 1000; i++) limiter.take(`other${i}`);
    expect(limiter.trackedKeys).toBeLessThan(1500);
  });

  it('bounds work in flight; release is idempotent', () => {
    const queue = new Bounded(2);
    const a = queue.tryEnter()!;
    const b = queue.tryEnter()!;
    expect(queue.tryEnter()).toBeNull();
    a();
    a();
    expect(queue.size).toBe(1);
    expect(queue.tryEnter()).not.toBeNull();
    b();
  });

  it('drains in-flight work on shutdown, bounded by a timeout', async () => {
    const life = new Lifecycle();
    const slow = deferred<void>();
    life.track(slow.promise);
    life.track(Promise.reject(new Error('handled elsewhere')));
    const draining = life.drain(5000);
    expect(life.accepting).toBe(false);
    setTimeout(() => slow.resolve(), 100);
    expect(await draining).toBe(true);
    const stuck = new Lifecycle();
    stuck.track(new Promise(() => {}));
    const t0 = Date.now();
    expect(await stuck.drain(200)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('question text', () => {
  it('removes zero-width and control characters, collapses whitespace, bounds length', () => {
    expect(cleanQuestion('  北京\u200b第二批\u0000主题\u0007教育\u202e \n\t涉及多少党员？\ufeff ')).toBe('北京第二批主题教育 涉及多少党员？');
    expect(cleanQuestion('\u200b\u200c\u200d \u0001 ')).toBe('');
    expect(cleanQuestion('问'.repeat(10_000)).length).toBe(MAX_QUESTION_INPUT);
    // An emoji is not cut in half at the limit.
    const cut = cleanQuestion(`${'a'.repeat(MAX_QUESTION_INPUT - 1)}😀`);
    expect(cut).toBe('a'.repeat(MAX_QUESTION_INPUT - 1));
  });
});

describe('secrets', () => {
  it('.env is git-ignored and .env.example holds no secrets', () => {
    let ignored: boolean;
    try {
      execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: PROJECT_ROOT });
      ignored = true;
    } catch (error) {
      // 1: not ignored; anything else (no git): fall back to reading .gitignore.
      if ((error as { status?: number }).status === 1) ignored = false;
      else ignored = readFileSync(path.join(PROJECT_ROOT, '.gitignore'), 'utf8').split('\n').some((l) => l.trim() === '.env');
    }
    expect(ignored).toBe(true);

    const example = readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
    const settings = example
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()] as const);
    const values = Object.fromEntries(settings);
    for (const secret of ['DISCORD_TOKEN']) expect(values[secret]).toBe('');
    // Nothing that looks like a Discord token (base64 id . timestamp . hmac) or a long random string.
    expect(example).not.toMatch(/[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,40}/);
    for (const [key, value] of settings) expect(value, key).not.toMatch(/^[A-Za-z0-9+/_-]{32,}$/);
    // Every setting the example documents is one the bot reads, and the new ones are documented.
    expect(() => loadConfig(Object.fromEntries(settings.filter(([, v]) => v !== '')))).not.toThrow();
    for (const key of ['RATE_LIMIT_QUESTIONS', 'RATE_LIMIT_WINDOW_SECONDS', 'MAX_PENDING_QUESTIONS', 'SHUTDOWN_GRACE_SECONDS', 'WATCH_DATA', 'AUTO_REINDEX']) {
      expect(values, key).toHaveProperty(key);
    }
  });

  it('logs redact the token wherever the configuration is logged', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger('info', { destination: sink, pretty: false });
    const config = loadConfig({ DISCORD_TOKEN: 'SECRET-TOKEN-abc123' });
    logger.info({ config }, 'configuration');
    logger.info({ discord: config.discord }, 'discord settings');
    logger.info({ token: config.discord.token }, 'token');
    expect(lines.join('')).not.toContain('SECRET-TOKEN-abc123');
    expect(lines.join('')).toContain('[redacted]');
  });

  it('nothing a user sends can reach the file system: no bot module imports fs', () => {
    const botDir = path.join(PROJECT_ROOT, 'src', 'bot');
    const files = (readdirSync(botDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && statSync(path.join(botDir, f)).isFile());
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(path.join(botDir, f), 'utf8');
      expect(text, f).not.toMatch(/from ['"](node:)?fs(\/promises)?['"]/);
      expect(text, f).not.toMatch(/require\(['"](node:)?fs/);
    }
  });
});
