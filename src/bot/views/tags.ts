// [n] tags: one number per report, in order of first use, so a reply's Sources block lists
// each report once with every paragraph quoted from it.

export interface TaggedReport {
  source: string;
  title: string;
  sourceUrl: string | null;
  paragraphs: number[];
  /** Other reports carrying the same passages (near-duplicates folded into a quote). */
  alsoIn: Set<string>;
}

export interface ReportTags {
  /** The tag of a quote from `source`, paragraph `paragraph` (registers the report on first use). */
  tag(source: string, paragraph: number, info: { title: string; sourceUrl?: string | null }, alsoIn?: readonly string[]): number;
  /** The tagged reports, tag 1 first, paragraphs sorted. */
  reports(): TaggedReport[];
}

export function reportTags(): ReportTags {
  const list: TaggedReport[] = [];
  return {
    tag(source, paragraph, info, alsoIn = []) {
      let i = list.findIndex((r) => r.source === source);
      if (i < 0) i = list.push({ source, title: info.title, sourceUrl: info.sourceUrl ?? null, paragraphs: [], alsoIn: new Set() }) - 1;
      const r = list[i]!;
      if (!r.paragraphs.includes(paragraph)) r.paragraphs.push(paragraph);
      for (const a of alsoIn) if (a !== source) r.alsoIn.add(a);
      return i + 1;
    },
    reports: () => list.map((r) => ({ ...r, paragraphs: [...r.paragraphs].sort((a, b) => a - b) })),
  };
}
