import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesRead } from '../support/bytes-read.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { DEFAULT_LIBRARY_OPTIONS, Library, type LibraryOptions } from '../../src/library/library.js';
import { indexSnapshotFile } from '../../src/search/index-snapshot.js';
import { copyBundledCorpus, documentFile, makeTempDir, removeTempDirs, SMALL_DOCUMENT, writeCorpus } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

const QUESTIONS = [
  'How many hostage-takers were killed?',
  'Who attacked the police station in Bannu?',
  'What did the militants demand?',
  'how many soldiers died',
  'wat happend in bannu',
  'Who flooded the valley?',
];

/** A copy of the bundled corpus with a second document, a cache folder, and options that log into `lines`. */
async function setUp(codeVersion?: string): Promise<{ corpus: string; cache: string; lines: string[]; options: LibraryOptions }> {
  const corpus = await copyBundledCorpus();
  await writeCorpus(corpus, { documents: { 'flood.txt': SMALL_DOCUMENT } });
  const cache = await makeTempDir();
  const lines: string[] = [];
  const options = { ...DEFAULT_LIBRARY_OPTIONS, indexSnapshot: { directory: cache, log: (line: string) => lines.push(line), codeVersion } };
  return { corpus, cache, lines, options };
}

/** Loads, then waits for the snapshot save the load may have started. */
async function load(corpus: string, options: LibraryOptions): Promise<Library> {
  const library = await Library.load(corpus, options);
  await library.indexSaved();
  return library;
}

async function answersOf(library: Library): Promise<unknown[]> {
  return Promise.all(QUESTIONS.map((question) => library.answer(question)));
}

async function snapshotFile(cache: string): Promise<string> {
  const [name, ...others] = await readdir(cache);
  expect(others).toEqual([]);
  return path.join(cache, name!);
}

