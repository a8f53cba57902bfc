// npm run --silent region -- [--json] [--sentences N] <name> [<name> …]
// What the reports say about each named region: its paragraphs and a few key sentences, quoted verbatim
// with citations. --json prints one contract line per name and nothing else on stdout. Needs only the
// index (no embedding model), so it starts fast.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { MODEL_DIMS, modelFingerprint } from '../embedding/model-files.js';
import { loadIndex } from '../index/load.js';
import type { Store } from '../index/store.js';
import type { RegionKind } from '../places/lookup.js';
import { summariseRegion, type RegionSummary } from '../summaries/summary.js';
import { printable } from '../text/printable.js';
import { prepareIndex } from '../runtime/prepare.js';
import { noteOnStderr, runCli, UsageError } from './run.js';

const USAGE = 'Usage: npm run --silent region -- [--json] [--sentences 3-6] <region> [<region> …]   e.g. 河北 石家庄 "Inner Mongolia"';

/** The `region --json` contract: these keys, in this order; `suggestions` only for unknown names. */
interface RegionJson {
  query: string;
  region: string | null;
  province: string | null;
  paragraphs: Array<{ source: string; paragraph: number; text: string }>;
  summary: Array<{ text: string; source: string; paragraph: number }>;
  suggestions?: string[];
}

function regionJson(s: RegionSummary): RegionJson {
  const json: RegionJson = {
    query: s.query,
    region: s.region?.name ?? null,
    province: s.province,
    paragraphs: s.paragraphs.map((p) => ({ source: p.source, paragraph: p.paragraph, text: p.text })),
    summary: s.summary.map((k) => ({ text: k.text, source: k.source, paragraph: k.paragraph })),
  };
  if (!s.region) json.suggestions = s.suggestions;
  return json;
}

const KIND_LABELS: Record<RegionKind, string> = {
  province: '省',
  municipality: '直辖市',
  'autonomous-region': '自治区',
  sar: '特别行政区',
  city: '地级市',
  prefecture: '地区/州/盟',
  county: '县/旗',
  'county-city': '县级市',
  district: '区',
  area: '新区/片区',
};

const citation = (c: { title: string; source: string; paragraph: number }) => `《${printable(c.title)}》 · ${printable(c.source)} · 第${c.paragraph}段`;

/** The summary for people: region, province, reports, places named, key sentences with citations. */
function formatRegionSummary(s: RegionSummary): string {
  if (!s.region) {
    const hint = s.suggestions.length > 0 ? ` 您是不是要找：${s.suggestions.join('、')}？` : '';
    return `未知地区 “${s.query}” (not a known region).${hint}`;
  }
  const r = s.region;
  const lines = [`${r.name}（${KIND_LABELS[r.kind]}）${r.level === 1 ? '' : ` · 所属省级地区：${s.province}`}`];
  if (s.paragraphs.length === 0) {
    lines.push('报告中没有关于该地区的段落 (the reports say nothing about it).');
    return lines.join('\n');
  }
  lines.push('', `报告 (${s.reports.length} 篇, ${s.paragraphs.length} 段):`);
  for (const rep of s.reports) lines.push(`  《${printable(rep.title)}》 · ${printable(rep.source)} — ${rep.paragraphs} 段`);
  if (s.places.length > 0) {
    lines.push('', `提到的地方: ${s.places.map((p) => `${p.name} (${p.paragraphs} 段)`).join('、')}`);
  }
  lines.push('', '要点:');
  s.summary.forEach((k, i) => {
    lines.push(`  ${i + 1}. “${k.text}”`, `     — ${citation(k)}`);
  });
  return lines.join('\n');
}

async function loadStore(): Promise<Store> {
  const config = loadConfig();
  await prepareIndex(config, noteOnStderr);
  const modelHash = await modelFingerprint(config.modelId, config.modelDir);
  const index = await loadIndex({ indexDir: config.indexDir, modelHash, dims: MODEL_DIMS, hnswEf: config.hnswEf });
  return index.store;
}

function parseSentences(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 3 || n > 6) throw new UsageError(`--sentences must be a whole number from 3 to 6, got "${value}"`);
  return n;
}

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, sentences: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const names = positionals;
  const json = values.json;
  const maxSentences = parseSentences(values.sentences);
  if (names.length === 0) throw new UsageError('give at least one region name');
  const store = await loadStore();
  const summaries = names.map((name) => summariseRegion(store, name, { maxSentences }));
  if (json) {
    for (const s of summaries) process.stdout.write(JSON.stringify(regionJson(s)) + '\n');
  } else {
    console.log(summaries.map(formatRegionSummary).join('\n\n' + '─'.repeat(40) + '\n\n'));
  }
}, { usage: USAGE });
