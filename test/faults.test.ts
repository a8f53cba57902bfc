// Faults found by probing the commands as processes: each must end, with a
// one-line message and a non-zero exit code, never hang or crash. Every child
// runs with a timeout and in its own process group (killed whole if it hangs).
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import { startFakeDiscord } from './fake-discord/server.js';
import { loadIndex } from '../src/index/load.js';
import { acquireBuildLock, lockPath } from '../src/index/lock.js';
import { build, copyOfReports, load, sharedEmbedder, tempDir } from './support/index-fixture.js';
import { killGroup, spawnClean, TSX } from './support/spawn.js';

const cli = (name: string) => path.join(PROJECT_ROOT, 'src', 'cli', `${name}.ts`);

/** A CLI as a process with a timeout; stdin is closed after `input`. */
async function run(name: string, args: string[], env: Record<string, string>, options: { input?: string; timeoutMs?: number } = {}) {
  const spawned = spawnClean(TSX, [cli(name), ...args], { NO_COLOR: '1', ...env }, options.timeoutMs ?? 60_000, { stdin: 'pipe' });
  return finish(spawned, options.input);
}

async function finish(spawned: ReturnType<typeof spawnClean>, input?: string) {
  const started = Date.now();
  spawned.child.stdin?.end(input ?? '');
  const result = await spawned.done;
  return { ...result, ms: Date.now() - started };
}

let env: Record<string, string>;
beforeAll(async () => {
  const dataDir = await copyOfReports();
  const indexDir = await tempDir('index');
  await build(dataDir, indexDir);
  env = { DATA_DIR: dataDir, INDEX_DIR: indexDir };
});

describe('1. one way out: every command ends, closing the model thread', () => {
  it('search --jsonl: a null line is answered as unanswerable and the process exits 0 (it used to throw and hang)', async () => {
    const { code, signal, stdout, stderr } = await run('search', ['--jsonl'], env, { input: 'null\n{"id":1,"question":"僵尸车"}\n', timeoutMs: 45_000 });
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual([null, 1]);
    expect(lines[1].hits[0].text).toContain('僵尸车');
    expect(stderr).toMatch(/line 1 is not a JSON object/);
  });

  it('search --jsonl | head -1: the reader going away ends the run quietly (no EPIPE stack)', async () => {
    const spawned = spawnClean(TSX, [cli('search'), '--jsonl'], env, 45_000, { stdin: 'pipe' });
    // Far more output (megabytes) than a pipe holds, so some of it is still unwritten when the reader goes away.
    const questions = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i, question: '主题教育' })).join('\n') + '\n';
    spawned.child.stdin!.write(questions);
    await new Promise<void>((resolve) => spawned.child.stdout!.once('data', () => resolve()));
    spawned.child.stdout!.destroy();
    spawned.child.stdin!.end();
    const { code, signal, stderr } = await spawned.done;
    expect(signal).toBeNull();
    expect(code).not.toBe(0);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});

describe('3. a question longer than argv can safely carry', () => {
  it('ask with a 6,000-character question answers (onnxruntime used to segfault creating its session)', async () => {
    const question = '北京第二批主题教育涉及多少党员和党组织'.repeat(320);
    const { code, signal, stdout } = await run('ask', [question], env, { timeoutMs: 60_000 });
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(stdout).toContain('The question was long');
    expect(stdout).toContain('涵盖党员139.5万人');
  });

  it('the question can also come on stdin', async () => {
    const { code, stdout } = await run('ask', [], env, { input: '北京第二批主题教育涉及多少党员和党组织？\n' });
    expect(code).toBe(0);
    expect(stdout).toContain('涵盖党员139.5万人');
  });
});

