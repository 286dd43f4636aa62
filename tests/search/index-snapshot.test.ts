import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import type { Corpus } from '../../src/corpus/types.js';
import { stemWord } from '../../src/search/analyzer.js';
import { readIndexSnapshot, saveIndexSnapshot, type IndexSnapshotOptions } from '../../src/search/index-snapshot.js';
import { PassageIndex, type CapturedIndex } from '../../src/search/passage-index.js';
import { makeCorpus, makeTempDir, removeTempDirs, writeCorpus } from '../fixtures/corpus.js';
import { article, days, INDEX_TEST_OPTIONS, RIVER_QUERIES, riverCorpusBeforeAndAfter } from '../fixtures/river-corpus.js';

afterAll(removeTempDirs);


/** The index of `corpus` from the snapshot of its folder, as a start loads it. */
const loadSnapshot = async (corpus: Corpus, snapshot: IndexSnapshotOptions): Promise<PassageIndex | undefined> =>
  (await (await readIndexSnapshot(corpus.directory, snapshot))?.indexFor(corpus, INDEX_TEST_OPTIONS))?.index;

/**
 * Everything a search of the index gives, and what it counts and suggests. Scores are rounded to six digits
 * with `digits`: an index updated in place keeps MiniSearch's running average field lengths, which differ from a
 * fresh build's in the last bits (see tests/search/passage-index.test.ts).
 */
function behaviourOf(index: PassageIndex, digits = Infinity): unknown {
  const round = (score: number): number => (digits === Infinity ? score : Math.round(score * 10 ** digits));
  return {
    order: index.entries.map((entry) => entry.passage.id),
    searched: RIVER_QUERIES.map((query) => index.find(query, 3000).map((hit) => ({ id: hit.entry.passage.id, score: round(hit.score) }))),
    frequencies: ['river', 'harbour', 'wall', 'flooded', 'hours', 'days'].map((word) => index.documentFrequency(stemWord(word))),
    similar: [index.similarWords('wal', 1), index.similarWords('harbor', 1), index.similarWords('rivr', 2)],
  };
}

