// One language per reply: Chinese (simplified, or traditional for zh-TW/zh-HK) or English.
// Labels are written once in simplified Chinese and English; traditional ones are converted
// with OpenCC. Quotes and report titles are never translated or converted.
import * as OpenCC from 'opencc-js';
import { toSimplified } from '../../text/text.js';

export type Lang = 'zh-CN' | 'zh-TW' | 'en';

/** Discord locales (https://discord.com/developers/docs/reference#locales) → reply language. */
export function langFromLocale(locale: string | null | undefined): Lang {
  if (!locale) return 'en';
  if (/^zh-(TW|HK|MO|Hant)/i.test(locale)) return 'zh-TW';
  if (/^zh\b/i.test(locale)) return 'zh-CN';
  return 'en';
}

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

/**
 * The language of a typed question (mentions and DMs carry no usable locale): Chinese when Han
 * characters are at least as many as Latin words, traditional when converting changes it.
 */
export function langOfText(text: string): Lang {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  if (han === 0 || han < latin) return 'en';
  const hanOnly = (text.match(HAN) ?? []).join('');
  return toSimplified(hanOnly) !== hanOnly ? 'zh-TW' : 'zh-CN';
}

export const isChinese = (lang: Lang): boolean => lang !== 'en';

// Made when a reply is first needed in traditional Chinese: simplified→traditional needs OpenCC's
// phrase table, about 65 MB that a bot whose users all write simplified never uses.
let traditionalConverter: ((text: string) => string) | null = null;
const toTraditional = (text: string) => (traditionalConverter ??= OpenCC.Converter({ from: 'cn', to: 'tw' }))(text);

/** A label in each language; functions take the values they format. */
type Labels = typeof zh;

const zh = {
  sources: '来源',
  paragraphs: (numbers: number[]) => `第${numbers.join('、')}段`,
  paragraph: (n: number) => `第${n}段`,
  paragraphOf: (n: number, total: number) => `第${n}段 / 共${total}段`,
  choosePassage: '选择段落，查看全文',
  moreResults: '更多结果',
  alsoIn: (n: number) => `另见 ${n} 份报告`,
  moreResultsTitle: (from: number, to: number) => `更多结果（第${from}–${to}条）`,
  noMore: '没有更多结果了。',
  related: (n: number) => `相关段落 ${n} 处`,
  relatedIntro: '报告谈到了这个问题涉及的内容，但没有给出所问的细节。最接近的段落：',
  truncated: '问题较长，只搜索了前一部分。',
  notFoundTitle: '未找到答案',
  notFoundDefault: '报告中似乎没有回答这个问题的内容。',
  notFoundTry: '可以换个说法再问，或用 `/region` 查看报告里关于某个地区的内容（`/regions` 列出报告涉及的地区）。',
  reason: '原因',
  question: '问',
  emptyQuestion: '请在提及我时附上问题，例如：@我 北京第二批主题教育涉及多少党员？也可以用 `/ask`、`/region`、`/help`。',
  stopping: '机器人正在重启，请稍后再问。',
  busy: '机器人正忙，请稍后再试。',
  tooFast: (seconds: number, limit: number, window: number) => `你提问太快了，请 ${seconds} 秒后再试（每 ${window} 秒最多 ${limit} 个问题）。`,
  error: '出错了，请稍后再试。',
  expired: '这个按钮已过期，请重新提问（/ask）。',
  invalid: '这个按钮已失效。',
  unknownCommand: '未知命令。',
  // /region and /regions
  regionOverview: (reports: number, paragraphs: number) => `${reports} 份报告 · ${paragraphs} 段`,
  placesNamed: '提到',
  morePlaces: (n: number) => `等 ${n} 处`,
  regionAbsent: (name: string) => `报告中没有提到 **${name}**。`,
  regionsHint: '用 `/regions` 查看报告涉及的地区。',
  unknownRegion: (q: string) => `找不到地区「${q}」。`,
  didYouMean: '您是不是要找：',
  regionNameHint: '可以用中文、拼音或英文输入，例如 `/region name:河北`、`Hebei`、`石家庄`。',
  regionsTitle: '报告涉及的地区',
  regionsCount: (paragraphs: number, reports: number) => `${paragraphs} 段 · ${reports} 份报告`,
  paragraphCount: (n: number) => `${n} 段`,
  reportNumber: (n: number) => `第${n}号报告`,
  regionsFooter: '段 = 提到该地区（含其下属地方）的段落数 · /region name:<地区> 查看摘要',
  noRegions: '报告中没有识别出任何地区。',
  andMore: (n: number) => `…及其他 ${n} 项`,
  // /source and full paragraphs
  before: '上文',
  after: '下文',
  fullParagraph: '全文',
  unknownReport: (q: string) => `找不到报告「${q}」，请在输入时从列表中选择。`,
  paragraphRange: (title: string, n: number) => `${title}共 ${n} 段，请输入 1–${n}。`,
  // /reindex
  reindexRefused: '只有拥有“管理服务器”权限的成员可以重建索引。',
  reindexUnavailable: '这个机器人实例不能重建索引。',
  reindexRunning: '索引正在重建，请等待完成。',
  reindexStarted: '正在后台重建索引，期间继续用现有索引回答；完成后在这里报告结果。',
  reindexFailed: (seconds: string) => `**索引重建失败**（${seconds} 秒），仍使用原索引回答。`,
  reindexDone: (seconds: string, unchanged: boolean) => `**索引已重建**（${seconds} 秒${unchanged ? '，报告无变化' : ''}）`,
  reindexCounts: (reports: number, paragraphs: number, passages: number, embedded: number, reused: number) =>
    `${reports} 份报告 · ${paragraphs} 段 · ${passages} 个检索片段（新计算 ${embedded}，沿用 ${reused}）`,
  reindexFromScratch: '原索引已损坏，已从头重建。',
  reindexNoneSkipped: '没有跳过的文件。',
  reindexSkipped: (n: number) => `跳过 ${n} 个文件：`,
  reindexMoreSkipped: (n: number) => `……另有 ${n} 个（见日志）`,
  // /help
  helpTitle: '使用说明',
  help: [
    '这个机器人只用报告原文回答：先给出最能回答问题的引文（关键词加粗），最后列出来源报告和段落。',
    '• `/ask question:北京第二批主题教育涉及多少党员？` — 提问；“更多结果”和“选择段落”只显示给点击的人。',
    '• 在频道里 @机器人 加上问题，或直接私信提问，也会得到回答。',
    '• `/region name:河北` — 报告中关于某地区的摘要（也支持 `石家庄`、`Hebei`、`Inner Mongolia`）。',
    '• `/regions` — 报告涉及的地区及段落数。',
    '• `/source report:<报告> paragraph:3` — 查看某段全文及上下文。',
    '• `/reindex` — 管理员（需“管理服务器”权限）：在后台根据报告文件重建索引，期间照常回答。',
    '• `/stats` — 管理员：本服务器最近的提问、回答与 👍/👎 统计。回答下方的 👍/👎 帮助我们发现报告缺少的内容。',
    '找不到答案时机器人会直说，不会用不相关的段落充数。',
  ],
};

