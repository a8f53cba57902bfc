// data/ → Reports, Paragraphs and Passages. Every file is tried; a bad one
// is skipped with a reason and the rest is still read.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeReport, ReportFileError } from './decode.js';
import { parseReport } from './parse.js';
import { regionTags } from '../places/tags.js';
import { splitIntoPassages } from './passages.js';
import { contentHash } from '../text/text.js';
import type { Paragraph, Passage, Report, SkippedFile } from './types.js';

export interface Corpus {
  reports: Report[];
  paragraphs: Paragraph[];
  passages: Passage[];
  skipped: SkippedFile[];
  /** Hash over every passage and citation field: equal hashes mean an identical index. */
  hash: string;
}

/** The data folder itself cannot be used (as opposed to one bad file in it, which is skipped). */
export class CorpusError extends Error {}

/** Files over this size are refused: no report is that long, and reading one would stall indexing. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** All files under `dir`, recursively, as sorted forward-slash relative paths; dot-files are ignored. */
export async function listReportFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !/(^|[\\/])\./.test(path.relative(dir, e.parentPath)))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => !/(^|\/)(README|readme)(\.md)?$/.test(f))
    .sort();
}

export async function readCorpus(dataDir: string): Promise<Corpus> {
  let files: string[];
  try {
    files = await listReportFiles(dataDir);
  } catch (error) {
    throw new CorpusError(`Cannot read the data folder ${dataDir}: ${(error as Error).message}. Create it and put report files in it.`);
  }
  const reports: Report[] = [];
  const paragraphs: Paragraph[] = [];
  const passages: Passage[] = [];
  const skipped: SkippedFile[] = [];
  const seenContent = new Map<string, string>();

  for (const file of files) {
    try {
      const bytes = await readFile(path.join(dataDir, file));
      if (bytes.length > MAX_FILE_BYTES) {
        throw new ReportFileError(`file is ${(bytes.length / 1048576).toFixed(0)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit for a report`);
      }
      const { text } = decodeReport(bytes);
      const parsed = parseReport(text, file);
      if (parsed.paragraphs.length === 0) throw new ReportFileError('no paragraphs found after the title line');
      const fingerprint = contentHash(parsed.title + '\n' + parsed.paragraphs.join('\n'));
      const original = seenContent.get(fingerprint);
      if (original) throw new ReportFileError(`same title and text as ${original} (duplicate report)`);
      seenContent.set(fingerprint, file);

      reports.push({ file, title: parsed.title, number: parsed.number, sourceUrl: parsed.sourceUrl, paragraphCount: parsed.paragraphs.length });
      const tags = regionTags(parsed.paragraphs);
      parsed.paragraphs.forEach((text, i) => {
        const regions = tags[i]!;
        paragraphs.push({ file, number: i + 1, text, hash: contentHash(text), regions });
        splitIntoPassages(text).forEach((part, p) => {
          passages.push({ id: passages.length, file, paragraph: i + 1, part: p, text: part, hash: contentHash(part), regions });
        });
      });
    } catch (error) {
      const reason = error instanceof ReportFileError ? error.message : `unreadable: ${(error as Error).message}`;
      skipped.push({ file, reason });
    }
  }
  return { reports, paragraphs, passages, skipped, hash: corpusHash(reports, passages) };
}

function corpusHash(reports: Report[], passages: Passage[]): string {
  const h = createHash('sha256');
  for (const r of reports) h.update(JSON.stringify([r.file, r.title, r.number, r.sourceUrl, r.paragraphCount]));
  for (const p of passages) h.update(`${p.file}\u0000${p.paragraph}\u0000${p.part}\u0000${p.hash}\u0000${p.regions.join(',')}\n`);
  return h.digest('hex').slice(0, 32);
}