describe('7. failures are one-line messages with non-zero exit codes', () => {
  it('usage errors exit 2 with the usage line: empty question, --k 0, unknown option', async () => {
    const results = await Promise.all([
      run('ask', [], env),
      run('search', ['--jsonl', '--k', '0'], env),
      run('search', ['--jsonl', '--bogus'], env),
      run('region', ['--nope', '河北'], env),
    ]);
    for (const { code, stderr } of results) {
      expect(code).toBe(2);
      expect(stderr).toMatch(/^error: .+\nUsage: /m);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
    expect(results[0]!.stderr).toContain('no question given');
    expect(results[1]!.stderr).toContain('--k must be a whole number from 1 to 100, got "0"');
    expect(results[2]!.stderr).toContain("Unknown option '--bogus'");
  });

  it('an unwritable index folder: a one-line EACCES message naming the folder, exit 1; unchanged data needs no write access', async () => {
    if (process.getuid?.() === 0) {
      // root ignores file permissions: a read-only bind is what stops it, which a test cannot make. Use a file where a folder should be.
      const notAFolder = path.join(await tempDir('blocked'), 'index');
      await writeFile(notAFolder, 'not a folder');
      const { code, stderr } = await run('index', [], { DATA_DIR: env.DATA_DIR!, INDEX_DIR: path.join(notAFolder, 'sub') });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^error: .*index.* \((ENOTDIR|EEXIST)\)\.$/m);
      return;
    }
    const parent = await tempDir('readonly');
    const indexDir = path.join(parent, 'index');
    await mkdir(indexDir);
    await chmod(indexDir, 0o555);
    const { code, stderr } = await run('index', [], { DATA_DIR: env.DATA_DIR!, INDEX_DIR: indexDir });
    await chmod(indexDir, 0o755);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: permission denied on .*index.* \(EACCES\)\.$/m);
  });

  it('a read-only index that is up to date: index says so without taking the lock', async () => {
    // The lock is a folder inside the index folder: held by someone else, a run that has to lock would wait, then fail.
    const release = await acquireBuildLock(env.INDEX_DIR!, () => {});
    try {
      const { code, stdout } = await run('index', [], env);
      expect(code).toBe(0);
      expect(stdout).toMatch(/up to date/);
    } finally {
      await release();
    }
  });

  it('the bot with AUTO_REINDEX=on and an empty data folder exits 1 with a message (it used to log "uncaught exception" and exit 0)', async () => {
    const empty = await tempDir('empty-data');
    const spawned = spawnClean(TSX, [cli('bot')], { DISCORD_TOKEN: 'unused-token', DATA_DIR: empty, INDEX_DIR: path.join(await tempDir('no-index'), 'index'), AUTO_REINDEX: 'on' }, 60_000);
    const { code, stdout, stderr } = await spawned.done;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: could not build the index: No paragraphs to index in .*empty-data.*: the folder has no report files/m);
    expect(stdout).not.toContain('uncaught exception');
  });
});

describe('7. a build that fails while writing', () => {
  it('leaves no half-written generation (a full disk must not also keep its space) and no lock', async () => {
    const dataDir = await copyOfReports();
    const indexDir = await tempDir('index');
    await build(dataDir, indexDir);
    const before = (await load(indexDir)).manifest;
    await writeFile(path.join(dataDir, 'extra.txt'), '新报告\n各地继续深入推进主题教育，整改事项已经完成。\n');
    // Vectors of the wrong length: the store and vectors files are written, then the graph refuses them.
    const broken = async () => ({ ...(await sharedEmbedder()), embedPassages: async (texts: string[]) => texts.map(() => new Float32Array(3)) });
    await expect(build(dataDir, indexDir, broken)).rejects.toThrow();
    expect((await readdir(indexDir)).filter((f) => f.startsWith('gen-') || f.startsWith('.build.lock') || f.includes('.tmp-'))).toEqual([before.generation]);
    expect((await load(indexDir)).manifest).toEqual(before);
  }, 180_000);
});