const en: Labels = {
  sources: 'Sources',
  paragraphs: (numbers: number[]) => `¶ ${numbers.join(', ')}`,
  paragraph: (n: number) => `¶ ${n}`,
  paragraphOf: (n: number, total: number) => `paragraph ${n} of ${total}`,
  choosePassage: 'Choose a passage to read in full',
  moreResults: 'More results',
  alsoIn: (n: number) => `also in ${n} other ${n === 1 ? 'report' : 'reports'}`,
  moreResultsTitle: (from: number, to: number) => `More results (${from}–${to})`,
  noMore: 'No more results.',
  related: (n: number) => `${n} related passages`,
  relatedIntro: 'The reports discuss this, but no passage gives the detail asked for. The closest passages:',
  truncated: 'The question was long; only its first part was searched.',
  notFoundTitle: 'Not found',
  notFoundDefault: 'The reports do not seem to answer this.',
  notFoundTry: 'Try other wording, or `/region` for what the reports say about a place (`/regions` lists the places covered).',
  reason: 'Reason',
  question: 'Q',
  emptyQuestion: 'Ask me a question after the mention, e.g. @me How many party members are in Beijing\'s second batch? Or use `/ask`, `/region`, `/help`.',
  stopping: 'The bot is restarting; please ask again in a minute.',
  busy: 'The bot is busy answering other questions; please try again in a moment.',
  tooFast: (seconds: number, limit: number, window: number) => `You are asking too fast: please try again in ${seconds} s (at most ${limit} questions per ${window} s).`,
  error: 'Something went wrong; please try again.',
  expired: 'This button has expired; please ask again with /ask.',
  invalid: 'This button is no longer valid.',
  unknownCommand: 'Unknown command.',
  regionOverview: (reports: number, paragraphs: number) => `${reports} ${reports === 1 ? 'report' : 'reports'} · ${paragraphs} ${paragraphs === 1 ? 'paragraph' : 'paragraphs'}`,
  placesNamed: 'names',
  morePlaces: (n: number) => `and ${n} more`,
  regionAbsent: (name: string) => `The reports do not mention **${name}**.`,
  regionsHint: '`/regions` lists the regions the reports cover.',
  unknownRegion: (q: string) => `Unknown region "${q}".`,
  didYouMean: 'Did you mean:',
  regionNameHint: 'Chinese, pinyin or English names work, e.g. `/region name:Inner Mongolia`, `Hebei`, `石家庄`.',
  regionsTitle: 'Regions covered by the reports',
  regionsCount: (paragraphs: number, reports: number) => `${paragraphs} ¶ · ${reports} ${reports === 1 ? 'report' : 'reports'}`,
  paragraphCount: (n: number) => `${n} ¶`,
  reportNumber: (n: number) => `No. ${n}`,
  regionsFooter: '¶ = paragraphs mentioning the region (its cities included) · /region name:<region> for a summary',
  noRegions: 'No regions were found in the reports.',
  andMore: (n: number) => `…and ${n} more`,
  before: 'Before',
  after: 'After',
  fullParagraph: 'Full paragraph',
  unknownReport: (q: string) => `Unknown report "${q}": pick one from the list as you type.`,
  paragraphRange: (title: string, n: number) => `${title} has ${n} paragraphs: use 1–${n}.`,
  reindexRefused: 'Only members with the Manage Server permission can rebuild the index.',
  reindexUnavailable: 'This bot instance cannot rebuild its index.',
  reindexRunning: 'A rebuild is already running; its result will be reported when it finishes.',
  reindexStarted: 'Rebuilding the index in the background; questions are answered from the current index meanwhile. The result will be posted here.',
  reindexFailed: (seconds: string) => `**Reindex failed** (${seconds} s). Still answering from the previous index.`,
  reindexDone: (seconds: string, unchanged: boolean) => `**Index rebuilt** (${seconds} s${unchanged ? ', reports unchanged' : ''})`,
  reindexCounts: (reports: number, paragraphs: number, passages: number, embedded: number, reused: number) =>
    `${reports} reports · ${paragraphs} paragraphs · ${passages} passages (${embedded} embedded, ${reused} reused)`,
  reindexFromScratch: 'The previous index was damaged and was rebuilt from scratch.',
  reindexNoneSkipped: 'No files skipped.',
  reindexSkipped: (n: number) => `Skipped ${n} file(s):`,
  reindexMoreSkipped: (n: number) => `… ${n} more (see the log)`,
  helpTitle: 'How to use',
  help: [
    'This bot answers only with verbatim quotes from the reports: the quote that answers comes first (the answering words in bold), the reports and paragraphs used are listed at the end.',
    '• `/ask question:How many party members are in Beijing\'s second batch?` — ask; "More results" and "Choose a passage" are shown only to whoever clicks.',
    '• Mention the bot with a question in a channel, or send it a DM.',
    '• `/region name:Hebei` — what the reports say about a region (Chinese, pinyin or English names).',
    '• `/regions` — regions covered, with paragraph counts.',
    '• `/source report:<report> paragraph:3` — a paragraph in full with its neighbours.',
    '• `/reindex` — operators (Manage Server): rebuild the index from the report files in the background; answering continues meanwhile.',
    '• `/stats` — operators: this server\'s recent questions, answers and 👍/👎. The 👍/👎 under each answer show what the reports lack.',
    'When nothing answers, the bot says so instead of quoting weak matches.',
  ],
};

/** Deep-converts every string (and every string a function returns) to traditional characters. */
export function traditional<T>(labels: T): T {
  const convert = (v: unknown): unknown => {
    if (typeof v === 'string') return toTraditional(v);
    if (Array.isArray(v)) return v.map(convert);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, w]) => [k, convert(w)]));
    if (typeof v === 'function') {
      // Text passed in (a place name, a title, the user's words) is not converted: placeholders stand in for it.
      return (...args: unknown[]) => {
        const held = args.map((a, i) => (typeof a === 'string' ? `\uE000${i}\uE001` : a));
        const out = convert((v as (...a: unknown[]) => unknown)(...held)) as string;
        return out.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => String(args[Number(i)]));
      };
    }
    return v;
  };
  return convert(labels) as T;
}

/** A table of texts written in simplified Chinese and English, picked per reply language (traditional converted once, when first needed). */
export function inLanguage<T>(simplified: T, english: T): (lang: Lang) => T {
  let converted: T | null = null;
  return (lang) => (lang === 'en' ? english : lang === 'zh-TW' ? (converted ??= traditional(simplified)) : simplified);
}

export const labels: (lang: Lang) => Labels = inLanguage(zh, en);

export type { Labels };