describe('the index snapshot', () => {
  it('is saved after a build, and a restart with the corpus unchanged loads it instead of building', async () => {
    const { corpus, cache, lines, options } = await setUp();
    const first = await load(corpus, options);
    expect(first.current.engine.indexOrigin).toBe('built');
    expect(await snapshotFile(cache)).toBe(indexSnapshotFile(cache, first.current.engine.corpus.directory));

    const restarted = await load(corpus, options);
    expect(restarted.current.engine.indexOrigin).toBe('snapshot');
    expect(restarted.current.engine.passageCount).toBe(first.current.engine.passageCount);
    expect(lines).toEqual([]);
  });

  it('gives the same answers after a restart from the snapshot as after a fresh build', async () => {
    const { corpus, options } = await setUp();
    const built = await load(corpus, options);
    const restarted = await load(corpus, options);
    expect(restarted.current.engine.indexOrigin).toBe('snapshot');
    const fresh = await answersOf(built);
    expect(fresh.some((answer) => (answer as { answered: boolean }).answered)).toBe(true);
    expect(await answersOf(restarted)).toEqual(fresh);
  });

  it('gives a restart the documents the snapshot saved, the same as parsing the files again', async () => {
    const { corpus, options } = await setUp();
    await load(corpus, options);
    const restarted = await load(corpus, options);
    expect(restarted.current.engine.indexOrigin).toBe('snapshot');
    expect(restarted.current.engine.corpus.documents).toStrictEqual((await loadCorpus(corpus)).documents);
  });

  it.runIf(process.platform === 'linux')('lets a restart skip reading the files unchanged since it was saved', async () => {
    const { corpus, cache, options } = await setUp();
    const big = documentFile({ id: 'big', title: 'Big', source: 'S' }, Array.from({ length: 4000 }, (_, i) => `Paragraph ${i} of a long report on the flood.`));
    await writeCorpus(corpus, { documents: { 'big.txt': big } });
    // Files just written are read again until two seconds have passed; a test trusts them at once.
    const trusting = { ...options, corpus: { ...options.corpus, trustFileTimesAfterMs: 0 } };
    await load(corpus, trusting);
    const snapshotBytes = (await stat(await snapshotFile(cache))).size;
    const before = await bytesRead();
    expect((await load(corpus, trusting)).current.engine.indexOrigin).toBe('snapshot');
    expect((await bytesRead()) - before - snapshotBytes).toBeLessThan(big.length / 4);
  });

  it.runIf(process.platform === 'linux')('lets the first reload after a restart read no unchanged file, though the files were written just before', async () => {
    const { corpus, options } = await setUp();
    const big = documentFile({ id: 'big', title: 'Big', source: 'S' }, Array.from({ length: 4000 }, (_, i) => `Paragraph ${i} of a long report on the flood.`));
    await writeCorpus(corpus, { documents: { 'big.txt': big } });
    // A margin of one second instead of two: the start and the restart both come within it.
    const soon = { ...options, corpus: { ...options.corpus, trustFileTimesAfterMs: 1000 } };
    await load(corpus, soon);
    const restarted = await load(corpus, soon);
    expect(restarted.current.engine.indexOrigin).toBe('snapshot');
    await restarted.filesTrusted();
    const before = await bytesRead();
    expect((await restarted.reload()).ok).toBe(true);
    expect((await bytesRead()) - before).toBeLessThan(big.length / 10);
  });

  it('is stale once a corpus file changed: the restart names it in one log line, updates the saved index as a reload would, and saves it again', async () => {
    const { corpus, cache, lines, options } = await setUp();
    await load(corpus, options);
    const file = path.join(corpus, 'documents', 'flood.txt');
    await writeFile(file, `${(await readFile(file, 'utf8')).trimEnd()} Boats reached the last village at noon.\n`);

    const updated = await load(corpus, options);
    expect(updated.current.engine.indexOrigin).toBe('snapshot');
    expect(lines).toEqual([`index snapshot: ${await snapshotFile(cache)} is stale: the corpus changed since it was saved (documents/flood.txt); updating it`]);
    expect(await answersOf(updated)).toEqual(await answersOf(await Library.load(corpus)));
    expect(updated.current.engine.corpus.documents.find((document) => document.file === 'documents/flood.txt')?.passages.at(-1)?.text).toContain('Boats reached');
    expect((await load(corpus, options)).current.engine.indexOrigin).toBe('snapshot');
    expect(lines).toHaveLength(1);
  });

  it('is stale once a document was added, and builds when more passages changed than a reload changes in place', async () => {
    const { corpus, lines, options } = await setUp();
    await load(corpus, options);
    await writeCorpus(corpus, { documents: { 'zz-second-flood.txt': SMALL_DOCUMENT.replace('id: flood-report', 'id: zz-second-flood') } });
    const inPlaceAtMost = (passages: number): LibraryOptions => ({ ...options, engine: { ...options.engine, index: { ...options.engine.index, maxPassagesUpdatedInPlace: passages } } });
    expect((await load(corpus, inPlaceAtMost(0))).current.engine.indexOrigin).toBe('built');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/is stale: the corpus changed since it was saved \(.*\); building the index$/);
  });

  it.each([
    ['truncated', (bytes: Buffer) => bytes.subarray(0, bytes.length - 100), 'is damaged or truncated (checksum mismatch)'],
    ['with one byte flipped', (bytes: Buffer) => Buffer.from(bytes).fill(bytes[bytes.length >> 1]! ^ 1, bytes.length >> 1, (bytes.length >> 1) + 1), 'is damaged or truncated (checksum mismatch)'],
    ['cut to a few bytes', (bytes: Buffer) => bytes.subarray(0, 10), 'is not an index snapshot of this format'],
    ['not a snapshot at all', () => Buffer.from('{"index": []}'), 'is not an index snapshot of this format'],
  ])('is not trusted when %s: the restart names it in one log line and builds', async (_, damage, problem) => {
    const { corpus, cache, lines, options } = await setUp();
    const built = await load(corpus, options);
    const file = await snapshotFile(cache);
    await writeFile(file, damage(await readFile(file)));

    const rebuilt = await load(corpus, options);
    expect(rebuilt.current.engine.indexOrigin).toBe('built');
    expect(lines).toEqual([`index snapshot: ${file} ${problem}; building the index`]);
    expect(await answersOf(rebuilt)).toEqual(await answersOf(built));
    // The build saved a good snapshot over the bad one.
    expect((await load(corpus, options)).current.engine.indexOrigin).toBe('snapshot');
  });

  it('is not trusted when another code version saved it', async () => {
    const { corpus, cache, options } = await setUp('code-a');
    await load(corpus, options);
    const lines: string[] = [];
    const other = { ...options, indexSnapshot: { directory: cache, log: (line: string) => lines.push(line), codeVersion: 'code-b' } };
    expect((await load(corpus, other)).current.engine.indexOrigin).toBe('built');
    expect(lines).toEqual([`index snapshot: ${await snapshotFile(cache)} was saved by another code version (code-a, now code-b); building the index`]);
  });

  it('is saved again after a reload changed a document, and a restart then loads the reloaded index', async () => {
    const { corpus, lines, options } = await setUp();
    const library = await load(corpus, options);
    await writeCorpus(corpus, { documents: { 'flood.txt': SMALL_DOCUMENT.replace('on Monday', 'on Tuesday, and again on Wednesday') } });
    expect((await library.reload()).ok).toBe(true);
    await library.indexSaved();

    const restarted = await load(corpus, options);
    expect(restarted.current.engine.indexOrigin).toBe('snapshot');
    const fresh = await Library.load(corpus);
    expect(await answersOf(restarted)).toEqual(await answersOf(fresh));
    expect(lines).toEqual([]);
  });

  it('is not saved at all without a cache folder in the options', async () => {
    const { corpus, cache } = await setUp();
    const library = await load(corpus, DEFAULT_LIBRARY_OPTIONS);
    expect(library.current.engine.indexOrigin).toBe('built');
    expect(await readdir(cache)).toEqual([]);
  });
});