describe('2. the build lock', () => {
  it('a lock held by a live build is refused with a message naming the lock file', async () => {
    const release = await acquireBuildLock(env.INDEX_DIR!, () => {});
    try {
      const dataDir = await copyOfReports();
      await writeFile(path.join(dataDir, 'extra.txt'), '新报告\n各地继续深入推进主题教育。');
      const { code, stderr, ms } = await run('index', [], { DATA_DIR: dataDir, INDEX_DIR: env.INDEX_DIR! }, { timeoutMs: 60_000 });
      expect(code).toBe(1);
      expect(stderr).toContain(`Another indexing run is using ${env.INDEX_DIR}`);
      expect(stderr).toContain(lockPath(env.INDEX_DIR!));
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(ms).toBeGreaterThan(9_000); // it waited for the lock to go stale first
    } finally {
      await release();
    }
  });

  it('a lock whose holder stopped (pid still alive, like a zombie or a reused pid) is taken over once stale', async () => {
    const dataDir = await copyOfReports();
    const indexDir = await tempDir('index');
    await build(dataDir, indexDir);
    const paragraphs = Array.from({ length: 400 }, (_, i) => `<div><span>　　第${i + 1}段：各地继续深入推进主题教育，编号${i}的整改事项已经完成。</span></div>`);
    await writeFile(path.join(dataDir, 'big.txt'), `大报告\n${paragraphs.join('<div>&nbsp;</div>')}`);
    const frozen = spawnClean(TSX, [cli('index')], { DATA_DIR: dataDir, INDEX_DIR: indexDir }, 170_000);
    try {
      await expect.poll(() => frozen.output.stderr, { timeout: 90_000, interval: 100 }).toContain('Embedding');
      process.kill(-frozen.child.pid!, 'SIGSTOP');
      expect((await stat(lockPath(indexDir))).isDirectory()).toBe(true);
      const { code, stdout, stderr } = await run('index', [], { DATA_DIR: dataDir, INDEX_DIR: indexDir }, { timeoutMs: 150_000 });
      expect(stderr).not.toMatch(/Another indexing run/);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Indexed 6 report/);
      expect((await load(indexDir)).store.reports).toHaveLength(6);
    } finally {
      killGroup(frozen.child);
    }
    await frozen.done;
    const manifest = (await load(indexDir)).manifest;
    expect((await readdir(indexDir)).filter((f) => f.startsWith('gen-')).sort()).toEqual([manifest.generation, manifest.previousGeneration].sort());
  }, 240_000);
});

describe('11. a first run builds the index; later runs keep it current', () => {
  it('ask with no index builds it (progress on stderr), reuses it unchanged, and updates it when a report changes', async () => {
    const dataDir = await tempDir('first-data');
    await writeFile(path.join(dataDir, 'jilin.txt'), '吉林推进主题教育\n吉林市致和南小区新增停车位36个，极大方便了群众出行。\n');
    const indexDir = path.join(await tempDir('first'), 'index');
    const first = await run('ask', ['吉林市新增了多少停车位？'], { DATA_DIR: dataDir, INDEX_DIR: indexDir }, { timeoutMs: 120_000 });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/No index in .*index yet: building it from the reports in .*first-data/);
    expect(first.stderr).toMatch(/Index built: 1 report\(s\)/);
    expect(first.stdout).toContain('新增停车位36个');
    const built = await load(indexDir);

    const second = await run('ask', ['吉林市新增了多少停车位？'], { DATA_DIR: dataDir, INDEX_DIR: indexDir });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/building|updating/);
    expect((await load(indexDir)).manifest).toEqual(built.manifest);

    await writeFile(path.join(dataDir, 'zhejiang.txt'), '浙江推进主题教育\n浙江省湖州市建成污水处理设施120座。\n');
    const third = await run('search', ['--jsonl'], { DATA_DIR: dataDir, INDEX_DIR: indexDir }, { input: '{"id":1,"question":"湖州建成了多少污水处理设施？"}\n', timeoutMs: 120_000 });
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/changed since the index was built: updating it/);
    expect(JSON.parse(third.stdout).hits[0].source).toBe('zhejiang.txt');
    expect((await load(indexDir)).store.reports).toHaveLength(2);
  }, 240_000);
});

