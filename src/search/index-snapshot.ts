import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileRecordOf, rememberFile, type FileRecord } from '../corpus/load-corpus.js';
import { passageId } from '../corpus/passages.js';
import { writeAtomically } from '../files/write-atomically.js';
import type { Corpus, CorpusDocument, DocumentMeta, Passage } from '../corpus/types.js';
import { DEFAULT_PASSAGE_INDEX_OPTIONS, PassageIndex, type CapturedIndex, type CapturedSearch, type CapturedTerm, type PassageIndexOptions } from './passage-index.js';
import { projectRoot } from '../project/root.js';

/**
 * File layout: MAGIC, a u32 (little-endian) header length, the JSON header, the chunks (each a JSON array, their
 * byte lengths in the header), then the SHA-256 of everything before it. The body is cut into chunks so that no
 * one `JSON.parse` holds the event loop long: one parse of the whole 100,000-passage index would.
 */
const MAGIC = Buffer.from('INCIDENT-DESK-INDEX-1\n', 'latin1');
const CHECKSUM_BYTES = 32;

/**
 * The snapshot's format. Bump it when what is saved changes shape; a change to the analysis (tokens, stems, context)
 * or to parsing needs no bump, as the code version ({@link indexCodeVersion}) hashes that code.
 */
export const INDEX_SNAPSHOT_FORMAT = 5;

export interface IndexSnapshotOptions {
  /** The folder the snapshot is kept in (`CACHE_DIR`). */
  readonly directory: string;
  /** Where the one line saying why a snapshot was not used goes. */
  readonly log: (line: string) => void;
  /** The code version a snapshot must have been saved by; {@link indexCodeVersion} unless a test says otherwise. */
  readonly codeVersion?: string | undefined;
}

/**
 * About how many bytes of JSON go into one chunk: a few milliseconds of `JSON.parse` each. Cut by size, not count:
 * one common term lists most passages, and 2,000 terms made chunks of up to 7.6 MB at 100,000 passages.
 */
export const DEFAULT_SNAPSHOT_CHUNK_BYTES = 512 * 1024;

/** How many passages a start rebuilds from the saved documents between two pauses. */
const PASSAGES_PER_PAUSE = 2000;

/** A document as saved: its file, the file's content hash and signature (see `FileRecord`), its metadata and passage count. */
type SavedDocument = readonly [file: string, hash: string, signature: string | null, meta: DocumentMeta, passages: number];
/** A passage as saved: what its document and position do not give, its sentences as `[start, end, start, end…]`. */
type SavedPassage = readonly [text: string, kind: Passage['kind'], credit: string | null, sentences: readonly number[], section: string | null];

interface Header {
  readonly format: number;
  readonly codeVersion: string;
  /** Each document in corpus order. */
  readonly documents: readonly SavedDocument[];
  /** The MiniSearch index without its terms and field lengths (those are in the chunks). */
  readonly search: Omit<CapturedSearch, 'terms' | 'lengths'>;
  /** Byte length of each chunk, by kind, in the order they follow the header. */
  readonly chunks: Readonly<Record<ChunkKind, readonly number[]>>;
}

const CHUNK_KINDS = ['passages', 'terms', 'lengths', 'words', 'slots'] as const;
type ChunkKind = (typeof CHUNK_KINDS)[number];

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

/** The project's `src/`, or `dist/src/` when the project has no `src/` (see {@link projectRoot}). */
async function hashedTree(): Promise<string> {
  const isFolder = (folder: string): Promise<boolean> => stat(folder).then((info) => info.isDirectory(), () => false);
  const root = projectRoot();
  for (const tree of [path.join(root, 'src'), path.join(root, 'dist', 'src')]) if (await isFolder(path.join(tree, 'search'))) return tree;
  throw new Error(`index snapshot: no src/search under ${root}`);
}

/** The snapshot file of a corpus folder: one per folder, so two corpora sharing a cache do not replace each other's. */
export function indexSnapshotFile(directory: string, corpusDirectory: string): string {
  return path.join(directory, `index-${createHash('sha256').update(corpusDirectory).digest('hex').slice(0, 16)}.bin`);
}

/** What the corpus loader knew of a document's file; a document not loaded from a file cannot be saved or checked. */
function recordOf(document: CorpusDocument): FileRecord {
  const record = fileRecordOf(document);
  if (record === undefined) throw new Error(`index snapshot: ${document.file} was not loaded from a file`);
  return record;
}

