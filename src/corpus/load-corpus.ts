import { createHash } from 'node:crypto';
import type { BigIntStats, Dirent } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { runInSlices } from '../scheduling/slices.js';
import { parseDocumentFileInSteps } from './document-file.js';
import { CorpusError, inFileOrder, type CorpusProblem } from './errors.js';
import { EXAMPLES_FILE, parseExamples } from './examples.js';
import { GLOSSARY_FILE, parseGlossary } from './glossary.js';
import { plainTextBlocks, type BodyReader } from './passages.js';
import type { Corpus, CorpusDocument, Glossary } from './types.js';

/** Where documents live inside the corpus folder. */
export const DOCUMENTS_FOLDER = 'documents';
const DOCUMENT_EXTENSIONS = new Set(['.txt', '.md']);

export interface CorpusLoadOptions {
  /** Largest file accepted, in bytes; a larger one is refused with this limit named. */
  readonly maxFileBytes: number;
  /**
   * How long after a file last changed (its modification and change times) its metadata is trusted to stand for
   * its content, in milliseconds: a file changed just before it was read may change again within the same tick
   * of the file system's clock (ext4 ticks in milliseconds, FAT in 2 s) without its times moving, so the next load
   * reads it again.
   */
  readonly trustFileTimesAfterMs: number;
}

/** Defaults for {@link loadCorpus}. */
export const DEFAULT_CORPUS_LOAD_OPTIONS: CorpusLoadOptions = { maxFileBytes: 5 * 1024 * 1024, trustFileTimesAfterMs: 2000 };

const EMPTY_GLOSSARY: Glossary = { entries: [] };

/**
 * The Markdown reader, loaded with its parser when the first `.md` file is parsed: a corpus of `.txt` files never
 * loads it (markdown-it adds about 15 ms to a start, against 4 ms for the bundle's unused code).
 */
let markdownReader: Promise<BodyReader> | undefined;

/** How the body of a document file is read: Markdown for `.md`, plain text otherwise. */
function bodyReaderOf(file: string): BodyReader | Promise<BodyReader> {
  if (path.extname(file).toLowerCase() !== '.md') return plainTextBlocks;
  return (markdownReader ??= import('./markdown.js').then((module) => module.markdownBlocks));
}

/** What the loader knows of the file a document was parsed from, to know it unchanged on the next load. */
export interface FileRecord {
  /** SHA-256 (base64) of the file's bytes. */
  readonly hash: string;
  /** The file's device, inode, size, modification and change times, when old enough to be trusted. */
  readonly signature: string | undefined;
}

const fileRecords = new WeakMap<CorpusDocument, FileRecord>();

/** What is known of the file a loaded document was parsed from; undefined for a document not loaded here. */
export function fileRecordOf(document: CorpusDocument): FileRecord | undefined {
  return fileRecords.get(document);
}

/**
 * Vouches that `document` is what this code parses from a file of `record`: for a document saved with the index
 * (`src/search/index-snapshot.ts`), so that a start given it as a previous document neither reads nor parses an
 * unchanged file.
 */
export function rememberFile(document: CorpusDocument, record: FileRecord): void {
  fileRecords.set(document, record);
}

/**
 * The metadata of a file that changes with any write to it: the change time cannot be set back by any tool that
 * keeps modification times (touch -d, rsync -t, cp -p), and a rename or replacement changes the inode. Undefined
 * when the file changed too recently to be trusted (see {@link CorpusLoadOptions.trustFileTimesAfterMs}).
 */
