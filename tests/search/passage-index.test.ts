import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { stemWord } from '../../src/search/analyzer.js';
import { PassageIndex } from '../../src/search/passage-index.js';
import { documentFile, makeCorpus, removeTempDirs } from '../fixtures/corpus.js';

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
  index = await PassageIndex.build(await loadCorpus(directory), { sliceMilliseconds: 0 });
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
