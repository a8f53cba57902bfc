// Which regions each paragraph is about: the places it names, with their city
// district, city and province (a paragraph about 石家庄 is about 河北 too). A paragraph
// that names no place but opens by reporting what someone said ("张庆伟强调，…"
// after "黑龙江召开…省委书记张庆伟出席") continues the previous one's topic, so
// it inherits the previous paragraph's regions; a general paragraph
// ("坚持问题导向，各地区各单位…") does not.
import { toSimplified } from '../text/text.js';
import { findRegionMentions, regionByName, regionPath } from './lookup.js';

export function placesNamed(text: string): string[] {
  const names = new Set<string>();
  for (const { region } of findRegionMentions(toSimplified(text))) {
    for (const r of regionPath(region)) names.add(r.name);
  }
  return [...names];
}

/** A paragraph naming more provinces than this is an overview; what follows it is not about all of them. */
const MAX_INHERITED_PROVINCES = 3;

/** Opens with who said it: a short subject, then 强调/指出/表示… and a comma or colon. */
const REPORTED_SPEECH = /^[^，。；：:,]{2,16}?(?:强调|指出|表示|说|要求|认为|提出|介绍|坦言)[，：:,]/;

/** Region tags for a report's paragraphs, in order. */
export function regionTags(paragraphs: string[]): string[][] {
  const tags: string[][] = [];
  let previous: string[] = [];
  for (const text of paragraphs) {
    const own = placesNamed(text);
    const current = own.length > 0 ? own : REPORTED_SPEECH.test(text) ? previous : [];
    tags.push(current);
    const provinces = current.filter((name) => regionByName(name)?.level === 1).length;
    previous = provinces <= MAX_INHERITED_PROVINCES ? current : [];
  }
  return tags;
}
