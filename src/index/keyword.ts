// The keyword half of the index: BM25 over Chinese tokens (jieba words and
// character bigrams, see tokens.ts) in a compact inverted index. MiniSearch was
// measured first: at 10k passages it took 0.8 s to load and 200 MB of heap
// (100k: ~8 s, ~2 GB), so postings live in flat arrays that load by slicing one
// buffer, delta- and varint-coded (the index was ~2.2 KB a passage as plain
// 32-bit ids and weights).
import { tokenize } from '../text/tokens.js';
import { PostingsInMemory, type PostingSource } from './postings.js';

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
    /** Postings of terms[i] are bytes starts[i] … starts[i + 1] (or the end) of the postings and hold counts[i] passages. */
    private readonly starts: Uint32Array,
    private readonly counts: Uint32Array,
    /**
     * Each posting is one varint: the gap to the previous passage id (ids ascend,
     * so gaps are small) times 4 plus the index of its weight in `weightValues`
     * (few distinct field-weighted term frequencies, most common first); index 3
     * or more is written as 3 and followed by a second varint (index - 3). About
     * 1.5 bytes a posting instead of 8.
     */
    private readonly postingSource: PostingSource,
    private readonly postingLength: number,
    private readonly weightValues: Float32Array,
    private readonly lengths: Float32Array,
    private readonly averageLength: number,
    /** Per term, the largest tf-part of its BM25 score, tf·(K1+1)/(tf+norm), over its postings: its score's upper bound is idf·(DELTA + this). */
    private readonly maxTfPart: Float32Array,
    /**
     * Skip data for terms with more than BLOCK postings: term i's blocks are
     * blockFirst[i] … blockFirst[i+1]-1; block b's postings start at byte
     * blockByte[b] and end with passage blockLast[b]. A search can then jump
     * over a long list to the passages it still needs, without decoding the rest.
     */
    private readonly blockFirst: Uint32Array,
    private readonly blockByte: Uint32Array,
    private readonly blockLast: Uint32Array,
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
    const sum = lengths.reduce((a, b) => a + b, 0);
    const averageLength = passages.length ? sum / passages.length : 0;
    const norm = normalisation(lengths, averageLength);
    const maxTfPart = new Float32Array(terms.length);
    const blockFirst = new Uint32Array(terms.length + 1);
    const blockByte: number[] = [];
    const blockLast: number[] = [];
    terms.forEach((t, i) => {
      const list = postings.get(t)!;
      starts[i] = out.length;
      counts[i] = list.length / 2;
      blockFirst[i] = blockByte.length;
      let previous = 0;
      let most = 0;
      for (let j = 0; j < list.length; j += 2) {
        const doc = list[j]!;
        const tf = Math.fround(list[j + 1]!);
        if (counts[i]! > BLOCK && (j / 2) % BLOCK === 0) blockByte.push(out.length);
        const w = weightIndex.get(tf)!;
        out.write((doc - previous) * 4 + Math.min(w, 3));
        if (w >= 3) out.write(w - 3);
        previous = doc;
        if (counts[i]! > BLOCK && ((j / 2) % BLOCK === BLOCK - 1 || j + 2 === list.length)) blockLast.push(doc);
        most = Math.max(most, tfPart(weightValues[w]!, norm[doc]!));
      }
      // Rounded up to float32, so the bound never falls below the exact part.
      maxTfPart[i] = Math.fround(most) < most ? most * (1 + 2 ** -20) : most;
    });
    blockFirst[terms.length] = blockByte.length;
    return new KeywordIndex(terms, starts, counts, new PostingsInMemory(out.bytes()), out.length, weightValues, lengths, averageLength, maxTfPart, blockFirst, Uint32Array.from(blockByte), Uint32Array.from(blockLast));
  }

  /**
   * Binary form: [u32 header length][JSON header][terms, \n-separated UTF-8][padding]
   * [starts u32 × terms][counts u32 × terms][weight values f32][lengths f32 × documents]
   * [max tf-part f32 × terms][block first u32 × (terms + 1)][block byte u32 × blocks][block last u32 × blocks][postings].
   */
  serialize(): Buffer {
    const termBytes = Buffer.from(this.terms.join('\n'), 'utf8');
    const header = Buffer.from(
      JSON.stringify({ terms: this.terms.length, termBytes: termBytes.length, postingBytes: this.postingLength, weightValues: this.weightValues.length, documents: this.lengths.length, averageLength: this.averageLength, blocks: this.blockByte.length, blockSize: BLOCK }),
    );
    const head = 4 + header.length + termBytes.length;
    const pad = (4 - (head % 4)) % 4;
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32LE(header.length);
    const view = (a: Uint32Array | Float32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    return Buffer.concat([
      prefix, header, termBytes, Buffer.alloc(pad),
      view(this.starts), view(this.counts), view(this.weightValues), view(this.lengths),
      view(this.maxTfPart), view(this.blockFirst), view(this.blockByte), view(this.blockLast),
      Buffer.from(this.postingSource.read(0, this.postingLength)),
    ]);
  }

  /**
   * Where the postings start in a serialized index of `fileBytes` bytes, from
   * its first bytes (the 4-byte length and the JSON header at least): what
   * comes before is what `deserialize` needs when the postings are read from the file.
   */
  static postingsOffset(fileBytes: number, first: Buffer): number {
    const header = KeywordIndex.header(first);
    const offset = fileBytes - header.postingBytes;
    if (offset < 4) throw new Error('keyword index is shorter than its postings');
    return offset;
  }

  private static header(bytes: Buffer): KeywordHeader {
    if (bytes.length < 4) throw new Error('keyword index is cut off');
    const headerLength = bytes.readUInt32LE(0);
    if (4 + headerLength > bytes.length) throw new Error('keyword index header is cut off');
    return { ...(JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Omit<KeywordHeader, 'length'>), length: headerLength };
  }

  /**
   * An index from its serialized bytes; with `postings`, `bytes` ends where
   * the postings start (postingsOffset) and they are read from that source.
   */
  static deserialize(bytes: Buffer, postings?: PostingSource): KeywordIndex {
    const header = KeywordIndex.header(bytes);
    const headerLength = header.length;
    if (header.blockSize !== BLOCK) throw new Error(`keyword index has blocks of ${header.blockSize} postings, expected ${BLOCK}`);
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
    const maxTfPart = take((b, o, n) => new Float32Array(b, o, n), header.terms);
    const blockFirst = take((b, o, n) => new Uint32Array(b, o, n), header.terms + 1);
    const blockByte = take((b, o, n) => new Uint32Array(b, o, n), header.blocks);
    const blockLast = take((b, o, n) => new Uint32Array(b, o, n), header.blocks);
    const source = postings ?? new PostingsInMemory(take((b, o, n) => new Uint8Array(b, o, n), header.postingBytes));
    if (offset !== end) throw new Error('keyword index has the wrong size');
    for (let i = 1; i < starts.length; i++) if (starts[i]! < starts[i - 1]!) throw new Error('keyword index postings are out of order');
    if (starts.length > 0 && starts[starts.length - 1]! > header.postingBytes) throw new Error('keyword index postings are cut off');
    return new KeywordIndex(terms, starts, counts, source, header.postingBytes, weightValues, lengths, header.averageLength, maxTfPart, blockFirst, blockByte, blockLast);
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
    const bytes = this.listBytes(id);
    let at = 0;
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
    const result: number[] = [];
    this.eachWithBigramsOf(word, (id) => {
      result.push(id);
      return false;
    });
    return result;
  }

  /** Whether `test` holds for one of the passages passagesWithBigramsOf gives, stopping at the first. */
  someWithBigramsOf(word: string, test: (id: number) => boolean): boolean {
    return this.eachWithBigramsOf(word, test);
  }

  /** Visits passagesWithBigramsOf's passages in order until `visit` returns true; says whether it did. */
  private eachWithBigramsOf(word: string, visit: (id: number) => boolean): boolean {
    const ids: number[] = [];
    for (let i = 0; i + 1 < word.length; i++) ids.push(this.termId(`#${word.slice(i, i + 2)}`));
    if (ids.length === 0) return false;
    if (ids.some((id) => id < 0)) return false;
    // The rarest list leads; the others are only looked up at its passages, jumping over blocks.
    const cursors = [...new Set(ids)].map((id) => this.cursor(id, 0)).sort((a, b) => a.df - b.df);
    const [lead, ...rest] = cursors;
    for (this.step(lead!); lead!.doc !== END; this.step(lead!)) {
      const doc = lead!.doc;
      let all = true;
      for (const c of rest) {
        if (c.i < 0) this.step(c);
        this.seek(c, doc);
        if (c.doc !== doc) {
          all = false;
          if (c.doc === END) return false;
          break;
        }
      }
      if (all && visit(doc)) return true;
    }
    return false;
  }

  /** The bytes of term `id`'s postings. */
  private listBytes(id: number): Uint8Array {
    return this.postingSource.read(this.starts[id]!, id + 1 < this.starts.length ? this.starts[id + 1]! : this.postingLength);
  }

  /** Closes the postings' file, if they are read from one. */
  close(): void {
    this.postingSource.close();
  }

  /** A cursor before the first posting of term `id`. */
  private cursor(id: number, index: number, idf = 0): Cursor {
    return {
      index,
      idf,
      bound: idf * (DELTA + this.maxTfPart[id]!),
      bytes: this.listBytes(id),
      base: this.starts[id]!,
      at: 0,
      doc: 0,
      tf: 0,
      i: -1,
      df: this.counts[id]!,
      first: this.blockFirst[id]!,
      blocks: this.blockFirst[id + 1]! - this.blockFirst[id]!,
    };
  }

  /**
   * Passages by BM25 score for any of the tokens (OR), best first. A
   * passage's score is the sum of its terms' scores times the number of the
   * question's terms it holds (coordination, as MiniSearch does).
   */
  search(tokens: string[], k: number, strategy: 'auto' | 'all' | 'pruned' = 'auto'): Array<{ id: number; score: number }> {
    const n = this.documentCount;
    if (this.norm.length !== n) this.norm = normalisation(this.lengths, this.averageLength);
    const terms: QueryTerm[] = [];
    let postings = 0;
    for (const token of new Set(tokens)) {
      const id = this.termId(token);
      if (id < 0) continue;
      const df = this.counts[id]!;
      terms.push({ id, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) });
      postings += df;
    }
    if (k <= 0 || terms.length === 0) return [];
    // Both give the same ranking (the strategy is a parameter for tests).
    const all = strategy === 'all' || (strategy === 'auto' && postings <= EXHAUSTIVE_POSTINGS);
    this.stats = { postings, read: 0 };
    return all ? this.scoreAll(terms, k) : this.scorePruned(terms, k);
  }

  /** Every posting of every term, term by term: quickest when the lists are short. */
  private scoreAll(terms: QueryTerm[], k: number): Array<{ id: number; score: number }> {
    const n = this.documentCount;
    // Reused across calls: searching is synchronous, so no two searches share them at once.
    if (this.scratch.length !== n) {
      this.scratch = new Float64Array(n);
      this.matched = new Uint16Array(n);
      this.touched = new Uint32Array(n);
    }
    const { scratch: scores, matched, touched, norm, weightValues } = this;
    let touchedCount = 0;
    for (const { id, idf } of terms) {
      const df = this.counts[id]!;
      this.stats.read += df;
      const bytes = this.listBytes(id);
      let at = 0;
      let doc = 0;
      for (let i = 0; i < df; i++) {
        // One-byte varints, the usual case, take the short path.
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
        const m = matched[doc]!;
        if (m === 0) touched[touchedCount++] = doc;
        matched[doc] = m + 1;
        scores[doc] = scores[doc]! + termScore(idf, weightValues[w]!, norm[doc]!);
      }
    }
    const best = new TopK(k);
    for (let t = 0; t < touchedCount; t++) {
      const doc = touched[t]!;
      best.offer(doc, scores[doc]! * matched[doc]!);
      scores[doc] = 0;
      matched[doc] = 0;
    }
    return best.items;
  }

  /**
   * The same ranking as scoreAll, without reading most postings of common
   * terms (MaxScore, Turtle & Flood 1995, with coordination in the bound).
   * Passages are visited in id order. Terms are ordered by the most they can
   * add; once the k-th best score is known, the weakest terms whose bounds
   * together (times their number) cannot reach it are "non-essential": a
   * passage holding only those cannot enter the top k, so candidates come from
   * the other lists alone, and non-essential lists are only looked up — jumping
   * over whole blocks — for candidates that can still make it.
   */
  private scorePruned(terms: QueryTerm[], k: number): Array<{ id: number; score: number }> {
    const cursors = terms.map(({ id, idf }, index) => this.cursor(id, index, idf)).sort((a, b) => a.bound - b.bound);
    const t = cursors.length;
    // below[j]: the most the j weakest terms can add to a passage's sum.
    const below = new Float64Array(t + 1);
    for (let j = 0; j < t; j++) below[j + 1] = below[j]! + cursors[j]!.bound;
    for (const c of cursors) this.step(c);
    const norm = this.norm;
    const parts = new Float64Array(t);
    const has = new Uint8Array(t);
    const best = new TopK(k);
    let threshold = 0;
    let essential = 0;
    let doc = END;
    let sum = 0;
    let count = 0;
    // A term found at the current passage: its score part, kept by its position in the question.
    const take = (c: Cursor) => {
      const part = termScore(c.idf, c.tf, norm[doc]!);
      parts[c.index] = part;
      has[c.index] = 1;
      sum += part;
      count++;
    };
    for (;;) {
      doc = END;
      for (let j = essential; j < t; j++) if (cursors[j]!.doc < doc) doc = cursors[j]!.doc;
      if (doc === END) break;
      sum = 0;
      count = 0;
      for (let j = essential; j < t; j++) {
        const c = cursors[j]!;
        if (c.doc !== doc) continue;
        take(c);
        this.step(c);
      }
      let possible = true;
      for (let j = essential - 1; j >= 0; j--) {
        if (!reaches((sum + below[j + 1]!) * (count + j + 1), threshold)) {
          possible = false;
          break;
        }
        const c = cursors[j]!;
        this.seek(c, doc);
        if (c.doc === doc) take(c);
      }
      if (possible) {
        // Summed in the question's term order, as scoreAll does, so both give the same floating-point score.
        let exact = 0;
        for (let j = 0; j < t; j++) if (has[j]) exact += parts[j]!;
        if (best.offer(doc, exact * count) && best.full) {
          threshold = best.floor;
          while (essential < t && !reaches(below[essential + 1]! * (essential + 1), threshold)) essential++;
        }
      }
      has.fill(0);
    }
    return best.items;
  }

  /** Moves a cursor to its next posting (past the end: doc END). */
  private step(c: Cursor): void {
    this.stats.read++;
    if (++c.i >= c.df) {
      c.doc = END;
      return;
    }
    const bytes = c.bytes;
    let b = bytes[c.at++]!;
    let v = b;
    if (b & 0x80) {
      v = b & 0x7f;
      for (let shift = 7; b & 0x80; shift += 7) v += ((b = bytes[c.at++]!) & 0x7f) * 2 ** shift;
    }
    let w = v & 3;
    c.doc += (v - w) / 4;
    if (w === 3) {
      b = bytes[c.at++]!;
      let extra = b & 0x7f;
      for (let shift = 7; b & 0x80; shift += 7) extra += ((b = bytes[c.at++]!) & 0x7f) * 2 ** shift;
      w += extra;
    }
    c.tf = this.weightValues[w]!;
  }

  /** Moves a cursor to its first posting at or after passage `doc`, jumping over blocks that end before it. */
  private seek(c: Cursor, doc: number): void {
    if (c.doc >= doc) return;
    if (c.blocks > 0) {
      let block = Math.floor(c.i / BLOCK);
      if (this.blockLast[c.first + block]! < doc) {
        do block++;
        while (block < c.blocks && this.blockLast[c.first + block]! < doc);
        if (block === c.blocks) {
          c.doc = END;
          c.i = c.df;
          return;
        }
        c.at = this.blockByte[c.first + block]! - c.base;
        c.doc = this.blockLast[c.first + block - 1]!;
        c.i = block * BLOCK - 1;
        this.step(c);
      }
    }
    while (c.doc < doc) this.step(c);
  }

  /** How many postings the last search's terms hold, and how many it read (for tests and benchmarks). */
  lastSearchStats(): { postings: number; read: number } {
    return { ...this.stats };
  }

  private stats = { postings: 0, read: 0 };
  private scratch = new Float64Array(0);
  private matched = new Uint16Array(0);
  private touched = new Uint32Array(0);
  /** BM25's length normalisation of each passage, computed once rather than per posting. */
  private norm: Float64Array = new Float64Array(0);
}

