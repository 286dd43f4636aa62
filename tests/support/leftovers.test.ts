import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../fixtures/corpus.js';
import { watchForLeftovers } from './leftovers.js';

describe('the check that the tests leave nothing behind', () => {
  it('names the files created in the tree and those left in the temporary folder, and removes that folder', async () => {
    const tree = await makeTempDir();
    const temporaryParent = await makeTempDir();
    await mkdir(path.join(tree, '.cache'));
    await writeFile(path.join(tree, '.cache', 'index-old.bin'), 'there before');
    const watch = watchForLeftovers(tree, temporaryParent);
    await writeFile(path.join(tree, '.cache', 'index-new.bin'), 'made by a test');
    await mkdir(path.join(tree, 'data'));
    await mkdir(path.join(tree, 'node_modules'));
    await writeFile(path.join(tree, 'node_modules', 'installed.js'), 'not the tests');
    await mkdir(path.join(watch.temporary, 'incident-desk-test-data-1'), { recursive: true });
    await mkdir(path.join(watch.temporary, 'tsx-0'));
    await writeFile(path.join(watch.temporary, 'tsx-0', 'compiled.js'), 'a tool cache');
    expect(watch.finish()).toEqual([
      `${path.join('.cache', 'index-new.bin')} (in the repository)`,
      'data/ (in the repository)',
      `${path.join(watch.temporary, 'incident-desk-test-data-1')}/ (in the run's temporary folder, now removed)`,
    ]);
    expect(existsSync(watch.temporary)).toBe(false);
  });

  it('finds nothing when a run removed what it made', async () => {
    const tree = await makeTempDir();
    const watch = watchForLeftovers(tree, await makeTempDir());
    expect(watch.finish()).toEqual([]);
  });
});
