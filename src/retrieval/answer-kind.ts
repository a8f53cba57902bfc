// What a question asks for: a number, a date, a person, a place, a list of
// items, or a description. The kind decides which phrase of a passage answers
// (answer-span.ts) and whether the passages hold an answer at all (verdict.ts).
// A small rule set over question words, Chinese (simplified or traditional)
// and English; anything else is a description ("how", "why", "what … do").
import { matchingForm, segmenter } from '../text/tokens.js';

export type AnswerKind = 'number' | 'date' | 'person' | 'place' | 'list' | 'description';

/** What kind of answer, and for a number the measure asked about when the question names one. */
export interface AskedFor {
  kind: AnswerKind;
  /**
   * For numbers: 'money' (多少钱, how much … cost), 'percent', 'time' (多久, how long),
   * 'size', or the measure word after 多少/几 (个, 项, 名, 条 …). For dates: 'year'
   * (哪一年) or 'day' (哪天, 几月几号). Null when the question names none.
   */
  measure: string | null;
  /** For numbers: the word right after the question phrase, what is counted (多少党员 → 党员), or null. */
  target: string | null;
  /** For places: the level asked for (1 province, 2 city or league, 3 county or district), or null. */
  level?: 1 | 2 | 3 | null;
  /** For lists: how many items the question says there are ("这四个到位具体指哪四个" → 4), or null. */
  count?: number | null;
}

// Measure words that may follow 几/多少 ("几个部分", "多少名干部").
const MEASURES = '个项名位条次件家所处场篇份批户村人天年月周届类种座期支道起元亩米吨';
// Offices whose holder's name is the answer to "…叫什么".
const OFFICE_END = '(?:书记|长|主任|主席|经理|负责人|代表|委员|教授|专家|同志|民警|干部|老师|人|者|员)';
const HAN = '[\\u4e00-\\u9fff]';

/**
 * Chinese question phrases, one alternative per kind; matched left to right
 * without overlaps, longer alternatives first, so 哪几个 is a list and not
 * 几个. The last question phrase wins: the final clause is usually the ask
 * ("包头有没有给老百姓办实事？具体办了哪些？").
 */
const ZH_RULES: Array<[AnswerKind, string]> = [
  // "Which counties …" asks for places, listed or not.
  ['place', '有?(?:哪几个?|哪些)(?=[省市县区州盟旗乡镇村]|地方|城市|地区|单位)'],
  ['list', '哪几|哪些|有哪|都有什么|哪[0-9]+|包括什么|分别是什么|分别是哪|哪[一二两三四五六七八九十]+[个项条点方面]'],
  ['date', '哪一?天|哪一?日|哪一?年|哪个月|几月几[号日]|几月份?|几[号日]|几点|什么时[候间]|何时|啥时候|日期|时间是'],
  ['person', '谁|哪一?位|什么人|哪个人|叫什么名字|姓名|名字是什么|' + `(?<=${OFFICE_END})(?:叫什么|是哪个)`],
  ['place', '哪里|哪儿|在哪(?!一?[天日年个月])|哪处|什么地方|何地|何处|哪个地方|哪个[省市县区州乡镇村](?!委)|哪个城市|地址|位于哪'],
  ['number', `多少|多久|多长时间|多长|多大|多高|多重|多远|多深|几成|百分之几|比例是|几(?=${HAN}?[${MEASURES}])|几$`],
];
const ZH = new RegExp(ZH_RULES.map(([kind, re], i) => `(?<${kind}${i}>${re})`).join('|'), 'g');

