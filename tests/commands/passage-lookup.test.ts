import { beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../../src/answer/engine.js';
import { lookUpPassage, type PassageLookup } from '../../src/commands/passage-lookup.js';
import { Library } from '../../src/library/library.js';
import { documentFile, makeCorpus } from '../fixtures/corpus.js';

let engine: AnswerEngine;

beforeAll(async () => {
  const paragraphs = (count: number, what: string): string[] => Array.from({ length: count }, (_, i) => `${what} paragraph ${i + 1}.`);
  const directory = await makeCorpus({
    documents: {
      'flood.txt': documentFile({ id: 'flood-report', title: 'Flood', source: 'Wire' }, paragraphs(3, 'Flood')),
      'siege.txt': documentFile({ id: 'bannu-siege', title: 'Siege', source: 'BBC' }, paragraphs(12, 'Siege')),
    },
  });
  engine = (await Library.load(directory)).current.engine;
});

function foundId(lookup: PassageLookup): string | undefined {
  return lookup.kind === 'found' ? lookup.view.passage.id : undefined;
}

describe('lookUpPassage', () => {
  it('finds a whole id however it is cased, spaced or put in backticks', () => {
    for (const typed of ['bannu-siege#p5', ' Bannu-Siege#P5 ', '`bannu-siege#p5`', 'bannu-siege #p5', 'bannu-siege#5', 'bannu-siege p5']) {
      expect(foundId(lookUpPassage(engine, typed)), typed).toBe('bannu-siege#p5');
    }
  });

  it('finds a short id when one document alone has that passage, and lists the ids it could be when several do', () => {
    for (const typed of ['p7', '#p7', '7']) expect(foundId(lookUpPassage(engine, typed)), typed).toBe('bannu-siege#p7');
    const inCorpusOrder = engine.corpus.documents.map((document) => `${document.meta.id}#p2`);
    expect(lookUpPassage(engine, 'p2')).toEqual({ kind: 'ambiguous', ids: inCorpusOrder, count: 2 });
    expect(inCorpusOrder.sort()).toEqual(['bannu-siege#p2', 'flood-report#p2']);
  });

  it('says how far the documents go for a short id past every end', () => {
    expect(lookUpPassage(engine, 'p40')).toEqual({ kind: 'not-found', suggestions: [], hint: 'no document has a passage 40; the longest has 12' });
  });

  it('suggests the last passage for a position past its document\'s end, and the same position in the nearest document for a slip in its id', () => {
    expect(lookUpPassage(engine, 'flood-report#p9')).toEqual({ kind: 'not-found', suggestions: ['flood-report#p3'], hint: 'flood-report has 3 passages' });
    expect(lookUpPassage(engine, 'bannu-seige#p5')).toEqual({ kind: 'not-found', suggestions: ['bannu-siege#p5'] });
    expect(lookUpPassage(engine, 'flod-report#p7')).toEqual({ kind: 'not-found', suggestions: ['flood-report#p3'] });
  });

  it('suggests the ids a few typing slips away from anything else, and none when nothing is near', () => {
    expect(lookUpPassage(engine, 'bannusiege#p1')).toMatchObject({ kind: 'not-found', suggestions: expect.arrayContaining(['bannu-siege#p1']) });
    expect(lookUpPassage(engine, 'what happened')).toEqual({ kind: 'not-found', suggestions: [] });
  });
});
