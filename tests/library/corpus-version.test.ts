import { afterAll, describe, expect, it } from 'vitest';
import { corpusVersion } from '../../src/library/corpus-version.js';
import { Library } from '../../src/library/library.js';
import { copyBundledCorpus, makeCorpus, removeTempDirs, SMALL_DOCUMENT, writeCorpus } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

describe('corpusVersion', () => {
  it('is the same for two copies of the same files, however often each was reloaded', async () => {
    const [a, b] = await Promise.all([copyBundledCorpus(), copyBundledCorpus()]);
    const first = await Library.load(a);
    const second = await Library.load(b);
    await second.reload();
    await second.reload();
    const version = await corpusVersion(first.current.engine.corpus);
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(await corpusVersion(second.current.engine.corpus)).toBe(version);
  });

  it('changes when only a Markdown heading changes', async () => {
    const markdown = (heading: string): string => `---\nid: floods\ntitle: Floods\nsource: S\n---\n## ${heading}\n\nRescue teams evacuated 120 families.\n`;
    const directory = await makeCorpus({ documents: { 'floods.md': markdown('Rescue') } });
    const library = await Library.load(directory);
    const before = await corpusVersion(library.current.engine.corpus);
    await writeCorpus(directory, { documents: { 'floods.md': markdown('Evacuation') } });
    await library.reload();
    expect(await corpusVersion(library.current.engine.corpus)).not.toBe(before);
  });

  it('changes when a document is added, and when only the glossary changes', async () => {
    const directory = await copyBundledCorpus();
    const library = await Library.load(directory);
    const versions = [await corpusVersion(library.current.engine.corpus)];
    await writeCorpus(directory, { documents: { 'flood.txt': SMALL_DOCUMENT } });
    await library.reload();
    versions.push(await corpusVersion(library.current.engine.corpus));
    await writeCorpus(directory, { glossary: { entries: [{ terms: ['river', 'stream'] }] } });
    await library.reload();
    versions.push(await corpusVersion(library.current.engine.corpus));
    expect(new Set(versions).size).toBe(3);
  });
});