/** Postings per skip block (see blockFirst). */
const BLOCK = 64;
/** Below this many postings in all, scoring every one is quicker than pruning. */
const EXHAUSTIVE_POSTINGS = 20_000;
const END = Number.POSITIVE_INFINITY;

interface KeywordHeader {
  /** Bytes of the JSON header. */
  length: number;
  terms: number;
  termBytes: number;
  postingBytes: number;
  weightValues: number;
  documents: number;
  averageLength: number;
  blocks: number;
  blockSize: number;
}

interface QueryTerm {
  id: number;
  idf: number;
}

/** A place in one term's postings during a pruned search. */
interface Cursor {
  /** The term's position in the question. */
  index: number;
  idf: number;
  /** The most this term adds to a passage's sum. */
  bound: number;
  /** The term's postings, and where they start among all postings (block offsets count from there). */
  bytes: Uint8Array;
  base: number;
  /** Byte of the next posting in `bytes`. */
  at: number;
  /** Current passage (END past the last). */
  doc: number;
  tf: number;
  /** Index of the current posting. */
  i: number;
  df: number;
  first: number;
  blocks: number;
}

function normalisation(lengths: Float32Array, averageLength: number): Float64Array {
  return Float64Array.from(lengths, (length) => K1 * (1 - B + (B * length) / averageLength));
}

