import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/files/write-atomically.js';
import { makeTempDir } from '../fixtures/corpus.js';

describe('writeAtomically', () => {
  it('replaces the file whole and leaves no temporary file beside it', async () => {
    const folder = await makeTempDir();
    const file = path.join(folder, 'cache.bin');
    await writeFile(file, 'old');
    await writeAtomically(file, Buffer.from('new bytes'));
    expect(await readFile(file, 'utf8')).toBe('new bytes');
    expect(await readdir(folder)).toEqual(['cache.bin']);
  });

  it('removes its temporary file when the file cannot be replaced, and passes the error on', async () => {
    const folder = await makeTempDir();
    // A folder with something in it cannot be renamed over: the write succeeds, the rename fails.
    const file = path.join(folder, 'taken');
    await mkdir(file);
    await writeFile(path.join(file, 'inside'), 'x');
    await expect(writeAtomically(file, Buffer.from('bytes'))).rejects.toThrow();
    expect(await readdir(folder)).toEqual(['taken']);
  });
});
