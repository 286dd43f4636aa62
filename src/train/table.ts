import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CandidateSet, CandidateSignals, QuestionSignals } from '../answer/candidates.js';
import type { CueKind } from '../search/question.js';

/**
 * The training table: every training and validation question's candidate quotes as the engine measured them, with
 * whether each is right. `npm run train` extracts it from the shared data (slow: the sentence model embeds every
 * corpus) and fits the models from it (fast, deterministic); it is kept in the repository so that a test can
 * check that the committed model is what fitting it gives.
 */
export interface TrainingTable {
  readonly format: typeof TABLE_FORMAT;
  /** SHA-256 of each shared data file read, by its path under the data folder. */
  readonly sources: Readonly<Record<string, string>>;
  readonly questions: readonly TrainingQuestion[];
}

export const TABLE_FORMAT = 'incident-desk-training-table/3';

/** Where a question comes from: the set, its side of the split, and the corpus it was asked of. */
export interface TrainingQuestion {
  readonly source: string;
  readonly split: 'train' | 'validation';
  readonly question: string;
  readonly answerable: boolean;
  readonly signals: QuestionSignals;
  readonly candidates: readonly TrainingCandidate[];
}

export interface TrainingCandidate extends CandidateSignals {
  /** The candidate's passage and document, numbered within its question. */
  readonly passage: number;
  readonly document: number;
  readonly byWords: boolean;
  readonly byMeaning: boolean;
  /** The quote holds the answer (its evidence; for SQuAD, the gold paragraph and an answer's text). */
  readonly right: boolean;
  /** The passage holds the answer, in some span. */
  readonly goldPassage: boolean;
}

/** Real-valued signals are kept to four places: the table is smaller, and a fresh extraction compares exactly. */
const PLACES = 1e4;
const REAL_SIGNALS = ['share', 'ownShare', 'exactShare', 'phrase', 'heaviestMissing', 'previousShare', 'nextShare', 'sentencePosition', 'similarity', 'passageShare', 'passageSimilarity', 'bm25', 'lead', 'softShare'] as const;
const FLAG_SIGNALS = ['byWords', 'byMeaning', 'right', 'goldPassage', 'answersCue', 'focusMissing', 'twoSentences', 'caption'] as const;
const CUES: readonly (CueKind | undefined)[] = [undefined, 'number', 'time', 'person', 'place'];

export function quantise(value: number): number {
  return Math.round(value * PLACES) / PLACES;
}

/**
 * A question's candidates as the table holds them, given which of them are right and which passages hold the
 * answer; real values quantised as stored.
 */
export function trainingCandidates(set: CandidateSet, right: (i: number) => boolean, goldPassage: (passageId: string) => boolean): TrainingCandidate[] {
  const passages = new Map<string, number>();
  const documents = new Map<string, number>();
  return set.candidates.map((candidate, i) => {
    if (!passages.has(candidate.passageId)) passages.set(candidate.passageId, passages.size);
    if (!documents.has(candidate.documentId)) documents.set(candidate.documentId, documents.size);
    const reals = Object.fromEntries(REAL_SIGNALS.map((name) => [name, quantise(candidate[name])])) as Pick<CandidateSignals, (typeof REAL_SIGNALS)[number]>;
    return {
      ...reals,
      passage: passages.get(candidate.passageId)!,
      document: documents.get(candidate.documentId)!,
      byWords: candidate.byWords,
      byMeaning: candidate.byMeaning,
      right: right(i),
      goldPassage: goldPassage(candidate.passageId),
      answersCue: candidate.answersCue,
      focusMissing: candidate.focusMissing,
      twoSentences: candidate.twoSentences,
      caption: candidate.caption,
      words: candidate.words,
    };
  });
}

/** The question's own signals as stored. */
export function trainingSignals(signals: QuestionSignals): QuestionSignals {
  return { concepts: signals.concepts, absentShare: quantise(signals.absentShare), cue: signals.cue };
}

type EncodedQuestion = [source: string, split: 0 | 1, question: string, answerable: 0 | 1, concepts: number, absentShare: number, cue: number, candidates: number[][]];

/** The table as gzipped JSON of arrays (a row of numbers per candidate): a few MB for thousands of questions. */
export function encodeTable(table: TrainingTable): Buffer {
  const questions = table.questions.map((q): EncodedQuestion => [
    q.source,
    q.split === 'train' ? 0 : 1,
    q.question,
    q.answerable ? 1 : 0,
    q.signals.concepts,
    Math.round(q.signals.absentShare * PLACES),
    CUES.indexOf(q.signals.cue),
    q.candidates.map((c) => [
      c.passage,
      c.document,
      FLAG_SIGNALS.reduce((bits, name, bit) => bits | ((c[name] ? 1 : 0) << bit), 0),
      c.words,
      ...REAL_SIGNALS.map((name) => Math.round(c[name] * PLACES)),
    ]),
  ]);
  const json = JSON.stringify({ format: table.format, sources: table.sources, columns: ['passage', 'document', 'flags', 'words', ...REAL_SIGNALS], flags: FLAG_SIGNALS, questions });
  // Level 9 and no timestamp: the same table always makes the same bytes, so its hash names its content.
  return gzipSync(json, { level: 9 });
}

/** Reads a table written by {@link encodeTable}; the message says what is wrong with a damaged or foreign one. */
export function decodeTable(bytes: Buffer, file: string): TrainingTable {
  let parsed: { format?: unknown; sources?: Record<string, string>; questions?: EncodedQuestion[] };
  try {
    parsed = JSON.parse(gunzipSync(bytes).toString('utf8')) as typeof parsed;
  } catch (error) {
    throw new Error(`training table: ${file} cannot be read (${(error as Error).message})`, { cause: error });
  }
  if (parsed.format !== TABLE_FORMAT || !Array.isArray(parsed.questions) || typeof parsed.sources !== 'object') {
    throw new Error(`training table: ${file} is not a table of format ${TABLE_FORMAT}`);
  }
  const questions = parsed.questions.map(([source, split, question, answerable, concepts, absentShare, cue, candidates]): TrainingQuestion => ({
    source,
    split: split === 0 ? 'train' : 'validation',
    question,
    answerable: answerable === 1,
    signals: { concepts, absentShare: absentShare / PLACES, cue: CUES[cue] },
    candidates: candidates.map(([passage, document, flags, words, ...reals]) => {
      const flagged = Object.fromEntries(FLAG_SIGNALS.map((name, bit) => [name, ((flags! >> bit) & 1) === 1])) as Record<(typeof FLAG_SIGNALS)[number], boolean>;
      const real = Object.fromEntries(REAL_SIGNALS.map((name, k) => [name, reals[k]! / PLACES])) as Record<(typeof REAL_SIGNALS)[number], number>;
      return { passage: passage!, document: document!, words: words!, ...flagged, ...real };
    }),
  }));
  return { format: TABLE_FORMAT, sources: parsed.sources ?? {}, questions };
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
