// Which regions each paragraph is about: the places it names, with their city
// district, city and province (a paragraph about 石家庄 is about 河北 too). A paragraph that
// names no place continues the previous one's topic ("张庆伟强调…" after
// "黑龙江召开…"), so it inherits the previous paragraph's regions.
import { toSimplified } from './text.js';
import { findRegionMentions, regionByName, regionPath } from '../regions/lookup.js';

export function placesNamed(text: string): string[] {
  const names = new Set<string>();
  for (const { region } of findRegionMentions(toSimplified(text))) {
    for (const r of regionPath(region)) names.add(r.name);
  }
  return [...names];
}

/** A paragraph naming more provinces than this is an overview; what follows it is not about all of them. */
const MAX_INHERITED_PROVINCES = 3;

/** Region tags for a report's paragraphs, in order. */
export function regionTags(paragraphs: string[]): string[][] {
  const tags: string[][] = [];
  let previous: string[] = [];
  for (const text of paragraphs) {
    const own = placesNamed(text);
    const current = own.length > 0 ? own : previous;
    tags.push(current);
    const provinces = current.filter((name) => regionByName(name)?.level === 1).length;
    previous = provinces <= MAX_INHERITED_PROVINCES ? current : [];
  }
  return tags;
}
