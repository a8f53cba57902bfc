// The keyword half of the index: BM25 over Chinese tokens (jieba words and
// character bigrams, see tokens.ts) in a compact inverted index. MiniSearch was
// measured first: at 10k passages it took 0.8 s to load and 200 MB of heap
// (100k: ~8 s, ~2 GB), so postings live in flat arrays that load by slicing one
// buffer, delta- and varint-coded (the index was ~2.2 KB a passage as plain
// 32-bit ids and weights).
import { tokenize } from '../text/tokens.js';

/** What is indexed for one passage. */
export interface KeywordSource {
  text: string;
  /** Names of the regions the passage is about, so a follow-on paragraph matches its place like the one naming it. */
  regions: string[];
  /** For a follow-on paragraph ("王建军指出…"), the paragraph it follows ("青海召开…省委书记王建军出席"). */
  context: string | null;
  /** The report's headline: words that identify the report count for each of its passages. */
  headline?: string | null;
  /** The report's lead paragraph (who, where, when), for the report's other passages. */
  lead?: string | null;
}

/**
 * Field weights (a simplified BM25F). A passage is matched together with its
 * report's headline and lead paragraph, so a question naming the report's
 * unit and a detail finds the paragraph holding the detail, not just the lead
 * (which names the unit itself); context counts less than the passage's own words.
 */
const FIELD_WEIGHT = { text: 1, regions: 1, context: 0.5, headline: 1, lead: 0.3 } as const;
// BM25+ (Lv & Zhai): the delta keeps long passages from scoring near zero for a term they do contain.
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;

export class KeywordIndex {
  private constructor(
    /** Sorted vocabulary. */
    private readonly terms: string[],
    /** Postings of terms[i] start at byte starts[i] of `postingBytes` and hold counts[i] passages. */
    private readonly starts: Uint32Array,
    private readonly counts: Uint32Array,
    /**
     * Each posting is one varint: the gap to the previous passage id (ids ascend,
     * so gaps are small) times 4 plus the index of its weight in `weightValues`
     * (few distinct field-weighted term frequencies, most common first); index 3
     * or more is written as 3 and followed by a second varint (index - 3). About
     * 1.5 bytes a posting instead of 8.
     */
    private readonly postingBytes: Uint8Array,
    private readonly weightValues: Float32Array,
    private readonly lengths: Float32Array,
    private readonly averageLength: number,
  ) {}

  get documentCount(): number {
    return this.lengths.length;
  }

  static build(passages: KeywordSource[]): KeywordIndex {
    const postings = new Map<string, number[]>();
    const lengths = new Float32Array(passages.length);
    passages.forEach((p, doc) => {
      const tf = new Map<string, number>();
      const add = (text: string, weight: number) => {
        for (const token of tokenize(text)) {
          tf.set(token, (tf.get(token) ?? 0) + weight);
          lengths[doc] = lengths[doc]! + weight;
        }
      };
      add(p.text, FIELD_WEIGHT.text);
      if (p.regions.length) add(p.regions.join(' '), FIELD_WEIGHT.regions);
      if (p.context) add(p.context, FIELD_WEIGHT.context);
      if (p.headline) add(p.headline, FIELD_WEIGHT.headline);
      if (p.lead) add(p.lead, FIELD_WEIGHT.lead);
      for (const [term, weight] of tf) {
        let list = postings.get(term);
        if (!list) postings.set(term, (list = []));
        list.push(doc, weight);
      }
    });
    const terms = [...postings.keys()].sort();
    // Distinct weights, most frequent first, so the common ones take one byte.
    const frequency = new Map<number, number>();
    for (const list of postings.values()) for (let j = 1; j < list.length; j += 2) frequency.set(Math.fround(list[j]!), (frequency.get(Math.fround(list[j]!)) ?? 0) + 1);
    const weightValues = Float32Array.from([...frequency.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w));
    const weightIndex = new Map([...weightValues].map((w, i) => [w, i]));
    const starts = new Uint32Array(terms.length);
    const counts = new Uint32Array(terms.length);
    const out = new VarintWriter();
    terms.forEach((t, i) => {
      const list = postings.get(t)!;
      starts[i] = out.length;
      counts[i] = list.length / 2;
      let previous = 0;
      for (let j = 0; j < list.length; j += 2) {
        const w = weightIndex.get(Math.fround(list[j + 1]!))!;
        out.write((list[j]! - previous) * 4 + Math.min(w, 3));
        if (w >= 3) out.write(w - 3);
        previous = list[j]!;
      }
    });
    const sum = lengths.reduce((a, b) => a + b, 0);
    return new KeywordIndex(terms, starts, counts, out.bytes(), weightValues, lengths, passages.length ? sum / passages.length : 0);
  }

