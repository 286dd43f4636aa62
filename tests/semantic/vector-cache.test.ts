import { readFile, rename, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VectorCache } from '../../src/semantic/vector-cache.js';
import { makeTempDir, removeTempDirs } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

const vector = (seed: number): Float32Array => Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed + i));

/** A cache of model `m1` holding two sentences, saved to a fresh folder. */
async function savedCache(): Promise<{ directory: string; file: string }> {
  const directory = await makeTempDir();
  const cache = await VectorCache.open(directory, 'm1', 8);
  cache.set('The station was seized.', vector(1));
  cache.set('The army retook it.', vector(2));
  await cache.save();
  return { directory, file: cache.file };
}

describe('VectorCache', () => {
  it('gives back, after a restart, the vectors saved for each text, and nothing for texts it has not seen', async () => {
    const { directory } = await savedCache();
    const reopened = await VectorCache.open(directory, 'm1', 8);
    expect(reopened.problem).toBeUndefined();
    expect(reopened.size).toBe(2);
    expect(reopened.get('The army retook it.')).toEqual(vector(2));
    expect(reopened.get('The station was seized.')).toEqual(vector(1));
    expect(reopened.get('Something never embedded.')).toBeUndefined();
  });

  it('starts empty, without complaint, when there is no cache file yet', async () => {
    const cache = await VectorCache.open(await makeTempDir(), 'm1', 8);
    expect(cache.problem).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps each model in its own file, so another model finds none of the first one\'s vectors', async () => {
    const { directory } = await savedCache();
    const other = await VectorCache.open(directory, 'm2', 8);
    expect(other.size).toBe(0);
    expect(other.problem).toBeUndefined();
  });

  it.each([
    ['truncated', (file: string) => truncate(file, 100), /damaged or truncated/],
    ['with one byte changed', async (file: string) => {
      const bytes = await readFile(file);
      bytes[bytes.length - 40]! ^= 0xff;
      await writeFile(file, bytes);
    }, /damaged or truncated/],
    ['not a cache at all', (file: string) => writeFile(file, 'hello, I am a text file that happens to have this name\n'), /not a vector cache/],
  ])('names a cache file that is %s, trusts none of it, and replaces it at the next save', async (_label, damage, problem) => {
    const { directory, file } = await savedCache();
    await damage(file);
    const damaged = await VectorCache.open(directory, 'm1', 8);
    expect(damaged.problem).toMatch(problem);
    expect(damaged.size).toBe(0);
    damaged.set('The army retook it.', vector(3));
    await damaged.save();
    const rebuilt = await VectorCache.open(directory, 'm1', 8);
    expect(rebuilt.problem).toBeUndefined();
    expect(rebuilt.get('The army retook it.')).toEqual(vector(3));
  });

  it('refuses a file of another model put in its place', async () => {
    const { directory, file } = await savedCache();
    const mine = await VectorCache.open(directory, 'm2', 8);
    await rename(file, mine.file);
    const foreign = await VectorCache.open(directory, 'm2', 8);
    expect(foreign.problem).toMatch(/another model \(m1\)/);
    expect(foreign.size).toBe(0);
  });

  it('writes nothing when nothing was added', async () => {
    const directory = await makeTempDir();
    const cache = await VectorCache.open(directory, 'm1', 8);
    await cache.save();
    await expect(readFile(path.join(directory, path.basename(cache.file)))).rejects.toThrow(/ENOENT/);
  });
});