function signatureOf(info: BigIntStats, trustedBefore: number): string | undefined {
  if (Number(info.ctimeMs) > trustedBefore || Number(info.mtimeMs) > trustedBefore) return undefined;
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

/**
 * Loads and validates every file of a corpus folder: `documents/**` (`.txt` or `.md`, with front matter), an
 * optional `glossary.json` and an optional `examples.txt`. All or nothing: any problem in any file throws a {@link CorpusError} listing every
 * problem found, in file order, so a half-valid corpus is never served. Nothing outside the folder is read, through links or
 * otherwise. Given the `previous` corpus, a document file whose content is unchanged is not parsed again: the
 * previous document object itself is kept, which is how a reload knows what it need not re-index. Unchanged is
 * the same SHA-256 of the bytes, or, without reading the file, the same device, inode, size, modification and
 * change times as when its content was last hashed (as git and rsync decide, with git's guard for a file changed
 * within the clock's tick of being read).
 */
export async function loadCorpus(
  directory: string,
  options: CorpusLoadOptions = DEFAULT_CORPUS_LOAD_OPTIONS,
  previous?: Pick<Corpus, 'documents'>,
): Promise<Corpus> {
  const root = await resolveRoot(directory);
  const problems: CorpusProblem[] = [];
  const reader = new CorpusReader(root, options, problems);

  const documents: CorpusDocument[] = [];
  /** The file that first gave each document id, in file order: a later file giving it too is refused. */
  const idFiles = new Map<string, string>();
  const claimId = (id: string | undefined, file: string): void => {
    if (id === undefined) return;
    const earlier = idFiles.get(id);
    if (earlier === undefined) idFiles.set(id, file);
    else problems.push({ file, field: 'id', message: `"${id}" is already used by ${earlier}` });
  };
  const previousByFile = new Map(previous?.documents.map((document) => [document.file, document]));
  const documentsDir = path.join(root, DOCUMENTS_FOLDER);
  if (!(await isDirectory(documentsDir))) {
    problems.push({ file: DOCUMENTS_FOLDER, message: 'is missing: put the articles in a folder "documents"' });
  } else {
    const trustedBefore = Date.now() - options.trustFileTimesAfterMs;
    for (const { file, info } of await reader.listFiles(documentsDir)) {
      const relative = toCorpusPath(root, file);
      if (!DOCUMENT_EXTENSIONS.has(path.extname(file).toLowerCase())) {
        problems.push({ file: relative, message: 'is not a document: documents are .txt or .md files' });
        continue;
      }
      const signature = signatureOf(info, trustedBefore);
      const unchanged = previousByFile.get(relative);
      const known = unchanged && fileRecords.get(unchanged);
      if (unchanged !== undefined && signature !== undefined && known?.signature === signature && info.size <= options.maxFileBytes) {
        documents.push(unchanged);
        claimId(unchanged.meta.id, relative);
        continue;
      }
      const bytes = await reader.readBytes(file);
      if (bytes === undefined) continue;
      // Hashed as bytes: an unchanged file, checked when first loaded, is not decoded again.
      const hash = contentHash(bytes);
      if (unchanged !== undefined && known?.hash === hash) {
        fileRecords.set(unchanged, { hash, signature });
        documents.push(unchanged);
        claimId(unchanged.meta.id, relative);
        continue;
      }
      const content = reader.textOf(file, bytes);
      if (content === undefined) continue;
      const parsed = await runInSlices(parseDocumentFileInSteps(relative, content, await bodyReaderOf(file)));
      if (parsed.ok) {
        fileRecords.set(parsed.document, { hash, signature });
        documents.push(parsed.document);
        claimId(parsed.document.meta.id, relative);
      } else {
        problems.push(...parsed.problems);
        claimId(parsed.id, relative);
      }
    }
    if (documents.length === 0 && problems.length === 0) {
      problems.push({ file: DOCUMENTS_FOLDER, message: 'holds no documents' });
    }
  }

  let glossary = EMPTY_GLOSSARY;
  const glossaryPath = path.join(root, GLOSSARY_FILE);
  if (await exists(glossaryPath)) {
    const content = await reader.readText(glossaryPath);
    if (content !== undefined) {
      const parsed = parseGlossary(content);
      if (parsed.ok) glossary = parsed.glossary;
      else problems.push(...parsed.problems);
    }
  }

  let examples: string[] = [];
  const examplesPath = path.join(root, EXAMPLES_FILE);
  if (await exists(examplesPath)) {
    const content = await reader.readText(examplesPath);
    if (content !== undefined) {
      const parsed = parseExamples(content);
      if (parsed.ok) examples = parsed.examples;
      else problems.push(...parsed.problems);
    }
  }

  if (problems.length > 0) throw new CorpusError(inFileOrder(problems));
  documents.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  const warnings = (await strayDocuments(root)).map((file) => `${file} is outside ${DOCUMENTS_FOLDER}/ and was not loaded`);
  return { directory: root, documents, glossary, examples, warnings };
}

/**
 * Records, once it can be trusted, the signature of each document file of `corpus` whose times were too recent to
 * trust when it was loaded (see {@link CorpusLoadOptions.trustFileTimesAfterMs}), so that the next load (a reload)
 * reads none of them: without this, the first reload after a start just after a deploy read and hashed every file
 * again. Waits, on a timer that keeps no process alive, until the youngest of them is old enough, then reads and
 * hashes each again; where the content is still the one loaded, the signature seen just before reading is recorded
 * (a write after that read changes the times, as they are past the clock's tick by then). A file changed since, still
 * too recent, or unreadable is left as it was, for the next load to read. Never throws.
 */
export async function trustRecentFiles(corpus: Pick<Corpus, 'directory' | 'documents'>, options: CorpusLoadOptions = DEFAULT_CORPUS_LOAD_OPTIONS): Promise<void> {
  const recent = corpus.documents.filter((document) => fileRecords.has(document) && fileRecords.get(document)?.signature === undefined);
  if (recent.length === 0) return;
  const reader = new CorpusReader(corpus.directory, options, []);
  const look = async (document: CorpusDocument): Promise<{ document: CorpusDocument; file: string; info: BigIntStats | undefined }> => {
    const file = path.join(corpus.directory, document.file);
    const target = await reader.insideTarget(file);
    return { document, file, info: target === undefined ? undefined : await reader.attempt(file, () => stat(target, { bigint: true })) };
  };
  const lookAll = async (documents: readonly CorpusDocument[]): Promise<Awaited<ReturnType<typeof look>>[]> => {
    const looked = [];
    for (let start = 0; start < documents.length; start += LOOKS_AT_ONCE) looked.push(...(await Promise.all(documents.slice(start, start + LOOKS_AT_ONCE).map(look))));
    return looked;
  };
  const changedAt = (info: BigIntStats): number => Math.max(Number(info.ctimeMs), Number(info.mtimeMs));
  const youngest = Math.max(...(await lookAll(recent)).map(({ info }) => (info === undefined ? 0 : changedAt(info))));
  const wait = youngest + options.trustFileTimesAfterMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 1).unref());
  for (const { document, file, info } of await lookAll(recent)) {
    const signature = info && signatureOf(info, Date.now() - options.trustFileTimesAfterMs);
    if (signature === undefined) continue;
    const bytes = await reader.readBytes(file);
    const known = fileRecords.get(document);
    if (bytes !== undefined && known?.signature === undefined && known?.hash === contentHash(bytes)) fileRecords.set(document, { hash: known.hash, signature });
  }
}

