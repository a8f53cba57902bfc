// The command-line contracts other tools depend on, run as real processes.
import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import { readManifest } from '../src/index/manifest.js';
import { build, copyOfReports, load, tempDir } from './support/index-fixture.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

function run(script: string, args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', script), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let env: Record<string, string>;
let indexed: Promise<void> | undefined;
/** The index the search and ask tests read: built once, and only when one of them runs (not for `-t SIGKILL`). */
const withIndex = () =>
  (indexed ??= (async () => {
    const dataDir = await copyOfReports();
    const indexDir = await tempDir('index');
    await build(dataDir, indexDir);
    env = { DATA_DIR: dataDir, INDEX_DIR: indexDir };
  })());

describe('npm run search -- --jsonl', () => {
  beforeAll(withIndex);
  it('answers each JSON line with exactly one result line, in order, and nothing else', () => {
    const input = [
      { id: 'a', question: '北京第二批主题教育涉及多少党员和党组织？', lang: 'zh' },
      { id: 7, question: '广东第二批主题教育部署会议是哪天开的？' },
      { id: 'c', question: 'How many party members are covered in Beijing’s second batch?' },
    ].map((q) => JSON.stringify(q)).join('\n');
    const { status, stdout } = run('search.ts', ['--jsonl', '--k', '3'], env, input + '\n');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 7, 'c']);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['id', 'answerable', 'verdict', 'hits']);
      expect(line.answerable).toBe(line.verdict === 'answer');
      expect(line.hits.length).toBeLessThanOrEqual(3);
      for (const hit of line.hits) {
        expect(Object.keys(hit)).toEqual(['source', 'paragraph', 'title', 'text', 'score', 'answer_span']);
        expect(Number.isInteger(hit.paragraph) && hit.paragraph >= 1).toBe(true);
        if (hit.answer_span !== null) expect(hit.answer_span.end).toBeLessThanOrEqual(hit.text.length);
      }
    }
    expect(lines[0].answerable).toBe(true);
    expect(lines[0].hits[0]).toMatchObject({ source: '002_d8a4dfaa46811922.txt', paragraph: 4 });
    const span = lines[0].hits[0].answer_span;
    expect(lines[0].hits[0].text.slice(span.start, span.end)).toContain('139.5万人');
    expect(lines[1].answerable).toBe(false);
    expect(lines[1].verdict).toBe('none');
    expect(lines[2].hits.map((h: { paragraph: number }) => h.paragraph)).toContain(4);
  });

  it('defaults to five hits', () => {
    const { stdout } = run('search.ts', ['--jsonl'], env, JSON.stringify({ id: 1, question: '主题教育' }) + '\n');
    expect(JSON.parse(stdout).hits).toHaveLength(5);
  });
});

describe('npm run ask', () => {
  beforeAll(withIndex);
  it('quotes passages with citations', () => {
    const { status, stdout } = run('ask.ts', ['呼和浩特为主题教育研究制定了多少项具体措施？'], env);
    expect(status).toBe(0);
    expect(stdout).toContain('研究制定34项具体措施');
    expect(stdout).toMatch(/000_5a40f23ac764c619\.txt · 第3段/);
  });

  it('says plainly when the reports do not answer', () => {
    const { stdout } = run('ask.ts', ['云南 边境 党建'], env);
    expect(stdout).toMatch(/Not found/);
    expect(stdout).toContain('云南');
  });
});

describe('npm run index', () => {
  it('survives SIGKILL mid-build: the previous index still answers and the next build completes', async () => {
    const dataDir = await copyOfReports();
    const indexDir = await tempDir('index');
    await build(dataDir, indexDir);
    const before = await readManifest(indexDir);
    // Enough new text that embedding takes a while, so the kill lands mid-build.
    const paragraphs = Array.from({ length: 400 }, (_, i) => `<div><span>　　第${i + 1}段：各地继续深入推进主题教育，编号${i}的整改事项已经完成。</span></div>`);
    await writeFile(path.join(dataDir, 'big.txt'), `大报告\n${paragraphs.join('<div>&nbsp;</div>')}`);

    const child = spawn(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'index.ts')], { cwd: PROJECT_ROOT, env: { ...process.env, DATA_DIR: dataDir, INDEX_DIR: indexDir } });
    await new Promise<void>((resolve, reject) => {
      // Generous: on a busy 2-core machine loading tsx, the model and the reports can take a minute or more.
      const timer = setTimeout(() => {
        // Not left running (it would write into a temporary folder after the run removed it).
        spawnSync('pkill', ['-KILL', '-P', String(child.pid)]);
        child.kill('SIGKILL');
        reject(new Error('the indexer never started embedding'));
      }, 150_000);
      child.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('Embedding') && (clearTimeout(timer), resolve()));
    });
    await new Promise((r) => setTimeout(r, 300));
    // tsx runs the CLI in a child node process: kill the whole group's leaf too.
    spawnSync('pkill', ['-KILL', '-P', String(child.pid)]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    expect(await readManifest(indexDir)).toEqual(before);
    const index = await load(indexDir);
    expect(index.store.reports).toHaveLength(5);

    const again = run('index.ts', [], { DATA_DIR: dataDir, INDEX_DIR: indexDir });
    expect(again.status).toBe(0);
    expect((await load(indexDir)).store.reports).toHaveLength(6);
  }, 300_000);

  it('warns about a bad file and indexes the rest', async () => {
    const dataDir = await copyOfReports();
    await writeFile(path.join(dataDir, 'broken.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const result = run('index.ts', [], { DATA_DIR: dataDir, INDEX_DIR: await tempDir('index') });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/warning: skipped broken\.txt: binary file/);
    expect(result.stdout).toMatch(/Indexed 5 report/);
  }, 180_000); // a cold build of the five reports: over a minute on a busy 2-core machine
});