/** The tf part of BM25: below K1 + 1, whatever the term frequency. */
function tfPart(tf: number, norm: number): number {
  return (tf * (K1 + 1)) / (tf + norm);
}

function termScore(idf: number, tf: number, norm: number): number {
  return idf * (DELTA + tfPart(tf, norm));
}

/** Whether an upper bound may still reach the threshold; a hair of slack covers bounds summed in another order. */
function reaches(bound: number, threshold: number): boolean {
  return bound * (1 + 1e-9) >= threshold;
}

/** The k best passages, kept sorted; ties go to the lower passage id, so results are stable. */
class TopK {
  readonly items: Array<{ id: number; score: number }> = [];

  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.items.length === this.k;
  }

  /** The k-th best score (meaningful once full). */
  get floor(): number {
    return this.items[this.items.length - 1]!.score;
  }

  /** Adds a passage if it ranks among the k best; says whether it did. */
  offer(id: number, score: number): boolean {
    const items = this.items;
    const k = this.k;
    if (items.length === k && !better(score, id, items[k - 1]!)) return false;
    let slot = items.length === k ? k - 1 : items.length;
    while (slot > 0 && better(score, id, items[slot - 1]!)) slot--;
    items.splice(slot, 0, { id, score });
    if (items.length > k) items.pop();
    return true;
  }
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