/** SHA-256 (base64) of a file's bytes, as {@link FileRecord.hash} holds it. */
function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/**
 * Document-like files (`.txt`, `.md`) of the corpus folder outside `documents/`, relative to the folder: a
 * moderator who saves an article beside `documents/` would otherwise get no answer from it and no word why. Only
 * names are looked at, and a folder that cannot be listed is passed over: these files are not part of the corpus.
 */
async function strayDocuments(root: string, relative = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, relative), { withFileTypes: true });
  } catch {
    return [];
  }
  const strays: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const file = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.name.startsWith('.') || file === DOCUMENTS_FOLDER || file === EXAMPLES_FILE) continue;
    if (entry.isDirectory()) strays.push(...(await strayDocuments(root, file)));
    else if (DOCUMENT_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) strays.push(file);
  }
  return strays;
}

async function resolveRoot(directory: string): Promise<string> {
  try {
    const root = await realpath(directory);
    if ((await stat(root)).isDirectory()) return root;
  } catch {
    // Reported below: a missing folder and a file in its place get the same answer.
  }
  throw new CorpusError([{ file: '.', message: `the corpus folder "${directory}" does not exist or is not a folder` }]);
}

/** How many entries of a folder are looked at (`stat`) at once. */
const LOOKS_AT_ONCE = 64;

/** A file found below a folder, with its metadata (times in nanoseconds). */
interface ListedFile {
  readonly file: string;
  readonly info: BigIntStats;
}

/** Reads files for one load, recording every problem instead of stopping at the first. */
class CorpusReader {
  constructor(
    private readonly root: string,
    private readonly options: CorpusLoadOptions,
    readonly problems: CorpusProblem[],
  ) {}

