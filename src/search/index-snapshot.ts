import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentHashOf } from '../corpus/load-corpus.js';
import type { Corpus } from '../corpus/types.js';
import { DEFAULT_PASSAGE_INDEX_OPTIONS, PassageIndex, type CapturedIndex, type PassageIndexOptions } from './passage-index.js';

/**
 * File layout: MAGIC, a u32 (little-endian) header length, the JSON header, the chunks (each a JSON array, their
 * byte lengths in the header), then the SHA-256 of everything before it. The body is cut into chunks so that no
 * one `JSON.parse` holds the event loop long: one parse of the whole 100,000-passage index would.
 */
const MAGIC = Buffer.from('INCIDENT-DESK-INDEX-1\n', 'latin1');
const CHECKSUM_BYTES = 32;

/**
 * The snapshot's format. Bump it when what is saved changes shape; a change to the analysis (tokens, stems, context)
 * needs no bump, as the code version ({@link indexCodeVersion}) hashes that code.
 */
export const INDEX_SNAPSHOT_FORMAT = 1;

export interface IndexSnapshotOptions {
  /** The folder the snapshot is kept in (`CACHE_DIR`). */
  readonly directory: string;
  /** Where the one line saying why a snapshot was not used goes. */
  readonly log: (line: string) => void;
  /** The code version a snapshot must have been saved by; {@link indexCodeVersion} unless a test says otherwise. */
  readonly codeVersion?: string | undefined;
}

/** How many items (index terms, stems, words) go into one chunk: a few milliseconds of `JSON.parse` each. */
export const DEFAULT_SNAPSHOT_CHUNK_ITEMS = 2000;

interface Header {
  readonly format: number;
  readonly codeVersion: string;
  /** Each document in corpus order: its file, content hash and passage count. */
  readonly documents: readonly (readonly [string, string, number])[];
  /** The MiniSearch serialization without its term index (that is in the `index` chunks). */
  readonly search: Omit<CapturedIndex['search'], 'index'>;
  /** Byte length of each chunk, by kind, in the order they follow the header. */
  readonly chunks: {
    readonly index: readonly number[];
    readonly frequencies: readonly number[];
    readonly words: readonly number[];
    readonly slots: readonly number[];
  };
}

let codeVersion: Promise<string> | undefined;

/**
 * A hash of the code a saved index depends on: the snapshot format and every source file of `src/search` and
 * `src/corpus` (analysis, parsing, passages). The compiled programs (tsc's `dist/src/` and the bundles in
 * `dist/bundle/`, which the launcher keeps no older than the source) hash the same source files, so they and `tsx`
 * share snapshots; only without `src/` in the project do they hash tsc's compiled files instead. Any change to them,
 * even one that would not change the index, makes old snapshots stale. The packages it uses (MiniSearch, the
 * stemmer) are not hashed: the lock file pins them.
 */
export function indexCodeVersion(): Promise<string> {
  return (codeVersion ??= (async () => {
    const tree = await hashedTree();
    const hash = createHash('sha256').update(`format ${INDEX_SNAPSHOT_FORMAT}\n`);
    for (const folder of [path.join(tree, 'search'), path.join(tree, 'corpus')]) {
      for (const name of (await readdir(folder)).sort()) {
        if (!/\.(?:ts|js)$/.test(name)) continue;
        hash.update(`${path.basename(folder)}/${name}\n`).update(await readFile(path.join(folder, name)));
      }
    }
    return hash.digest('hex').slice(0, 16);
  })());
}

/**
 * The project's `src/`, or `dist/src/` when the project has no `src/`. The project is the nearest folder above
 * this file holding a package.json: this file may be `src/search/index-snapshot.ts`, tsc's
 * `dist/src/search/index-snapshot.js`, or inside a bundle such as `dist/bundle/src/console/main.js`.
 */
async function hashedTree(): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const isFolder = (folder: string): Promise<boolean> => stat(folder).then((info) => info.isDirectory(), () => false);
  for (let folder = here; ; folder = path.dirname(folder)) {
    if (await stat(path.join(folder, 'package.json')).then(() => true, () => false)) {
      for (const tree of [path.join(folder, 'src'), path.join(folder, 'dist', 'src')]) if (await isFolder(path.join(tree, 'search'))) return tree;
    }
    if (path.dirname(folder) === folder) return path.join(here, '..');
  }
}

/** The snapshot file of a corpus folder: one per folder, so two corpora sharing a cache do not replace each other's. */
export function indexSnapshotFile(directory: string, corpusDirectory: string): string {
  return path.join(directory, `index-${createHash('sha256').update(corpusDirectory).digest('hex').slice(0, 16)}.bin`);
}

function documentsOf(corpus: Corpus): [string, string, number][] {
  return corpus.documents.map((document) => {
    const hash = contentHashOf(document);
    if (hash === undefined) throw new Error(`index snapshot: ${document.file} was not loaded from a file`);
    return [document.file, hash, document.passages.length];
  });
}

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** JSON arrays of `chunkItems` items each, one pause between chunks. */
async function chunksOf(items: readonly unknown[], chunkItems: number): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for (let start = 0; start < items.length; start += chunkItems) {
    chunks.push(Buffer.from(JSON.stringify(items.slice(start, start + chunkItems))));
    await pause();
  }
  return chunks;
}