describe('11. the bot\'s first run', () => {
  it('builds the missing index (logged), then logs in', async () => {
    const fake = await startFakeDiscord({ token: 'first-run-token' });
    try {
      const dataDir = await tempDir('bot-first-data');
      await writeFile(path.join(dataDir, 'jilin.txt'), '吉林推进主题教育\n吉林市致和南小区新增停车位36个，极大方便了群众出行。\n');
      const indexDir = path.join(await tempDir('bot-first'), 'index');
      const bot = spawnClean(TSX, [cli('bot')], { DISCORD_TOKEN: 'first-run-token', DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, INDEX_DIR: indexDir }, 170_000);
      try {
        await expect.poll(() => bot.output.stdout, { timeout: 160_000, interval: 200 }).toContain('connected to Discord');
        const logs = bot.output.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
        expect(logs.map((l) => l.msg).find((m) => m.startsWith('No index in'))).toMatch(/building it from the reports in .*bot-first-data/);
        expect((await load(indexDir)).store.reports.map((r) => r.file)).toEqual(['jilin.txt']);
      } finally {
        killGroup(bot.child);
        await bot.done;
      }
    } finally {
      await fake.close();
    }
  }, 200_000);
});

describe('4. an index built from other reports is not served silently', () => {
  it('warns naming both folders; with AUTO_REINDEX=on rebuilds it from DATA_DIR', async () => {
    const other = await tempDir('other-data');
    await writeFile(path.join(other, 'jilin.txt'), '吉林推进主题教育\n吉林市致和南小区新增停车位36个。\n');
    const { code, stderr, stdout } = await run('region', ['吉林'], { DATA_DIR: other, INDEX_DIR: env.INDEX_DIR! });
    expect(code).toBe(0);
    expect(stderr).toContain(`warning: the index in ${env.INDEX_DIR} was built from the reports in ${env.DATA_DIR}, not from DATA_DIR=${other}`);
    expect(stdout).toContain('吉林');

    const copy = await tempDir('index-copy');
    await build(env.DATA_DIR!, copy);
    const rebuilt = await run('region', ['--json', '吉林'], { DATA_DIR: other, INDEX_DIR: copy, AUTO_REINDEX: 'on' }, { timeoutMs: 120_000 });
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toMatch(/AUTO_REINDEX=on: rebuilding it from .*other-data/);
    const index = await load(copy);
    expect(index.store.reports.map((r) => r.file)).toEqual(['jilin.txt']);
    expect(index.manifest.dataDir).toBe(other);
  }, 240_000);
});

describe('9. control characters in file names never reach the output raw', () => {
  it('a newline in a report file name is shown as \\n in the citation, not as a new (fake warning) line', async () => {
    const dataDir = await tempDir('ctl-data');
    await writeFile(path.join(dataDir, 'a\nwarning: index damaged\u001b[31m.txt'), '吉林推进主题教育\n吉林市致和南小区新增停车位36个。\n');
    const { code, stdout } = await run('ask', ['吉林市新增了多少停车位？'], { DATA_DIR: dataDir, INDEX_DIR: path.join(await tempDir('ctl'), 'index') }, { timeoutMs: 120_000 });
    expect(code).toBe(0);
    expect(stdout).toContain('a\\nwarning: index damaged\\u{1b}[31m.txt · 第1段');
    expect(stdout).not.toMatch(/^warning:/m);
    expect(stdout).not.toContain('\u001b');
  }, 180_000);
});

describe('6. a reader that read the manifest just before a build switched generations', () => {
  it('still opens the generation it read: the replaced one is kept until the next build', async () => {
    const dataDir = await copyOfReports();
    const indexDir = await tempDir('index');
    await build(dataDir, indexDir);
    const before = (await load(indexDir)).manifest;
    await writeFile(path.join(dataDir, 'extra.txt'), '新报告\n各地继续深入推进主题教育，整改事项已经完成。\n');
    await build(dataDir, indexDir);
    // A load that read `before` a moment ago opens its files now: they must still be there, whole.
    const late = await loadIndex({ indexDir, manifest: before, modelHash: before.modelHash, dims: before.dims, hnswEf: 100 });
    expect(late.manifest.generation).toBe(before.generation);
    expect(late.store.reports).toHaveLength(5);
    // The build after that removes it; a reader still holding `before` then gets the live generation.
    await writeFile(path.join(dataDir, 'extra2.txt'), '又一份报告\n各地继续深入推进主题教育，第二批整改事项已经完成。\n');
    await build(dataDir, indexDir);
    const retried = await loadIndex({ indexDir, manifest: before, modelHash: before.modelHash, dims: before.dims, hnswEf: 100 });
    expect(retried.store.reports).toHaveLength(7);
  }, 180_000);
});