  /**
   * Every file below `directory`, sorted, with its metadata, following only links that stay inside the corpus
   * folder. A folder's entries are looked at many at once, each recording its problems apart so that they are
   * reported in order: one at a time, every look waited a round trip of the file-system threads, a third of an
   * unchanged reload of 2,323 files.
   */
  async listFiles(directory: string, visited = new Set<string>()): Promise<ListedFile[]> {
    const real = await this.attempt(directory, () => realpath(directory));
    if (real === undefined || visited.has(real)) return [];
    visited.add(real);
    const entries = (await this.attempt(directory, () => readdir(directory, { withFileTypes: true }))) ?? [];
    const look = async (entry: Dirent): Promise<{ full: string; info: BigIntStats | undefined; problems: CorpusProblem[] }> => {
      const full = path.join(directory, entry.name);
      const reader = new CorpusReader(this.root, this.options, []);
      const target = entry.isSymbolicLink() ? await reader.insideTarget(full) : full;
      const info = target === undefined ? undefined : await reader.attempt(full, () => stat(target, { bigint: true }));
      return { full, info, problems: reader.problems };
    };
    const visible = entries.filter((entry) => !entry.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
    const looked = [];
    // In batches: thousands of answers arriving at once would be handled in one turn of the event loop.
    for (let start = 0; start < visible.length; start += LOOKS_AT_ONCE) looked.push(...(await Promise.all(visible.slice(start, start + LOOKS_AT_ONCE).map(look))));
    const files: ListedFile[] = [];
    for (const { full, info, problems } of looked) {
      this.problems.push(...problems);
      if (info?.isDirectory()) files.push(...(await this.listFiles(full, visited)));
      else if (info?.isFile()) files.push({ file: full, info });
    }
    return files;
  }

  /** The file's text, or undefined after recording why it cannot be used. */
  async readText(file: string): Promise<string | undefined> {
    const bytes = await this.readBytes(file);
    return bytes && this.textOf(file, bytes);
  }

  /** The file's bytes, or undefined after recording why it cannot be read (a link outside, too large…). */
  async readBytes(file: string): Promise<Buffer | undefined> {
    const relative = toCorpusPath(this.root, file);
    const target = await this.insideTarget(file);
    if (target === undefined) return undefined;
    const info = await this.attempt(file, () => stat(target));
    if (info === undefined) return undefined;
    if (info.size > this.options.maxFileBytes) {
      this.problems.push({
        file: relative,
        message: `is ${formatBytes(info.size)}, over the limit of ${formatBytes(this.options.maxFileBytes)} (MAX_CORPUS_FILE_BYTES)`,
      });
      return undefined;
    }
    return this.attempt(file, () => readFile(target));
  }

  /** The bytes as text, or undefined after recording why they are not usable text (binary, not UTF-8, empty). */
  textOf(file: string, bytes: Buffer): string | undefined {
    const relative = toCorpusPath(this.root, file);
    if (bytes.includes(0)) {
      this.problems.push({ file: relative, message: 'is a binary file (it contains NUL bytes), not text' });
      return undefined;
    }
    const text = decodeUtf8(bytes);
    if (typeof text !== 'string') {
      this.problems.push({ file: relative, line: text.line, message: 'is not valid UTF-8 text' });
      return undefined;
    }
    if (text.trim() === '') {
      this.problems.push({ file: relative, message: 'is empty' });
      return undefined;
    }
    return text;
  }

  async insideTarget(link: string): Promise<string | undefined> {
    const target = await this.attempt(link, () => realpath(link));
    if (target === undefined) return undefined;
    if (target !== this.root && !target.startsWith(this.root + path.sep)) {
      this.problems.push({
        file: toCorpusPath(this.root, link),
        message: 'links outside the corpus folder: refused, the corpus never reads outside its folder',
      });
      return undefined;
    }
    return target;
  }

  async attempt<T>(file: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      this.problems.push({ file: toCorpusPath(this.root, file), message: describeFsError(error) });
      return undefined;
    }
  }
}

function decodeUtf8(bytes: Buffer): string | { line: number } {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    return { line: lenient.slice(0, Math.max(bad, 0)).split('\n').length };
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'ENOENT':
      return 'does not exist (a broken link, or removed while loading)';
    case 'ELOOP':
      return 'is a loop of links';
    default:
      return `cannot be read: ${(error as Error).message}`;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(directory: string): Promise<boolean> {
  try {
    return (await stat(directory)).isDirectory();
  } catch {
    return false;
  }
}

function toCorpusPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`;
}