/** What a start checks a corpus against: each document's file, content hash and passage count, in order. */
function fingerprintOf(corpus: Pick<Corpus, 'documents'>): string[] {
  return corpus.documents.map((document) => {
    const { hash } = recordOf(document);
    return `${document.file}\0${hash}\0${document.passages.length}`;
  });
}

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** JSON arrays of about `chunkBytes` each (an item is never split), one pause between chunks. */
async function chunksOf(items: readonly unknown[], chunkBytes: number): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  let parts: string[] = [];
  let size = 0;
  const cut = (): void => {
    chunks.push(Buffer.from(`[${parts.join(',')}]`));
    parts = [];
    size = 0;
  };
  for (const item of items) {
    const json = JSON.stringify(item);
    parts.push(json);
    size += json.length;
    if (size >= chunkBytes) {
      cut();
      await pause();
    }
  }
  if (parts.length > 0) cut();
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

function savedPassage(passage: Passage): SavedPassage {
  return [passage.text, passage.kind, passage.credit ?? null, passage.sentences.flatMap((sentence) => [sentence.start, sentence.end]), passage.section ?? null];
}

/**
 * Saves `captured` (the index of `corpus`, see {@link PassageIndex.capture}) with the corpus's documents, their files'
 * hashes and signatures, and the code version: to a temporary file renamed over the old one, so no reader ever sees
 * half a snapshot.
 */
export async function saveIndexSnapshot(
  corpus: Corpus,
  captured: CapturedIndex,
  options: IndexSnapshotOptions,
  chunkBytes = DEFAULT_SNAPSHOT_CHUNK_BYTES,
): Promise<void> {
  const documents = corpus.documents.map((document): SavedDocument => {
    const record = recordOf(document);
    return [document.file, record.hash, record.signature ?? null, document.meta, document.passages.length];
  });
  const { terms, lengths, ...search } = captured.search;
  const chunks: Record<ChunkKind, Buffer[]> = {
    passages: await chunksOf(corpus.documents.flatMap((document) => document.passages.map(savedPassage)), chunkBytes),
    terms: await chunksOf(terms, chunkBytes),
    lengths: await chunksOf(lengths, chunkBytes),
    words: await chunksOf(captured.words, chunkBytes),
    slots: await chunksOf(captured.slots, chunkBytes),
  };
  const sizes = {} as Record<ChunkKind, number[]>;
  for (const kind of CHUNK_KINDS) sizes[kind] = chunks[kind].map((chunk) => chunk.length);
  const header: Header = {
    format: INDEX_SNAPSHOT_FORMAT,
    codeVersion: options.codeVersion ?? (await indexCodeVersion()),
    documents,
    search,
    chunks: sizes,
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const body = Buffer.concat([MAGIC, length, headerBytes, ...CHUNK_KINDS.flatMap((kind) => chunks[kind])]);
  const file = indexSnapshotFile(options.directory, corpus.directory);
  await mkdir(options.directory, { recursive: true });
  await writeAtomically(file, Buffer.concat([body, await sha256(body)]));
}

/** A snapshot read and checked (checksum, format, code version), not yet matched to a corpus. */
export interface SavedIndex {
  /**
   * The documents it was saved with, for the corpus loader as the previous load's: an unchanged file's document is
   * taken from here, not read (its signature matches) or not parsed (its hash does).
   */
  readonly documents: Pick<Corpus, 'documents'>;
  /**
   * The index of `corpus`, restored: as saved when its every document (file, content hash, passage count, order)
   * is one the index was saved with; `updated` when only a few documents changed (as many passages as a reload
   * changes in place), so the saved index was restored and then updated as a reload would; otherwise undefined.
   * Anything but the first is named in one log line with the snapshot and why.
   */
  indexFor(corpus: Corpus, indexOptions?: PassageIndexOptions): Promise<{ readonly index: PassageIndex; readonly updated: boolean } | undefined>;
}

/**
 * The snapshot of the corpus folder `corpusDirectory`, when there is one saved by this code; otherwise undefined,
 * after one log line naming the snapshot and why it was not used (none for a snapshot not yet written). Nothing of
 * a snapshot is trusted before its checksum is.
 */
export async function readIndexSnapshot(corpusDirectory: string, options: IndexSnapshotOptions): Promise<SavedIndex | undefined> {
  let file: string;
  let bytes: Buffer;
  try {
    file = indexSnapshotFile(options.directory, await realpath(corpusDirectory));
  } catch {
    return undefined; // No corpus folder: the corpus loader names the problem.
  }
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.log(`index snapshot: ${file} cannot be read (${(error as Error).message}); building the index`);
    return undefined;
  }
  const refuse = (error: unknown): undefined => {
    options.log(`index snapshot: ${file} ${(error as Error).message}; building the index`);
    return undefined;
  };
  try {
    return await readSnapshot(file, bytes, options, refuse);
  } catch (error) {
    return refuse(error);
  }
}