  /**
   * Binary form: [u32 header length][JSON header][terms, \n-separated UTF-8][padding]
   * [starts u32 × terms][counts u32 × terms][weight values f32][lengths f32 × documents][postings].
   */
  serialize(): Buffer {
    const termBytes = Buffer.from(this.terms.join('\n'), 'utf8');
    const header = Buffer.from(
      JSON.stringify({ terms: this.terms.length, termBytes: termBytes.length, postingBytes: this.postingBytes.length, weightValues: this.weightValues.length, documents: this.lengths.length, averageLength: this.averageLength }),
    );
    const head = 4 + header.length + termBytes.length;
    const pad = (4 - (head % 4)) % 4;
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32LE(header.length);
    const view = (a: Uint32Array | Float32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    return Buffer.concat([prefix, header, termBytes, Buffer.alloc(pad), view(this.starts), view(this.counts), view(this.weightValues), view(this.lengths), view(this.postingBytes)]);
  }

  static deserialize(bytes: Buffer): KeywordIndex {
    const headerLength = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as {
      terms: number;
      termBytes: number;
      postingBytes: number;
      weightValues: number;
      documents: number;
      averageLength: number;
    };
    let at = 4 + headerLength;
    const termText = bytes.subarray(at, at + header.termBytes).toString('utf8');
    const terms = header.terms === 0 ? [] : termText.split('\n');
    if (terms.length !== header.terms) throw new Error('keyword index vocabulary is damaged');
    at += header.termBytes;
    at += (4 - (at % 4)) % 4;
    // Typed-array views need 4-byte alignment: view the file's own memory when
    // it is aligned (large reads are), else copy once.
    let body: ArrayBuffer;
    let offset: number;
    if ((bytes.byteOffset + at) % 4 === 0) {
      body = bytes.buffer as ArrayBuffer;
      offset = bytes.byteOffset + at;
    } else {
      body = new ArrayBuffer(bytes.length - at);
      new Uint8Array(body).set(bytes.subarray(at));
      offset = 0;
    }
    const end = offset + (bytes.length - at);
    const take = <T extends { byteLength: number }>(make: (buffer: ArrayBuffer, byteOffset: number, length: number) => T, length: number): T => {
      const array = make(body, offset, length);
      offset += array.byteLength;
      return array;
    };
    const starts = take((b, o, n) => new Uint32Array(b, o, n), header.terms);
    const counts = take((b, o, n) => new Uint32Array(b, o, n), header.terms);
    const weightValues = take((b, o, n) => new Float32Array(b, o, n), header.weightValues);
    const lengths = take((b, o, n) => new Float32Array(b, o, n), header.documents);
    const postingBytes = take((b, o, n) => new Uint8Array(b, o, n), header.postingBytes);
    if (offset !== end) throw new Error('keyword index has the wrong size');
    return new KeywordIndex(terms, starts, counts, postingBytes, weightValues, lengths, header.averageLength);
  }

  private termId(term: string): number {
    let lo = 0;
    let hi = this.terms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.terms[mid]!;
      if (t === term) return mid;
      if (t < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** In how many passages a term occurs. */
  documentFrequency(term: string): number {
    const id = this.termId(term);
    return id < 0 ? 0 : this.counts[id]!;
  }

  /** Passages holding a term, in increasing order. */
  postings(term: string): Uint32Array {
    const id = this.termId(term);
    if (id < 0) return new Uint32Array(0);
    const docs = new Uint32Array(this.counts[id]!);
    const bytes = this.postingBytes;
    let at = this.starts[id]!;
    let doc = 0;
    for (let i = 0; i < docs.length; i++) {
      // Inline varint reads: this loop runs over every posting of a common bigram.
      let b = bytes[at++]!;
      let v = b & 0x7f;
      for (let shift = 7; b & 0x80; shift += 7) v += ((b = bytes[at++]!) & 0x7f) * 2 ** shift;
      doc += Math.floor(v / 4);
      docs[i] = doc;
      if (v % 4 === 3) while (bytes[at++]! & 0x80);
    }
    return docs;
  }

  /**
   * Passages that may contain a Chinese word: those holding all of its
   * character bigrams (a superset; callers confirm on the text).
   */
  passagesWithBigramsOf(word: string): number[] {
    const lists = [];
    for (let i = 0; i + 1 < word.length; i++) lists.push(this.postings(`#${word.slice(i, i + 2)}`));
    if (lists.length === 0) return [];
    lists.sort((a, b) => a.length - b.length);
    let result = Array.from(lists[0]!);
    for (const list of lists.slice(1)) {
      const next: number[] = [];
      let j = 0;
      for (const doc of result) {
        while (j < list.length && list[j]! < doc) j++;
        if (j < list.length && list[j] === doc) next.push(doc);
      }
      result = next;
    }
    return result;
  }

  /** Passages by BM25 score for any of the tokens (OR), best first. */
  search(tokens: string[], k: number): Array<{ id: number; score: number }> {
    const n = this.documentCount;
    // Reused across calls: searching is synchronous, so no two searches share them at once.
    if (this.scratch.length !== n) {
      this.scratch = new Float64Array(n);
      this.matched = new Uint16Array(n);
      this.touched = new Uint32Array(n);
      // BM25's length normalisation of each passage, computed once rather than per posting.
      this.norm = Float64Array.from(this.lengths, (length) => K1 * (1 - B + (B * length) / this.averageLength));
    }
    const { scratch: scores, matched, touched, norm, postingBytes: bytes, weightValues } = this;
    let touchedCount = 0;
    for (const token of new Set(tokens)) {
      const id = this.termId(token);
      if (id < 0) continue;
      const df = this.counts[id]!;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      let at = this.starts[id]!;
      let doc = 0;
      // The hot loop (a common bigram has postings in a good share of all passages): one-byte
      // varints, the usual case, take the short path.
      for (let i = 0; i < df; i++) {
        let b = bytes[at++]!;
        let v = b;
        if (b & 0x80) {
          v = b & 0x7f;
          for (let shift = 7; b & 0x80; shift += 7) v += ((b = bytes[at++]!) & 0x7f) * 2 ** shift;
        }
        let w = v & 3;
        doc += (v - w) / 4;
        if (w === 3) {
          b = bytes[at++]!;
          let extra = b & 0x7f;
          for (let shift = 7; b & 0x80; shift += 7) extra += ((b = bytes[at++]!) & 0x7f) * 2 ** shift;
          w += extra;
        }
        const tf = weightValues[w]!;
        const m = matched[doc]!;
        if (m === 0) touched[touchedCount++] = doc;
        matched[doc] = m + 1;
        scores[doc] = scores[doc]! + idf * (DELTA + (tf * (K1 + 1)) / (tf + norm[doc]!));
      }
    }
    // Keep the k best in a small sorted array; most candidates fail the first comparison.
    const best: Array<{ id: number; score: number }> = [];
    let floor = -Infinity;
    for (let t = 0; t < touchedCount; t++) {
      const doc = touched[t]!;
      // Passages matching more of the question's terms rank higher (coordination, as MiniSearch does).
      const score = scores[doc]! * matched[doc]!;
      scores[doc] = 0;
      matched[doc] = 0;
      if (score < floor || (best.length === k && !better(score, doc, best[k - 1]!))) continue;
      let slot = best.length === k ? k - 1 : best.length;
      while (slot > 0 && better(score, doc, best[slot - 1]!)) slot--;
      best.splice(slot, 0, { id: doc, score });
      if (best.length > k) best.pop();
      if (best.length === k) floor = best[k - 1]!.score;
    }
    return best;
  }

  private scratch = new Float64Array(0);
  private matched = new Uint16Array(0);
  private touched = new Uint32Array(0);
  private norm = new Float64Array(0);
}

/** Unsigned LEB128 varints into a growing byte buffer. */
class VarintWriter {
  private buffer = new Uint8Array(1 << 16);
  length = 0;

  write(value: number): void {
    if (this.length + 6 > this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    // Up to 2^35: gap × 4 overflows 32 bits past a billion passages' worth of ids.
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** Higher score first; equal scores by passage order, so results are stable. */
function better(score: number, id: number, than: { id: number; score: number }): boolean {
  return score > than.score || (score === than.score && id < than.id);
}

export interface KeywordResults {
  hits: Array<{ id: number; score: number }>;
  /** In how many passages each query token occurs (for weighting and presence checks). */
  documentFrequency: Map<string, number>;
  documentCount: number;
}

export function searchKeywords(index: KeywordIndex, tokens: string[], k: number): KeywordResults {
  const documentFrequency = new Map<string, number>();
  for (const t of new Set(tokens)) documentFrequency.set(t, index.documentFrequency(t));
  return { hits: tokens.length ? index.search(tokens, k) : [], documentFrequency, documentCount: index.documentCount };
}
