import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CandidateSet } from '../../src/answer/candidates.js';
import { decodeTable, encodeTable, quantise, TABLE_FORMAT, trainingCandidates, type TrainingTable } from '../../src/train/table.js';

const SET: CandidateSet = {
  question: { concepts: 3, absentShare: 0.25, cue: 'number' },
  candidates: [
    ['story#p2', 0.123456789, 0.6, true],
    ['story#p2', 0.5, 0.61, false],
    ['story#p7', 0.9, 0.2, true],
  ].map(([passageId, share, similarity, byWords]) => ({
    passageId: passageId as string,
    documentId: 'story',
    span: { start: 0, end: 10 },
    highlights: [],
    share: share as number,
    ownShare: (share as number) / 2,
    exactShare: 0.1,
    phrase: 0.05,
    heaviestMissing: 0.2,
    softShare: 0.12345,
    previousShare: 0.1,
    nextShare: 0,
    sentencePosition: 0.5,
    answersCue: true,
    focusMissing: false,
    twoSentences: false,
    words: 12,
    similarity: similarity as number,
    passageShare: 0.7,
    passageSimilarity: 0.61,
    bm25: 0.333333,
    lead: 0.5,
    caption: false,
    byWords: byWords as boolean,
    byMeaning: true,
  })),
};

describe('the training table', () => {
  it('numbers passages within a question, quantises real signals to four places and keeps the flags', () => {
    const candidates = trainingCandidates(SET, (i) => i === 2, (passage) => passage === 'story#p7');
    expect(candidates.map((c) => c.passage)).toEqual([0, 0, 1]);
    expect(candidates[0]!.share).toBe(0.1235);
    expect(candidates[0]!.bm25).toBe(quantise(0.333333));
    expect(candidates.map((c) => [c.right, c.goldPassage, c.byWords])).toEqual([[false, false, true], [false, false, false], [true, true, true]]);
  });

  it('reads back exactly what was written, and the same table always makes the same bytes', () => {
    const table: TrainingTable = {
      format: TABLE_FORMAT,
      sources: { 'eval/questions.jsonl': 'abc' },
      questions: [{ source: 'own', split: 'train', question: 'how many?', answerable: true, signals: SET.question, candidates: trainingCandidates(SET, () => false, () => false) }],
    };
    const bytes = encodeTable(table);
    expect(decodeTable(bytes, 'table.json.gz')).toEqual(table);
    expect(encodeTable(table).equals(bytes)).toBe(true);
  });

  it('names the file and the problem when a table is damaged or of another format', () => {
    expect(() => decodeTable(Buffer.from('not gzip'), 'model/t.json.gz')).toThrow(/^training table: model\/t\.json\.gz cannot be read \(/);
    expect(() => decodeTable(gzipSync(JSON.stringify({ format: 'other/1', questions: [] })), 'model/t.json.gz')).toThrow(`training table: model/t.json.gz is not a table of format ${TABLE_FORMAT}`);
  });
});