/** Throws, with what is wrong as the message, for a snapshot that is damaged or not of this format and code. */
async function readSnapshot(file: string, bytes: Buffer, options: IndexSnapshotOptions, refuse: (error: unknown) => undefined): Promise<SavedIndex> {
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

  // Where each kind's chunks start, and that they end where the checksum begins.
  const starts = new Map<ChunkKind, number>();
  let end = MAGIC.length + 4 + headerLength;
  for (const kind of CHUNK_KINDS) {
    starts.set(kind, end);
    for (const length of header.chunks[kind]) end += length;
  }
  if (end !== body.length) throw new Error('has a size that does not match its header');
  const parse = async <T>(kind: ChunkKind): Promise<T[]> => {
    const items: T[] = [];
    let offset = starts.get(kind)!;
    for (const length of header.chunks[kind]) {
      for (const item of JSON.parse(bytes.toString('utf8', offset, offset + length)) as T[]) items.push(item);
      offset += length;
      await pause();
    }
    return items;
  };
  const passages = await parse<SavedPassage>('passages');
  const documents: CorpusDocument[] = [];
  let next = 0;
  for (const [documentFile, hash, signature, meta, count] of header.documents) {
    const document: CorpusDocument = { meta, file: documentFile, passages: passages.slice(next, next + count).map((saved, i) => toPassage(meta.id, i + 1, saved)) };
    rememberFile(document, { hash, signature: signature ?? undefined });
    documents.push(document);
    if (Math.floor((next + count) / PASSAGES_PER_PAUSE) > Math.floor(next / PASSAGES_PER_PAUSE)) await pause();
    next += count;
  }
  if (next !== passages.length) throw new Error(`holds ${passages.length} passages, its documents ${next}`);
  const saved = { documents } satisfies Pick<Corpus, 'documents'>;
  const savedFingerprint = fingerprintOf(saved);

  return {
    documents: saved,
    async indexFor(corpus, indexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS) {
      try {
        const restore = async (of: Pick<Corpus, 'documents'>): Promise<PassageIndex> => {
          const terms = await parse<CapturedTerm>('terms');
          const lengths = await parse<number>('lengths');
          const words = await parse<[string, string, number]>('words');
          const slots = await parse<string | null>('slots');
          return PassageIndex.restore(of, { search: { ...header.search, terms, lengths }, words, slots }, indexOptions);
        };
        const fingerprint = fingerprintOf(corpus);
        const differs = fingerprint.findIndex((document, i) => document !== savedFingerprint[i]);
        if (differs === -1 && fingerprint.length === savedFingerprint.length) return { index: await restore(corpus), updated: false };

        const which = differs !== -1 ? corpus.documents[differs]!.file : `${savedFingerprint.length} documents, the corpus has ${fingerprint.length}`;
        const stale = `is stale: the corpus changed since it was saved (${which})`;
        // The corpus loader kept every unchanged file's saved document (the same object): the rest changed.
        if (!PassageIndex.updatesInPlace(saved, corpus, indexOptions)) throw new Error(stale);
        options.log(`index snapshot: ${file} ${stale}; updating it`);
        let updated: PassageIndex | undefined;
        await PassageIndex.update(await restore(saved), saved, corpus, (index) => (updated = index), indexOptions);
        return { index: updated!, updated: true };
      } catch (error) {
        return refuse(error);
      }
    },
  };
}

function toPassage(documentId: string, position: number, [text, kind, credit, sentences, section]: SavedPassage): Passage {
  const spans = [];
  for (let i = 0; i + 1 < sentences.length; i += 2) spans.push({ start: sentences[i]!, end: sentences[i + 1]! });
  return {
    id: passageId(documentId, position),
    documentId,
    position,
    kind,
    text,
    sentences: spans,
    credit: credit ?? undefined,
    ...(section === null ? {} : { section }),
  };
}
