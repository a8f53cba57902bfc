import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, REPORTS_DIR, tempDir } from '../../test/support/index-fixture.js';
import { PROJECT_ROOT } from '../config.js';
import { readCorpus } from '../corpus/corpus.js';
import { splitSentences } from '../text/text.js';
import type { Store } from '../index/store.js';
import { similarity } from '../retrieval/duplicates.js';
import { regionByName } from '../places/lookup.js';
import { regionChoices, regionParagraphCount, regionsCovered, summariseRegion, type RegionSummary } from './summary.js';

// The corpus is a Store (reports, paragraphs, passages): no model or index needed for the pure functions.
let store: Store;
beforeAll(async () => {
  store = await readCorpus(REPORTS_DIR);
});

const ids = (s: RegionSummary): string[] => s.paragraphs.map((p) => `${p.source.slice(0, 3)}#${p.paragraph}`);
const paragraphWith = (needle: string): string => {
  const p = store.paragraphs.find((x) => x.text.includes(needle));
  if (!p) throw new Error(`no paragraph contains ${needle}`);
  return `${p.file.slice(0, 3)}#${p.number}`;
};

describe('summariseRegion: which region and which paragraphs', () => {
  it('resolves 河北, 河北省, Hebei, "Hebei Province" and 冀 to the same region', () => {
    const base = summariseRegion(store, '河北');
    expect(base.region?.name).toBe('河北');
    expect(base.province).toBe('河北');
    for (const q of ['河北省', 'Hebei', 'hebei province', '冀']) {
      const s = summariseRegion(store, q);
      expect(s.query).toBe(q);
      expect(s.region).toBe(base.region);
      expect(ids(s)).toEqual(ids(base));
    }
    expect(summariseRegion(store, 'Inner Mongolia').region?.name).toBe('内蒙古');
    expect(summariseRegion(store, '內蒙古').region?.name).toBe('内蒙古');
  });

  it("includes a province's city and new-area paragraphs (石家庄, 雄安新区)", () => {
    const s = summariseRegion(store, '河北');
    expect(ids(s)).toContain('001#2');
    expect(s.paragraphs.find((p) => p.source.startsWith('001') && p.paragraph === 2)?.text).toContain('石家庄');
    const xiongan = store.paragraphs.filter((p) => p.text.includes('雄安新区')).map((p) => `${p.file.slice(0, 3)}#${p.number}`);
    expect(xiongan.length).toBeGreaterThan(0);
    for (const id of xiongan) expect(ids(s)).toContain(id);
    const places = s.places.map((p) => p.name);
    expect(places).toEqual(expect.arrayContaining(['石家庄', '雄安新区']));
    expect(s.places.find((p) => p.name === '石家庄')?.kind).toBe('city');
    // Most mentioned first.
    const counts = s.places.map((p) => p.paragraphs);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('gives the province of cities and counties', () => {
    expect(summariseRegion(store, '石家庄').province).toBe('河北');
    expect(summariseRegion(store, '石家庄市').region?.name).toBe('石家庄');
    expect(summariseRegion(store, '呼和浩特').province).toBe('内蒙古');
    expect(summariseRegion(store, '宾阳县').province).toBe('广西');
    expect(ids(summariseRegion(store, '石家庄'))).toContain('001#2');
  });

  it('keeps 吉林 (province), 吉林市 (city) and 巴丹吉林沙漠 (内蒙古) apart', () => {
    const province = summariseRegion(store, '吉林');
    const city = summariseRegion(store, '吉林市');
    expect(province.region?.name).toBe('吉林');
    expect(city.region?.name).toBe('吉林市');
    expect(city.province).toBe('吉林');
    const cityParagraphs = store.paragraphs
      .filter((p) => p.file.startsWith('001') && p.text.includes('吉林市'))
      .map((p) => `${p.file.slice(0, 3)}#${p.number}`);
    expect(cityParagraphs.length).toBeGreaterThan(0);
    expect(ids(city)).toEqual(cityParagraphs);
    for (const id of cityParagraphs) expect(ids(province)).toContain(id);
    expect(ids(province).length).toBeGreaterThan(ids(city).length);
    expect(province.places.map((p) => p.name)).toContain('吉林市');

    const desert = paragraphWith('巴丹吉林沙漠');
    expect(desert.startsWith('002')).toBe(true);
    expect(ids(province)).not.toContain(desert);
    expect(ids(summariseRegion(store, '内蒙古'))).toContain(desert);
    expect(province.places.map((p) => p.name)).not.toContain('巴丹吉林沙漠');
  });

  it('does not take 雄安新区 for 安新县', () => {
    const xiongan = summariseRegion(store, '雄安新区');
    const anxin = summariseRegion(store, '安新县');
    expect(anxin.region?.name).toBe('安新县');
    expect(xiongan.province).toBe('河北');
    // Only the paragraph naming 安新县 itself; every 雄安新区 paragraph is about 雄安新区.
    for (const id of ids(anxin)) expect(ids(xiongan)).toContain(id);
    expect(ids(anxin).length).toBeLessThan(ids(xiongan).length);
    for (const p of anxin.paragraphs) expect(p.text).toContain('安新县');
  });

  it('gives a known region the reports do not cover empty lists', () => {
    const s = summariseRegion(store, '广东');
    expect(s.region?.name).toBe('广东');
    expect(s.province).toBe('广东');
    expect([s.reports, s.paragraphs, s.places, s.summary, s.suggestions]).toEqual([[], [], [], [], []]);
  });

  it('gives an unknown name no region, empty lists and a suggestions array', () => {
    for (const q of ['Narnia', '火星省']) {
      const s = summariseRegion(store, q);
      expect(s.region).toBeNull();
      expect(s.province).toBeNull();
      expect([s.reports, s.paragraphs, s.places, s.summary]).toEqual([[], [], [], []]);
      expect(Array.isArray(s.suggestions)).toBe(true);
    }
    expect(summariseRegion(store, 'Hebie').suggestions).toContain('河北');
  });

  it('lists the reports with their paragraph counts', () => {
    const s = summariseRegion(store, '河北');
    expect(s.reports.reduce((n, r) => n + r.paragraphs, 0)).toBe(s.paragraphs.length);
    for (const r of s.reports) expect(store.reports.find((x) => x.file === r.source)?.title).toBe(r.title);
  });
});

describe('summariseRegion: key sentences', () => {
  const covered = () => [...regionsCovered(store, { includeCities: true }).map((c) => c.region.name), '雄安新区', '吉林市', '江津区'];

  it('quotes every key sentence verbatim from the cited paragraph', () => {
    for (const name of covered()) {
      for (const k of summariseRegion(store, name).summary) {
        const p = store.paragraphs.find((x) => x.file === k.source && x.number === k.paragraph);
        expect(p, `${name}: ${k.source} ${k.paragraph}`).toBeDefined();
        expect(p!.text).toContain(k.text);
        expect(splitSentences(p!.text).map((s) => s.text.trim())).toContain(k.text);
        expect(k.title).toBe(store.reports.find((r) => r.file === k.source)?.title);
      }
    }
  });

  it('gives 3 to 6 sentences for 河北 and 内蒙古, honouring maxSentences within those bounds', () => {
    for (const name of ['河北', '内蒙古']) {
      const n = summariseRegion(store, name).summary.length;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
      expect(summariseRegion(store, name, { maxSentences: 3 }).summary).toHaveLength(3);
      expect(summariseRegion(store, name, { maxSentences: 1 }).summary).toHaveLength(3);
      expect(summariseRegion(store, name, { maxSentences: 10 }).summary.length).toBeLessThanOrEqual(6);
    }
  });

  it('picks no near-duplicates, never more than 6, in report and paragraph order', () => {
    const order = new Map(store.reports.map((r, i) => [r.file, i]));
    for (const name of covered()) {
      const summary = summariseRegion(store, name, { maxSentences: 6 }).summary;
      expect(summary.length).toBeLessThanOrEqual(6);
      for (let i = 0; i < summary.length; i++) {
        for (let j = i + 1; j < summary.length; j++) expect(similarity(summary[i]!.text, summary[j]!.text)).toBeLessThan(0.5);
      }
      const keys = summary.map((k) => order.get(k.source)! * 1000 + k.paragraph);
      expect(keys).toEqual([...keys].sort((a, b) => a - b));
    }
  });

  it('prefers sentences about the region over lists of provinces and attributions', () => {
    const s = summariseRegion(store, '河北');
    expect(s.summary.some((k) => k.text.startsWith('河北、内蒙古、上海'))).toBe(false);
    const city = summariseRegion(store, '吉林市');
    expect(city.summary.some((k) => /^[^，]{0,30}说。$/.test(k.text))).toBe(false);
  });

  it('summarises a province in under 50 ms once the store is analysed', () => {
    summariseRegion(store, '河北');
    const times = [0, 1, 2, 3, 4].map(() => {
      const t = performance.now();
      summariseRegion(store, '河北');
      return performance.now() - t;
    });
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(50);
  });
});

describe('regionsCovered, regionParagraphCount, regionChoices', () => {
  it('lists province-level regions, most paragraphs first, with counts that agree', () => {
    const covered = regionsCovered(store);
    expect(covered[0]?.region.name).toBe('河北');
    expect(covered.every((c) => c.region.level === 1)).toBe(true);
    expect(covered.map((c) => c.region.name)).not.toContain('广东');
    const counts = covered.map((c) => c.paragraphs);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (const c of covered) {
      expect(c.paragraphs).toBe(summariseRegion(store, c.region.name).paragraphs.length);
      expect(c.reports).toBe(summariseRegion(store, c.region.name).reports.length);
    }
    const withCities = regionsCovered(store, { includeCities: true }).map((c) => c.region.name);
    expect(withCities).toEqual(expect.arrayContaining(['石家庄', '吉林市', '呼和浩特']));
  });

  it('counts paragraphs for autocomplete labels', () => {
    expect(regionParagraphCount(store, '石家庄')).toBe(summariseRegion(store, '石家庄').paragraphs.length);
    expect(regionParagraphCount(store, regionByName('广东')!)).toBe(0);
    expect(regionParagraphCount(store, 'Narnia')).toBe(0);
    const choices = regionChoices(store, '吉林', 5);
    expect(choices[0]?.region.name).toBe('吉林');
    expect(choices[0]?.label).toBe(`吉林 (${regionParagraphCount(store, '吉林')} 段)`);
  });
});

describe('npm run --silent region -- --json', () => {
  const exec = promisify(execFile);
  let indexDir: string;
  const temps: string[] = [];
  beforeAll(async () => {
    indexDir = await tempDir('region-index');
    temps.push(indexDir);
    await build(REPORTS_DIR, indexDir);
  });
  afterAll(async () => {
    await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const run = (args: string[], env: Record<string, string>) =>
    exec('npx', ['tsx', 'src/cli/region.ts', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

  it('prints one contract line per name and nothing else', async () => {
    const { stdout } = await run(['--json', '河北', '火星省', '广东'], { INDEX_DIR: indexDir });
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    const [hebei, mars, guangdong] = lines as [Record<string, any>, Record<string, any>, Record<string, any>];
    expect(Object.keys(hebei)).toEqual(['query', 'region', 'province', 'paragraphs', 'summary']);
    expect(Object.keys(guangdong)).toEqual(['query', 'region', 'province', 'paragraphs', 'summary']);
    expect(Object.keys(mars)).toEqual(['query', 'region', 'province', 'paragraphs', 'summary', 'suggestions']);

    expect(hebei).toMatchObject({ query: '河北', region: '河北', province: '河北' });
    expect(hebei.paragraphs.length).toBeGreaterThan(0);
    for (const p of hebei.paragraphs) expect(Object.keys(p)).toEqual(['source', 'paragraph', 'text']);
    expect(hebei.summary.length).toBeGreaterThanOrEqual(3);
    for (const k of hebei.summary) {
      expect(Object.keys(k)).toEqual(['text', 'source', 'paragraph']);
      const p = hebei.paragraphs.find((x: { source: string; paragraph: number }) => x.source === k.source && x.paragraph === k.paragraph);
      expect(p.text).toContain(k.text);
    }
    expect(mars).toMatchObject({ query: '火星省', region: null, province: null, paragraphs: [], summary: [] });
    expect(Array.isArray(mars.suggestions)).toBe(true);
    expect(guangdong).toEqual({ query: '广东', region: '广东', province: '广东', paragraphs: [], summary: [] });
  });

  it('with no index and no reports: tries to build the index first, then fails with one line saying what to add', async () => {
    const empty = await tempDir('no-index');
    const noReports = await tempDir('no-reports');
    temps.push(empty, noReports);
    const error = await run(['--json', '河北'], { INDEX_DIR: empty, DATA_DIR: noReports }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1, stdout: '' });
    const errors = (error as { stderr: string }).stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: No paragraphs to index in .*Add report files/);
  });
});
