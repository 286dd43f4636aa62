import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate, CandidateSet } from '../../src/answer/candidates.js';
import { AnswerModel, AnswerModelError, applyScorer, MODEL_FORMAT, WORD_VECTORS_SOURCE, type AnswerModelFile, type Scorer } from '../../src/answer/combine.js';
import { candidateFeatures, confidenceFeatures } from '../../src/answer/features.js';
import { encodeWordVectors, WordVectors } from '../../src/search/word-vectors.js';

/** A scorer over `names` that weighs one of them (`weighed`) and nothing else; standardisation left neutral. */
function scorer(names: readonly string[], weighed: Record<string, number> = {}, bias = 0): Scorer {
  return { features: [...names], mean: names.map(() => 0), scale: names.map(() => 1), weights: names.map((name) => weighed[name] ?? 0), bias };
}

/** A model whose rankers prefer the higher share and whose confidence is the share, made steep. */
function modelFile(): AnswerModelFile {
  const mode = (m: 'fused' | 'lexical'): AnswerModelFile['modes']['fused'] => ({
    ranker: scorer(candidateFeatures(m).map((f) => f.name), { share: 10 }),
    confidence: scorer(confidenceFeatures(m).map((f) => f.name), { share: 20 }, -10),
    threshold: 0.5,
  });
  return { format: MODEL_FORMAT, trainedOn: { table: 'x', sources: {} }, modes: { fused: mode('fused'), lexical: mode('lexical') } };
}

function candidate(passageId: string, share: number, overrides: Partial<Candidate> = {}): Candidate {
  return {
    passageId,
    documentId: 'd',
    span: { start: 0, end: 1 },
    highlights: [],
    share,
    ownShare: share,
    exactShare: share,
    phrase: 0,
    heaviestMissing: 0,
    softShare: 0,
    previousShare: 0,
    nextShare: 0,
    sentencePosition: 0,
    answersCue: false,
    focusMissing: false,
    twoSentences: false,
    words: 8,
    similarity: 0.5,
    passageShare: share,
    passageSimilarity: 0.5,
    bm25: 1,
    lead: 1,
    caption: false,
    byWords: true,
    byMeaning: false,
    ...overrides,
  };
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'incident-desk-model-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function fileWith(name: string, text: string): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, text);
  return file;
}

describe('the model file', () => {
  it('is refused when missing, naming the file and how to make it', async () => {
    const file = path.join(folder, 'absent.json');
    await expect(AnswerModel.load(file)).rejects.toThrow(new AnswerModelError(`answer model: cannot read ${file} (ENOENT); run npm run train to make it`));
  });

  it('is refused when it is not JSON, or not of the model format', async () => {
    const broken = await fileWith('broken.json', '{"format":');
    await expect(AnswerModel.load(broken)).rejects.toThrow(`answer model: ${broken} is not JSON`);
    const other = await fileWith('other.json', JSON.stringify({ ...modelFile(), format: 'something-else/1' }));
    await expect(AnswerModel.load(other)).rejects.toThrow(`answer model: ${other} is not a model of format ${MODEL_FORMAT} (format:`);
  });

  it('is refused when trained on other features than the code computes, naming both lists', async () => {
    const model = modelFile();
    const renamed = { ...model, modes: { ...model.modes, fused: { ...model.modes.fused, ranker: { ...model.modes.fused.ranker, features: ['share', ...model.modes.fused.ranker.features.slice(1).reverse()] } } } };
    const file = await fileWith('renamed.json', JSON.stringify(renamed));
    await expect(AnswerModel.load(file)).rejects.toThrow(/was trained on other fused ranker features than this code computes \(file: share, .*; code: share, ownShare,/);
  });

  it('is refused when its weights do not fit its features', async () => {
    const model = modelFile();
    const short = { ...model, modes: { ...model.modes, lexical: { ...model.modes.lexical, confidence: { ...model.modes.lexical.confidence, weights: [1] } } } };
    const file = await fileWith('short.json', JSON.stringify(short));
    await expect(AnswerModel.load(file)).rejects.toThrow(`answer model: ${file} has lexical confidence weights of the wrong size`);
  });

  it('is refused with word vectors other than those its table was measured with, naming both files', () => {
    const words = WordVectors.decode(encodeWordVectors('test@1', new Map([['freed', [1, 0]]])), '(test)');
    const other = WordVectors.decode(encodeWordVectors('test@1', new Map([['freed', [0, 1]]])), '(test)');
    const file = modelFile();
    const model = AnswerModel.from({ ...file, trainedOn: { ...file.trainedOn, sources: { [WORD_VECTORS_SOURCE]: words.sha256 } } }, '(test)');
    expect(model.checkWordVectors(words)).toBe(model);
    expect(() => model.checkWordVectors(other)).toThrow(
      new AnswerModelError(`answer model: (test) was not trained with the word vectors in ${WORD_VECTORS_SOURCE} (${other.sha256.slice(0, 12)}; it records ${words.sha256.slice(0, 12)}); run npm run train`),
    );
    expect(() => AnswerModel.from(file, '(old)').checkWordVectors(words)).toThrow(`answer model: (old) was not trained with the word vectors in ${WORD_VECTORS_SOURCE} (${words.sha256.slice(0, 12)}; it records none)`);
  });

  it('loads a well-formed file and gives its thresholds', async () => {
    const model = await AnswerModel.load(await fileWith('good.json', JSON.stringify(modelFile())));
    expect(model.threshold('fused')).toBe(0.5);
  });
});

describe('ranking with a model', () => {
  it("keeps each passage's best span, orders the passages by score, and gives each the confidence model's chance", () => {
    const model = AnswerModel.from(modelFile(), '(test)');
    const set: CandidateSet = {
      question: { concepts: 2, absentShare: 0, cue: undefined },
      candidates: [candidate('a', 0.2), candidate('a', 0.9, { span: { start: 2, end: 3 } }), candidate('b', 0.5), candidate('c', 0.7, { byWords: false, byMeaning: true })],
    };
    const fused = model.rank(set, 'fused');
    expect(fused.map((c) => [c.passageId, c.share])).toEqual([['a', 0.9], ['c', 0.7], ['b', 0.5]]);
    expect(fused[0]!.confidence).toBeCloseTo(1 / (1 + Math.exp(-(20 * 0.9 - 10))), 9);
    // Lexically, a passage kept only for its meaning is not a candidate.
    expect(model.rank(set, 'lexical').map((c) => c.passageId)).toEqual(['a', 'b']);
    expect(model.rank({ ...set, candidates: [] }, 'fused')).toEqual([]);
  });

  it('standardises each feature, then adds the hidden units that are active', () => {
    const linear: Scorer = { features: ['x', 'y'], mean: [1, 0], scale: [2, 1], weights: [3, -1], bias: 0.5 };
    expect(applyScorer(linear, Float64Array.from([5, 2]))).toBeCloseTo(0.5 + 3 * 2 - 2, 9);
    const hidden: Scorer = { ...linear, hidden: { weights: [[1, 0], [0, -1]], biases: [0, 0], output: [2, 10] } };
    // The first unit is 2 (active), the second -2 (off).
    expect(applyScorer(hidden, Float64Array.from([5, 2]))).toBeCloseTo(0.5 + 3 * 2 - 2 + 2 * 2, 9);
  });
});
