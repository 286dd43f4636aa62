import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { stemWord } from '../../src/search/analyzer.js';
import { DEFAULT_PASSAGE_INDEX_OPTIONS, PassageIndex } from '../../src/search/passage-index.js';
import { documentFile, makeCorpus, removeTempDirs } from '../fixtures/corpus.js';
import { INDEX_TEST_OPTIONS, RIVER_QUERIES, riverCorpusBeforeAndAfter } from '../fixtures/river-corpus.js';

let index: PassageIndex;

beforeAll(async () => {
  const directory = await makeCorpus({
    documents: {
      'flood.txt': documentFile({ id: 'flood', title: 'Flood', source: 'Wire' }, [
        'Heavy rain made the river flood the valley.',
        'Rescue teams evacuated 120 families from the villages.',
        'The river fell again on Friday.',
      ]),
    },
  });
  index = await PassageIndex.build(await loadCorpus(directory), { ...DEFAULT_PASSAGE_INDEX_OPTIONS, sliceMilliseconds: 0 });
});
afterAll(removeTempDirs);

describe('PassageIndex', () => {
  it('indexes every passage and finds it by its citation id', () => {
    expect(index.passageCount).toBe(3);
    expect(index.get('flood#p2')?.passage.text).toBe('Rescue teams evacuated 120 families from the villages.');
    expect(index.get('flood#p9')).toBeUndefined();
  });

  it('counts in how many passages a stem occurs, and indexes no stop words', () => {
    expect(index.documentFrequency(stemWord('river'))).toBe(2);
    expect(index.documentFrequency(stemWord('families'))).toBe(1);
    expect(index.documentFrequency('120')).toBe(1);
    expect(index.documentFrequency('the')).toBe(0);
  });

  it('counts a passage for a stem only its context holds in the search, not in the stem\'s document frequency', async () => {
    const directory = await makeCorpus({
      documents: {
        'raid.txt': documentFile({ id: 'raid', title: 'Raid', source: 'Wire' }, ['The Haqqani network attacked a checkpoint.', 'The group fled at dawn.']),
      },
    });
    const referring = await PassageIndex.build(await loadCorpus(directory), INDEX_TEST_OPTIONS);
    expect(referring.get('raid#p2')?.context).toContain('Haqqani');
    expect(referring.find(new Map([[stemWord('haqqani'), 1]]), 10).map((hit) => hit.entry.passage.id)).toEqual(['raid#p1', 'raid#p2']);
    expect(referring.documentFrequency(stemWord('haqqani'))).toBe(1);
  });

  it('gives a passage its section\'s title as context: a question naming the section finds the passages under it', async () => {
    const directory = await makeCorpus({
      documents: { 'raid.md': '---\nid: raid\ntitle: Raid\nsource: Wire\n---\nThe raid began at dawn.\n\n## Casualties\n\nTwo guards died.\n\nFour were hurt.\n' },
    });
    const sectioned = await PassageIndex.build(await loadCorpus(directory), INDEX_TEST_OPTIONS);
    expect(sectioned.get('raid#p1')?.context).toBeUndefined();
    expect(sectioned.get('raid#p3')?.context).toBe('Casualties');
    expect(sectioned.find(new Map([[stemWord('casualties'), 1]]), 10).map((hit) => hit.entry.passage.id).sort()).toEqual(['raid#p2', 'raid#p3']);
  });

  it('counts a word once per passage however often the passage repeats it, so removing the passage forgets the word', async () => {
    const directory = await makeCorpus({
      documents: {
        'levee.txt': documentFile({ id: 'levee', title: 'Levee', source: 'Wire' }, ['The levee broke; the levee was old, and the levee was never mended.']),
        'town.txt': documentFile({ id: 'town', title: 'Town', source: 'Wire' }, ['The town was flooded.']),
      },
    });
    const before = await loadCorpus(directory);
    await rm(path.join(directory, 'documents', 'levee.txt'));
    const after = await loadCorpus(directory, undefined, before);
    const previous = await PassageIndex.build(before, INDEX_TEST_OPTIONS);
    expect(previous.similarWords('levees', 1).map((match) => match.word)).toEqual(['levee']);
    let updated: PassageIndex | undefined;
    await PassageIndex.update(previous, before, after, (next) => (updated = next), INDEX_TEST_OPTIONS);
    expect(updated!.similarWords('levees', 1)).toEqual([]);
    expect(updated!.documentFrequency(stemWord('levee'))).toBe(0);
  });

  it('finds the passages holding the weighted stems, best first', () => {
    const hits = index.find(new Map([[stemWord('evacuated'), 1], [stemWord('river'), 1]]), 10);
    expect(hits.map((hit) => hit.entry.passage.id).sort()).toEqual(['flood#p1', 'flood#p2', 'flood#p3']);
    expect(hits[0]?.entry.passage.id).toBe('flood#p2');
    expect(index.find(new Map(), 10)).toEqual([]);
    expect(index.find(new Map([['zebra', 1]]), 10)).toEqual([]);
  });

  it('suggests corpus stems within a few edits of a misspelt one', () => {
    expect(index.similarWords("rivr", 1)).toContainEqual({ word: "river", stem: stemWord("river"), distance: 1 });
    expect(index.similarWords("rivr", 0)).toEqual([]);
  });

  it('keeps the passages in corpus order when it yields to the event loop after every passage', () => {
    expect(index.entries.map((entry) => entry.passage.id)).toEqual(['flood#p1', 'flood#p2', 'flood#p3']);
  });
});

