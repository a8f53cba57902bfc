import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { readFileSync, readdirSync } from 'node:fs';
import { findRegionMentions } from './lookup.js';
const jieba = Jieba.withDict(dict);
const dir = '/work/shared/reports/';
let all = '';
for (const f of readdirSync(dir)) all += readFileSync(dir + f, 'utf8').replace(/<[^>]+>/g, '').replace(/&nbsp;/g, '');
const words = [...new Set(jieba.cut(all, false).filter((w) => /^[\u4e00-\u9fff]{2,}$/.test(w)))];
// add a generic political vocabulary from dict with high freq
const freq = readFileSync('node_modules/@node-rs/jieba/dict.txt', 'utf8').split('\n').map(l => l.split(' ')).filter(a => a.length >= 2 && /^[\u4e00-\u9fff]{2,4}$/.test(a[0]!)).sort((a, b) => +b[1]! - +a[1]!).slice(0, 6000).map(a => a[0]!);
const vocab = [...new Set([...words, ...freq])];
console.log('vocab', vocab.length);
const isPlaceWord = (w: string) => findRegionMentions(w).length > 0;
const clean = vocab.filter(w => !isPlaceWord(w));
const hits = new Map<string, string[]>();
// only check pairs whose junction could create a form: precompute by last char / first char
for (const a of clean) for (const b of clean) {
  const t = a + b;
  const ms = findRegionMentions(t);
  for (const m of ms) {
    if (m.start < a.length && m.end > a.length) {
      const k = m.surface + '→' + m.region.name;
      const l = hits.get(k) ?? [];
      if (l.length < 6) l.push(a + '|' + b);
      hits.set(k, l);
    }
  }
}
for (const [k, v] of [...hits].sort()) console.log(k, v.join(' '));