/** SHA-256 of `bytes`, hashed 8 MB at a time with a pause between (a 100 MB file takes a few hundred ms to hash). */
async function sha256(bytes: Buffer): Promise<Buffer> {
  const hash = createHash('sha256');
  for (let start = 0; start < bytes.length; start += 8 * 1024 * 1024) {
    hash.update(bytes.subarray(start, start + 8 * 1024 * 1024));
    await pause();
  }
  return hash.digest();
}

/**
 * Saves `captured` (the index of `corpus`, see {@link PassageIndex.capture}) with the corpus's document hashes and
 * the code version: to a temporary file renamed over the old one, so no reader ever sees half a snapshot.
 */
export async function saveIndexSnapshot(
  corpus: Corpus,
  captured: CapturedIndex,
  options: IndexSnapshotOptions,
  chunkItems = DEFAULT_SNAPSHOT_CHUNK_ITEMS,
): Promise<void> {
  const { index, ...search } = captured.search;
  const chunks = {
    index: await chunksOf(index, chunkItems),
    frequencies: await chunksOf(captured.frequencies, chunkItems),
    words: await chunksOf(captured.words, chunkItems),
    slots: await chunksOf(captured.slots, chunkItems * 10),
  };
  const header: Header = {
    format: INDEX_SNAPSHOT_FORMAT,
    codeVersion: options.codeVersion ?? (await indexCodeVersion()),
    documents: documentsOf(corpus),
    search,
    chunks: {
      index: chunks.index.map((chunk) => chunk.length),
      frequencies: chunks.frequencies.map((chunk) => chunk.length),
      words: chunks.words.map((chunk) => chunk.length),
      slots: chunks.slots.map((chunk) => chunk.length),
    },
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const body = Buffer.concat([MAGIC, length, headerBytes, ...chunks.index, ...chunks.frequencies, ...chunks.words, ...chunks.slots]);
  const file = indexSnapshotFile(options.directory, corpus.directory);
  await mkdir(options.directory, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, Buffer.concat([body, await sha256(body)]));
  await rename(temporary, file);
}

/**
 * The index of `corpus` from its snapshot, when there is one saved by this code from a corpus whose every document
 * (file, content hash, order) is the same; otherwise undefined, after one log line naming the snapshot and why it
 * was not used (none for a snapshot not yet written). Nothing of a snapshot is trusted before its checksum is.
 */
export async function loadIndexSnapshot(
  corpus: Corpus,
  options: IndexSnapshotOptions,
  indexOptions: PassageIndexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS,
): Promise<PassageIndex | undefined> {
  const file = indexSnapshotFile(options.directory, corpus.directory);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.log(`index snapshot: ${file} cannot be read (${(error as Error).message}); building the index`);
    return undefined;
  }
  try {
    return await readSnapshot(bytes, corpus, options, indexOptions);
  } catch (error) {
    options.log(`index snapshot: ${file} ${(error as Error).message}; building the index`);
    return undefined;
  }
}

/** Throws, with what is wrong as the message, for a snapshot that does not fit `corpus` or this code. */
async function readSnapshot(bytes: Buffer, corpus: Corpus, options: IndexSnapshotOptions, indexOptions: PassageIndexOptions): Promise<PassageIndex> {
  if (bytes.length < MAGIC.length + 4 + CHECKSUM_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('is not an index snapshot of this format');
  }
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  if (!(await sha256(body)).equals(bytes.subarray(bytes.length - CHECKSUM_BYTES))) {
    throw new Error('is damaged or truncated (checksum mismatch)');
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as Header;
  if (header.format !== INDEX_SNAPSHOT_FORMAT) throw new Error(`is of format ${String(header.format)}, not ${INDEX_SNAPSHOT_FORMAT}`);
  const code = options.codeVersion ?? (await indexCodeVersion());
  if (header.codeVersion !== code) throw new Error(`was saved by another code version (${String(header.codeVersion)}, now ${code})`);
  const documents = documentsOf(corpus);
  const saved = header.documents;
  const differs = documents.findIndex((document, i) => document.join('\0') !== saved[i]?.join('\0'));
  if (differs !== -1 || saved.length !== documents.length) {
    const which = differs !== -1 ? documents[differs]![0] : `${saved.length} documents, the corpus has ${documents.length}`;
    throw new Error(`is stale: the corpus changed since it was saved (${which})`);
  }

  let offset = MAGIC.length + 4 + headerLength;
  const parse = async <T>(lengths: readonly number[]): Promise<T[]> => {
    const items: T[] = [];
    for (const length of lengths) {
      for (const item of JSON.parse(bytes.toString('utf8', offset, offset + length)) as T[]) items.push(item);
      offset += length;
      await pause();
    }
    return items;
  };
  const index = await parse<CapturedIndex['search']['index'][number]>(header.chunks.index);
  const frequencies = await parse<[string, number]>(header.chunks.frequencies);
  const words = await parse<[string, string, number]>(header.chunks.words);
  const slots = await parse<string | null>(header.chunks.slots);
  if (offset !== body.length) throw new Error('has a size that does not match its header');
  return PassageIndex.restore(corpus, { search: { ...header.search, index }, frequencies, words, slots }, indexOptions);
}
