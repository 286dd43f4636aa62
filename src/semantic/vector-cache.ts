import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../files/write-atomically.js';

/**
 * File layout, little-endian: MAGIC, a u32 header length, the JSON header, then `count` records of a 16-byte
 * key (the start of the text's SHA-256) and `dimensions` float32s, then the SHA-256 of everything before it.
 */
const MAGIC = Buffer.from('INCIDENT-DESK-VECTORS-1\n', 'latin1');
const KEY_BYTES = 16;
const CHECKSUM_BYTES = 32;

interface Header {
  readonly modelId: string;
  readonly dimensions: number;
  readonly count: number;
}

/** The key a text's vector is kept under. */
export function textKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, KEY_BYTES * 2);
}

/**
 * Sentence vectors kept on disk between runs, one file per model, keyed by a hash of the text, so a restart or a
 * reload embeds only sentences it has not seen. A file that is truncated, damaged, from another model or of
 * another format is reported (`problem`) and treated as empty; it is replaced at the next save.
 */
export class VectorCache {
  private readonly vectors = new Map<string, Float32Array>();
  private dirty = false;

  private constructor(
    /** The cache file. */
    readonly file: string,
    readonly modelId: string,
    readonly dimensions: number,
    /** Why the file on disk was not used, when it was not. */
    readonly problem: string | undefined,
  ) {}

  /** The cache of `modelId` in `directory`, read from disk when there is a usable file. */
  static async open(directory: string, modelId: string, dimensions: number): Promise<VectorCache> {
    const file = path.join(directory, `vectors-${modelId.replace(/[^\w.@-]+/g, '_')}.bin`);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return new VectorCache(file, modelId, dimensions, missing ? undefined : `cannot be read: ${(error as Error).message}`);
    }
    const cache = new VectorCache(file, modelId, dimensions, undefined);
    const problem = cache.read(bytes);
    if (problem === undefined) return cache;
    return new VectorCache(file, modelId, dimensions, problem);
  }

  get size(): number {
    return this.vectors.size;
  }

  get(text: string): Float32Array | undefined {
    return this.vectors.get(textKey(text));
  }

  set(text: string, vector: Float32Array): void {
    this.vectors.set(textKey(text), vector);
    this.dirty = true;
  }

  /** Writes the cache if anything was added: to a temporary file renamed over the old one, so no reader sees half. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const header = Buffer.from(JSON.stringify({ modelId: this.modelId, dimensions: this.dimensions, count: this.vectors.size } satisfies Header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    const recordBytes = KEY_BYTES + this.dimensions * 4;
    const records = Buffer.alloc(this.vectors.size * recordBytes);
    let offset = 0;
    for (const [key, vector] of this.vectors) {
      records.write(key, offset, 'hex');
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(records, offset + KEY_BYTES);
      offset += recordBytes;
    }
    const body = Buffer.concat([MAGIC, length, header, records]);
    const checksum = createHash('sha256').update(body).digest();
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeAtomically(this.file, Buffer.concat([body, checksum]));
  }

  /** Fills the cache from a file's bytes; returns what is wrong with them instead, filling nothing. */
  private read(bytes: Buffer): string | undefined {
    if (bytes.length < MAGIC.length + 4 + CHECKSUM_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
      return 'is not a vector cache of this version';
    }
    const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
    if (!createHash('sha256').update(body).digest().equals(bytes.subarray(bytes.length - CHECKSUM_BYTES))) {
      return 'is damaged or truncated (checksum mismatch)';
    }
    const headerLength = bytes.readUInt32LE(MAGIC.length);
    let header: Header;
    try {
      header = JSON.parse(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength).toString('utf8')) as Header;
    } catch {
      return 'has an unreadable header';
    }
    if (header.modelId !== this.modelId || header.dimensions !== this.dimensions) {
      return `holds vectors of another model (${String(header.modelId)})`;
    }
    const recordBytes = KEY_BYTES + this.dimensions * 4;
    const start = MAGIC.length + 4 + headerLength;
    if (!Number.isInteger(header.count) || start + header.count * recordBytes !== body.length) {
      return 'has a size that does not match its header';
    }
    for (let i = 0; i < header.count; i++) {
      const offset = start + i * recordBytes;
      const key = bytes.toString('hex', offset, offset + KEY_BYTES);
      // Copied out: a view into the file's buffer would keep the whole file alive, and may be misaligned.
      const vector = new Float32Array(this.dimensions);
      Buffer.from(vector.buffer).set(bytes.subarray(offset + KEY_BYTES, offset + recordBytes));
      this.vectors.set(key, vector);
    }
    return undefined;
  }
}