const EN_RULES: Array<[AnswerKind, RegExp]> = [
  ['date', /\b(when|what (date|day|year|month|time)|which (date|day|year|month)|by what date)\b/g],
  ['person', /\b(who|whom|whose|which (deputy |vice )?(director|leader|secretary|head|chief|official|professor|person|officer|mayor|governor|chairman|marshal|leaders)|name of (the )?[\w' -]*?(leader|secretary|director|head|chief|official|person|officer|mayor|governor|chairman|professor))\b/g],
  ['place', /\b(where|which (city|province|county|district|place|town|village|venue|site|location)|what (place|city|province|county|venue|site|location)|address)\b/g],
  ['number', /\b(how (many|much|long|large|big|high|far|old)|what (number|percentage|share|proportion)|how many times)\b/g],
  ['list', /\b(which|what are|what were|list)\b/g],
];

export function askedFor(question: string): AskedFor {
  const form = matchingForm(question);
  const latin = (form.match(/[a-z]/g) ?? []).length;
  const han = (form.match(/[\u4e00-\u9fff]/g) ?? []).length;
  return latin > 0 && latin >= han * 2 ? englishKind(form) : chineseKind(form);
}

export function answerKind(question: string): AnswerKind {
  return askedFor(question).kind;
}

function chineseKind(form: string): AskedFor {
  let last: { kind: AnswerKind; end: number; phrase: string } | null = null;
  for (const m of form.matchAll(ZH)) {
    const group = Object.keys(m.groups!).find((k) => m.groups![k] !== undefined)!;
    const kind = group.replace(/[0-9]+$/, '') as AnswerKind;
    last = { kind, end: m.index + m[0].length, phrase: m[0] };
  }
  if (!last) return { kind: 'description', measure: null, target: null };
  if (last.kind === 'date') return { kind: 'date', measure: /年/.test(last.phrase) ? 'year' : /天|日|号/.test(last.phrase) ? 'day' : null, target: null };
  if (last.kind === 'place') return { kind: 'place', measure: null, target: null, level: placeLevel(form.slice(last.end - last.phrase.length, last.end + 2)) };
  if (last.kind === 'list') return { kind: 'list', measure: null, target: null, count: listCount(form, last.phrase, last.end) };
  if (last.kind !== 'number') return { kind: last.kind, measure: null, target: null };
  const measure = chineseMeasure(form, last.phrase, last.end);
  const rest = form.slice(last.end + (measure && measure.length === 1 ? 1 : 0));
  const word = segmenter().cut(rest, false)[0] ?? '';
  return { kind: 'number', measure, target: /^[\u4e00-\u9fff]{2,}$/.test(word) ? word : null };
}

/** 哪个市, 哪几个盟市 → 2; 哪些区县 → 3; 哪些省份 → 1. */
function placeLevel(phrase: string): 1 | 2 | 3 | null {
  const noun = phrase.replace(/^有?哪[几些]?个?/, '');
  if (/^(省|自治区)/.test(noun)) return 1;
  if (/^(市|盟|州|地级)/.test(noun)) return 2;
  if (/^(县|区|旗)/.test(noun)) return 3;
  return null;
}

const ZH_NUMBERS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const countOf = (n: string) => (/^[0-9]+$/.test(n) ? Number(n) : n.length === 1 ? (ZH_NUMBERS[n] ?? null) : null);

/** The count a list question gives: 哪四个, 哪6项, or "那25个共性问题，具体都有哪些". */
function listCount(form: string, phrase: string, end: number): number | null {
  const own = /^哪([0-9]+|[一二两三四五六七八九十])/.exec(phrase);
  if (own) return countOf(own[1]!);
  const before = [...form.slice(0, end).matchAll(/(?<![0-9第])([0-9]+|[二两三四五六七八九十])(?:个|项|条|点|大)/g)].pop();
  return before ? countOf(before[1]!) : null;
}

function chineseMeasure(form: string, phrase: string, end: number): string | null {
  if (/钱|资金|投资|投入|经费|费用|花了|花费|造价|金额|元/.test(form) && /多少|几/.test(phrase)) return 'money';
  if (/比例|百分之|几成/.test(phrase)) return 'percent';
  if (/多久|多长时间/.test(phrase)) return 'time';
  if (/多长|多高|多远|多深|多大|多重/.test(phrase)) return 'size';
  const next = form.slice(end, end + 1);
  return next && MEASURES.includes(next) ? next : null;
}

function englishKind(form: string): AskedFor {
  // English questions put the question word first: the first one decides.
  const chosen = firstEnglish(form);
  if (!chosen) return { kind: 'description', measure: null, target: null };
  let measure: string | null = null;
  if (chosen.kind === 'date') measure = /year/.test(chosen.phrase) ? 'year' : /date|day/.test(chosen.phrase) ? 'day' : null;
  if (chosen.kind === 'number') {
    if (/how much|invest|cost|spend|spent|fund|money|yuan/.test(form)) measure = /how much/.test(chosen.phrase) || /invest|cost|fund|money|yuan|spen/.test(form) ? 'money' : null;
    if (/percentage|share|proportion/.test(chosen.phrase)) measure = 'percent';
    if (/how long/.test(chosen.phrase)) measure = 'time';
    if (/how (large|big|high|far|old)/.test(chosen.phrase)) measure = 'size';
  }
  return { kind: chosen.kind, measure, target: null };
}

function firstEnglish(form: string): { kind: AnswerKind; index: number; phrase: string } | null {
  let best: { kind: AnswerKind; index: number; phrase: string } | null = null;
  for (const [kind, re] of EN_RULES) {
    for (const m of form.matchAll(re)) {
      const better = !best || m.index < best.index || (m.index === best.index && m[0].length > best.phrase.length);
      if (better) best = { kind, index: m.index, phrase: m[0] };
    }
  }
  return best;
}
