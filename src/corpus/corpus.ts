// data/ → Reports, Paragraphs and Passages. Every file is tried; a bad one
// is skipped with a reason and the rest is still read.
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeReport, ReportFileError } from './decode.js';
import { parseReport } from './parse.js';
import { tagReport } from '../places/tags.js';
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
  return (await scanDataFolder(dir)).files;
}

/**
 * The report files under `dir` (sorted forward-slash relative paths; dot-files and READMEs left out),
 * and the entries that cannot be reports, each with a reason. A symbolic link to a file inside the
 * folder is followed; one leading outside it (or to a folder, or nowhere) is skipped with a warning,
 * never silently.
 */
export async function scanDataFolder(dir: string): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const root = await realpath(dir);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || /(^|[\\/])\./.test(path.relative(dir, e.parentPath))) continue;
    const file = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    if (/(^|\/)(README|readme)(\.md)?$/.test(file)) continue;
    if (e.isFile()) files.push(file);
    else if (e.isSymbolicLink()) {
      const reason = await symlinkProblem(path.join(dir, file), root);
      if (reason) skipped.push({ file, reason });
      else files.push(file);
    }
  }
  return { files: files.sort(), skipped };
}

/** Why a symbolic link is not read as a report, or null when it is a file inside the data folder. */
async function symlinkProblem(link: string, root: string): Promise<string | null> {
  const target = await realpath(link).catch(() => null);
  if (target === null) return 'symbolic link to nothing (broken link)';
  const inside = path.relative(root, target);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return `symbolic link to ${target}, outside the data folder (not followed)`;
  if (!(await stat(target)).isFile()) return 'symbolic link to a folder (not followed: its files would be read twice)';
  return null;
}

export async function readCorpus(dataDir: string): Promise<Corpus> {
  let files: string[];
  let unreadable: SkippedFile[];
  try {
    ({ files, skipped: unreadable } = await scanDataFolder(dataDir));
  } catch (error) {
    throw new CorpusError(`Cannot read the data folder ${dataDir}: ${(error as Error).message}. Create it and put report files in it.`);
  }
  const reports: Report[] = [];
  const paragraphs: Paragraph[] = [];
  const passages: Passage[] = [];
  const skipped: SkippedFile[] = [...unreadable];
  const seenContent = new Map<string, string>();

  for (const file of files) {
    try {
      // Sized before it is read: a 1.5 GB file must not be loaded only to be refused.
      const { size } = await stat(path.join(dataDir, file));
      if (size > MAX_FILE_BYTES) {
        throw new ReportFileError(`file is ${(size / 1048576).toFixed(0)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit for a report`);
      }
      const bytes = await readFile(path.join(dataDir, file));
      const { text } = decodeReport(bytes);
      const parsed = parseReport(text, file);
      if (parsed.paragraphs.length === 0) throw new ReportFileError('no paragraphs found after the title line');
      const fingerprint = contentHash(parsed.title + '\n' + parsed.paragraphs.join('\n'));
      const original = seenContent.get(fingerprint);
      if (original) throw new ReportFileError(`same title and text as ${original} (duplicate report)`);
      seenContent.set(fingerprint, file);

      const tags = tagReport(parsed);
      reports.push({ file, title: parsed.title, number: parsed.number, sourceUrl: parsed.sourceUrl, paragraphCount: parsed.paragraphs.length, places: tags.report });
      parsed.paragraphs.forEach((text, i) => {
        const places = tags.paragraphs[i]!;
        paragraphs.push({ file, number: i + 1, text, hash: contentHash(text), places });
        splitIntoPassages(text).forEach((part, p) => {
          passages.push({ id: passages.length, file, paragraph: i + 1, part: p, text: part, hash: contentHash(part), places });
        });
      });
    } catch (error) {
      const reason = error instanceof ReportFileError ? error.message : `unreadable: ${(error as Error).message}`;
      skipped.push({ file, reason });
    }
  }
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { reports, paragraphs, passages, skipped, hash: corpusHash(reports, passages) };
}

function corpusHash(reports: Report[], passages: Passage[]): string {
  const h = createHash('sha256');
  for (const r of reports) h.update(JSON.stringify([r.file, r.title, r.number, r.sourceUrl, r.paragraphCount, r.places]));
  for (const p of passages) h.update(`${p.file}\u0000${p.paragraph}\u0000${p.part}\u0000${p.hash}\u0000${p.places.own.join(',')}\u0000${p.places.inherited.join(',')}\n`);
  return h.digest('hex').slice(0, 32);
}
