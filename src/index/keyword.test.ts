import { describe, expect, it } from 'vitest';
import { random } from '../bench/synthetic.js';
import { KeywordIndex } from './keyword.js';

// A corpus whose words follow a Zipf-like law: a few occur in most passages
// (as 主题 and 教育 do in these reports), most in a handful.
const characters = '党员干部主题教育学习实践调研整改落实群众服务乡村振兴组织建设领导班子会议部署推进工作问题清单检视';
function corpus(passages: number, seed: number) {
  const next = random(seed);
  const character = () => characters[Math.floor(characters.length ** next()) - 1]!;
  const word = () => character() + character();
  return Array.from({ length: passages }, () => ({
    text: Array.from({ length: 3 + Math.floor(next() * 40) }, word).join('，'),
    regions: next() < 0.1 ? ['河北'] : [],
    context: next() < 0.2 ? word() + word() : null,
    headline: word() + word(),
    lead: next() < 0.5 ? word() : null,
  }));
}

describe('keyword search with pruning (MaxScore over skip blocks)', () => {
  const sources = corpus(8000, 7);
  const index = KeywordIndex.deserialize(KeywordIndex.build(sources).serialize());
  const next = random(99);
  const vocabulary = [...new Set(sources.flatMap((s) => s.text.split('，')))];

  it('ranks exactly as scoring every posting: same passages, same order, same scores', () => {
    let compared = 0;
    for (let q = 0; q < 150; q++) {
      // Words and their bigram tokens, common and rare, with repeats and a word no passage has.
      const words = Array.from({ length: 1 + Math.floor(next() * 12) }, () => vocabulary[Math.floor(next() * vocabulary.length)]!);
      const tokens = [...words, ...words.map((w) => `#${w}`), '河北', '#不在'];
      for (const k of [1, 5, 40]) {
        const all = index.search(tokens, k, 'all');
        expect(index.search(tokens, k, 'pruned')).toEqual(all);
        expect(all.length).toBe(k);
        compared++;
      }
    }
    expect(compared).toBe(450);
  });

  it('reads under a third of the postings when rarer words decide the top passages', () => {
    // A question made of one passage's rarer words, plus the three most common words of all, over a larger corpus.
    const sources = corpus(30_000, 11);
    const index = KeywordIndex.build(sources);
    const vocabulary = [...new Set(sources.flatMap((s) => s.text.split('，')))];
    const byFrequency = vocabulary.map((w) => [w, index.documentFrequency(w)] as const).sort((a, b) => b[1] - a[1]);
    const common = byFrequency.slice(0, 3).map(([w]) => w);
    const rare = new Set(byFrequency.filter(([, df]) => df < 100).map(([w]) => w));
    const source = sources.find((p) => p.text.split('，').filter((w) => rare.has(w)).length >= 3)!;
    const tokens = [...common, ...source.text.split('，').filter((w) => rare.has(w))];
    const pruned = index.search(tokens, 5, 'pruned');
    const { postings, read } = index.lastSearchStats();
    expect(postings).toBeGreaterThan(5_000);
    expect(read).toBeLessThan(postings / 3);
    expect(pruned[0]!.id).toBe(sources.indexOf(source));
    expect(pruned).toEqual(index.search(tokens, 5, 'all'));
    expect(index.lastSearchStats()).toEqual({ postings, read: postings });
  });

  it('finds the same passages after jumping over blocks to the end of long lists', () => {
    // One common word and one that occurs in a single late passage: the common list is read only around it.
    const late = KeywordIndex.build([...sources, { text: '独一无二', regions: [], context: null }]);
    const common = vocabulary.map((w) => [w, late.documentFrequency(w)] as const).sort((a, b) => b[1] - a[1])[0]![0];
    expect(late.documentFrequency(common)).toBeGreaterThan(1000);
    const hits = late.search(['独一无二', common], 3, 'pruned');
    expect(hits[0]!.id).toBe(sources.length);
    expect(hits).toEqual(late.search(['独一无二', common], 3, 'all'));
  });

  it('lists the passages holding every bigram of a word, as intersecting the full lists does', () => {
    for (const word of [...vocabulary.slice(0, 20), vocabulary[0]! + vocabulary[1]!, '不在词表', '党']) {
      const lists = [...word].slice(0, -1).map((_, i) => new Set(index.postings(`#${word.slice(i, i + 2)}`)));
      const expected = word.length < 2 ? [] : [...lists[0]!].filter((id) => lists.every((l) => l.has(id)));
      expect(index.passagesWithBigramsOf(word)).toEqual(expected);
      // Asking whether one of them passes a test visits them in order and stops at the first that does.
      const visited: number[] = [];
      const target = expected[Math.floor(expected.length / 2)];
      expect(index.someWithBigramsOf(word, (id) => (visited.push(id), id === target))).toBe(target !== undefined);
      expect(visited).toEqual(target === undefined ? [] : expected.slice(0, expected.indexOf(target) + 1));
    }
  });
});