describe('PassageIndex on a large corpus', () => {
  it('searches only the rarer stems when some are in most passages, and the common ones when nothing rarer is asked', async () => {
    const paragraphs = Array.from({ length: 400 }, (_, i) => `The river rose again on day ${i}.`);
    paragraphs[7] = 'The river burst its banks and flooded the town.';
    const directory = await makeCorpus({
      documents: { 'river.txt': documentFile({ id: 'river', title: 'River', source: 'Wire' }, paragraphs) },
    });
    const large = await PassageIndex.build(await loadCorpus(directory), { ...DEFAULT_PASSAGE_INDEX_OPTIONS, sliceMilliseconds: 5 });
    const both = large.find(new Map([[stemWord('river'), 1], [stemWord('flooded'), 1]]), 500);
    expect(both.map((hit) => hit.entry.passage.id)).toEqual(['river#p8']);
    expect(large.find(new Map([[stemWord('river'), 1]]), 500)).toHaveLength(400);
  });

  it('when the stems asked are in very many passages, scores only those holding the weightiest of them', async () => {
    // Every passage holds "river"; odd ones "town"; those not divisible by three "rain": 2,000 hold all three.
    const paragraphs = Array.from({ length: 6000 }, (_, i) => `The river rose on day ${i}${i % 2 ? ' near the town' : ''}${i % 3 ? ' after rain' : ''}.`);
    const directory = await makeCorpus({
      documents: { 'rivers.txt': documentFile({ id: 'rivers', title: 'Rivers', source: 'Wire' }, paragraphs) },
    });
    const large = await PassageIndex.build(await loadCorpus(directory), { ...DEFAULT_PASSAGE_INDEX_OPTIONS, sliceMilliseconds: 5 });
    const hits = large.find(new Map([[stemWord('river'), 1], [stemWord('town'), 1], [stemWord('rain'), 1]]), 6000);
    expect(hits).toHaveLength(2000);
    expect(hits.every((hit) => hit.entry.passage.text.includes('town') && hit.entry.passage.text.includes('rain'))).toBe(true);
    // The next search starts afresh.
    expect(large.find(new Map([[stemWord('river'), 1], [stemWord('town'), 1]]), 6000)).toHaveLength(3000);
  }, 60_000);

  it('keeps the tokens of a passage asked about a second time, and gives the same tokens again', () => {
    const entry = index.get('flood#p1')!;
    const first = index.tokensOf(entry);
    expect(first.text.map((token) => token.word)).toContain('river');
    const second = index.tokensOf(entry);
    expect(second).toEqual(first);
    expect(index.tokensOf(entry)).toBe(second);
  });
});

describe('PassageIndex.update', () => {
    
  /** What a search of the index gives: for each query, the passages found in order with their scores. */
  function searched(searchable: PassageIndex): { id: string; score: number }[][] {
    return RIVER_QUERIES.map((query) => searchable.find(query, 3000).map((hit) => ({ id: hit.entry.passage.id, score: Math.round(hit.score * 1e6) })));
  }

  it('finds, counts and suggests exactly what a fresh build of the new corpus does, after an edit, an addition and a removal', async () => {
    const { before, after } = await riverCorpusBeforeAndAfter();
    const previous = await PassageIndex.build(before, INDEX_TEST_OPTIONS);
    let updated: PassageIndex | undefined;
    await PassageIndex.update(previous, before, after, (index) => (updated = index), INDEX_TEST_OPTIONS);
    const fresh = await PassageIndex.build(after, INDEX_TEST_OPTIONS);
    expect(updated!.entries.map((entry) => entry.passage.id)).toEqual(fresh.entries.map((entry) => entry.passage.id));
    expect(searched(updated!)).toEqual(searched(fresh));
    for (const word of ['river', 'harbour', 'wall', 'held', 'flooded', 'hours', 'days']) {
      expect(updated!.documentFrequency(stemWord(word))).toBe(fresh.documentFrequency(stemWord(word)));
    }
    expect(updated!.similarWords('wal', 1)).toEqual(fresh.similarWords('wal', 1));
    expect(updated!.similarWords('harbor', 1)).toEqual(fresh.similarWords('harbor', 1));
    expect(updated!.get('gamma#p1')).toBeUndefined();
    expect(updated!.get('beta#p38')).toBeUndefined();
    expect(updated!.get('delta#p3')?.passage.text).toBe('Rain flooded the river town harbour for 2 hours.');
  }, 60_000);

  it('keeps the very passages of an unchanged document, and refuses to search the index it replaced', async () => {
    const { before, after } = await riverCorpusBeforeAndAfter();
    const previous = await PassageIndex.build(before, INDEX_TEST_OPTIONS);
    const kept = previous.get('alpha#p7');
    let updated: PassageIndex | undefined;
    await PassageIndex.update(previous, before, after, (index) => (updated = index), INDEX_TEST_OPTIONS);
    expect(updated!.get('alpha#p7')).toBe(kept);
    expect(() => previous.find(RIVER_QUERIES[0]!, 10)).toThrow(/passage index: searched after a reload replaced it/);
  }, 60_000);

  it('builds a new index, leaving the old one searchable as it was, when more passages change than are updated in place', async () => {
    const { before, after } = await riverCorpusBeforeAndAfter();
    const previous = await PassageIndex.build(before, INDEX_TEST_OPTIONS);
    const found = searched(previous);
    let updated: PassageIndex | undefined;
    await PassageIndex.update(previous, before, after, (index) => (updated = index), { ...INDEX_TEST_OPTIONS, maxPassagesUpdatedInPlace: 100 });
    expect(searched(previous)).toEqual(found);
    expect(searched(updated!)).toEqual(searched(await PassageIndex.build(after, INDEX_TEST_OPTIONS)));
  }, 60_000);
});