describe('an index loaded from its snapshot', () => {
  it('gives back each passage as the corpus loader made it, a Markdown section and a caption\'s credit included', async () => {
    const markdown = '---\nid: beta\ntitle: Beta\nsource: S\n---\n## The harbour\n\nThe **wall** held.\n\n- boats\n- nets\n\nA boat [Source: Wire]\n';
    const directory = await makeCorpus({ documents: { 'beta.md': markdown, 'gamma.txt': article('gamma', days(3, (i) => `The harbour wall held for ${i} days.`)) } });
    const corpus = await loadCorpus(directory);
    const snapshot = { directory: await makeTempDir(), log: (line: string) => expect.fail(line) };
    await saveIndexSnapshot(corpus, (await (await PassageIndex.build(corpus, INDEX_TEST_OPTIONS)).capture(INDEX_TEST_OPTIONS))!, snapshot);
    const saved = await readIndexSnapshot(directory, snapshot);
    expect(saved?.documents.documents.map((document) => document.passages)).toEqual(corpus.documents.map((document) => document.passages));
    expect(saved?.documents.documents[0]?.passages.map((passage) => passage.section)).toEqual(['The harbour', 'The harbour', 'The harbour']);
  });

  it('searches, counts and suggests exactly as the index it was saved from, even one a reload updated in place', async () => {
    const { before, after, directory } = await riverCorpusBeforeAndAfter();
    let updated: PassageIndex | undefined;
    await PassageIndex.update(await PassageIndex.build(before, INDEX_TEST_OPTIONS), before, after, (index) => (updated = index), INDEX_TEST_OPTIONS);

    const cache = await makeTempDir();
    const lines: string[] = [];
    const snapshot = { directory: cache, log: (line: string) => lines.push(line) };
    // Small chunks, so the snapshot is many of them.
    await saveIndexSnapshot(after, (await updated!.capture(INDEX_TEST_OPTIONS))!, snapshot, 1000);
    const restarted = await loadCorpus(directory);
    const loaded = await loadSnapshot(restarted, snapshot);
    expect(lines).toEqual([]);
    expect(loaded?.origin).toBe('snapshot');
    // The restart's corpus is a new load, so its passages are other objects: compare what the two indexes do,
    // scores to the last bit.
    expect(behaviourOf(loaded!)).toEqual(behaviourOf(updated!));
    expect(behaviourOf(loaded!, 6)).toEqual(behaviourOf(await PassageIndex.build(restarted, INDEX_TEST_OPTIONS), 6));
  }, 60_000);

  it('is updated by a reload as a built index is', async () => {
    const directory = await makeCorpus({
      documents: {
        'alpha.txt': article('alpha', days(300, (i) => `The river rose in town on day ${i}.`)),
        'gamma.txt': article('gamma', days(30, (i) => `The harbour wall held for ${i} days.`)),
      },
    });
    const cache = await makeTempDir();
    const snapshot = { directory: cache, log: (line: string) => expect.fail(line) };
    const before = await loadCorpus(directory);
    await saveIndexSnapshot(before, (await (await PassageIndex.build(before, INDEX_TEST_OPTIONS)).capture(INDEX_TEST_OPTIONS))!, snapshot);
    const loaded = await loadSnapshot(before, snapshot);
    await writeCorpus(directory, { documents: { 'delta.txt': article('delta', days(20, (i) => `Rain flooded the river town harbour for ${i} hours.`)) } });
    const after = await loadCorpus(directory, undefined, before);
    let updated: PassageIndex | undefined;
    await PassageIndex.update(loaded!, before, after, (index) => (updated = index), INDEX_TEST_OPTIONS);
    expect(behaviourOf(updated!, 6)).toEqual(behaviourOf(await PassageIndex.build(after, INDEX_TEST_OPTIONS), 6));
  });

  it('is not captured from an index a reload changed while it was being copied', async () => {
    const directory = await makeCorpus({ documents: { 'alpha.txt': article('alpha', days(300, (i) => `The river rose in town on day ${i}.`)) } });
    const before = await loadCorpus(directory);
    const index = await PassageIndex.build(before, INDEX_TEST_OPTIONS);
    await writeCorpus(directory, { documents: { 'delta.txt': article('delta', days(5, (i) => `Rain flooded the harbour for ${i} hours.`)) } });
    const after = await loadCorpus(directory, undefined, before);
    // The copy pauses after its first step; the update, given slices longer than it lasts, changes the index at once.
    const copying = index.capture({ ...INDEX_TEST_OPTIONS, sliceMilliseconds: -1 });
    void PassageIndex.update(index, before, after, () => undefined, { ...INDEX_TEST_OPTIONS, sliceMilliseconds: 60_000 });
    expect(await copying).toBeUndefined();
  });

  it.each([
    [
      'that does not hold the corpus passages it claims',
      (captured: CapturedIndex): CapturedIndex => ({ ...captured, slots: captured.slots.map((id, i) => (i === 0 ? 'gamma#p999' : id)) }),
      'the saved index names passages the corpus does not hold',
    ],
    [
      'indexed under other fields than this code indexes',
      (captured: CapturedIndex): CapturedIndex => ({
        ...captured,
        search: { ...captured.search, fieldIds: Object.fromEntries(Object.entries(captured.search.fieldIds).map(([field, id]) => [field, 1 - id])) },
      }),
      'the saved index has other fields than this code indexes',
    ],
  ])('%s is refused with a log line, whatever its checksum says', async (_, alter, problem) => {
    const directory = await makeCorpus({ documents: { 'gamma.txt': article('gamma', days(30, (i) => `The harbour wall held for ${i} days.`)) } });
    const cache = await makeTempDir();
    const lines: string[] = [];
    const snapshot = { directory: cache, log: (line: string) => lines.push(line) };
    const corpus = await loadCorpus(directory);
    // A consistent, well-formed file whose content does not fit.
    await saveIndexSnapshot(corpus, alter((await (await PassageIndex.build(corpus, INDEX_TEST_OPTIONS)).capture(INDEX_TEST_OPTIONS))!), snapshot);
    expect(await loadSnapshot(corpus, snapshot)).toBeUndefined();
    const [file] = await readdir(cache);
    expect(lines).toEqual([`index snapshot: ${path.join(cache, file!)} passage index: ${problem}; building the index`]);
  });
});
