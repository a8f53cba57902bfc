// Person names in Chinese text: jieba's part-of-speech tag nr, and the
// patterns reports and questions use around names (an office right before a
// name, a name right before a verb of saying).
import { segmenter } from '../text/tokens.js';

/** Common surnames, for names jieba's tagger misses ("王毅在会上讲了什么"). */
export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤娄巴晏欧聂瞿恽阎乔温';
/** A surname and one or two characters, right before a verb of saying: 王毅说、李强强调. */
const SPEAKER = new RegExp(`(?:^|[^\\u4e00-\\u9fff]|[在和与对])([${SURNAMES}][\\u4e00-\\u9fff]{1,2}?)(?=说|讲|强调|指出|表示|认为|要求|提出|在会上)`, 'gu');

/** Person names in a question: jieba's tag nr (two to four characters) and surname-plus-verb-of-saying phrases. */
export function personNames(text: string): string[] {
  const tagged = segmenter()
    .tag(text, true)
    .filter((t) => t.tag === 'nr' && /^[\u4e00-\u9fff]{2,4}$/.test(t.word))
    .map((t) => t.word);
  // A capture that jieba knows as one ordinary word (周边, 江苏) is not a name.
  const speakers = [...text.matchAll(SPEAKER)]
    .map((m) => m[1]!)
    .filter((name) => {
      const words = segmenter().tag(name, false);
      return words.length > 1 || words[0]!.tag.startsWith('nr');
    });
  return [...new Set([...tagged, ...speakers])];
}
