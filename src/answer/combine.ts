import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { projectRoot } from '../project/root.js';
import { DEFAULT_WORD_VECTORS_FILE, type WordVectors } from '../search/word-vectors.js';
import type { Candidate, CandidateSet, QuestionSignals } from './candidates.js';
import { candidateFeatures, candidatesFor, confidenceFeatures, featureRows, type Placeable, type RankedSignals } from './features.js';

/**
 * The one place where the signals meet: a ranker learned from data scores every candidate quote, and a second
 * model turns how the best ones were ranked into the chance that each answers. Both are read from the model file
 * that `npm run train` writes (docs/learning.md).
 */

/** Answering by words and meaning, or by words alone (before the sentence vectors are ready, or without the model). */
export type AnsweringMode = 'fused' | 'lexical';

/** Where the model file is kept: in the repository, beside `src/`. */
export const DEFAULT_MODEL_FILE = path.join(projectRoot(), 'model', 'answer-model.json');

/** The word vectors' file as the training table's sources name it. */
export const WORD_VECTORS_SOURCE = path.relative(projectRoot(), DEFAULT_WORD_VECTORS_FILE);

/** Identifies the file's layout; a file of another layout is refused. */
export const MODEL_FORMAT = 'incident-desk-answer-model/1';

const numbers = z.array(z.number().finite());

/** A standardised linear score, optionally plus one layer of rectified units. */
const scorerSchema = z.object({
  features: z.array(z.string()),
  mean: numbers,
  scale: numbers,
  weights: numbers,
  bias: z.number().finite(),
  hidden: z.object({ weights: z.array(numbers), biases: numbers, output: numbers }).optional(),
});

const modeSchema = z.object({
  ranker: scorerSchema,
  confidence: scorerSchema,
  /** The confidence below which the engine abstains, chosen on validation data for a stated precision. */
  threshold: z.number().min(0).max(1),
});

const modelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  /** SHA-256 of the training table, and of each shared data file it was extracted from. */
  trainedOn: z.object({ table: z.string(), sources: z.record(z.string(), z.string()) }),
  modes: z.object({ fused: modeSchema, lexical: modeSchema }),
});

export type AnswerModelFile = z.infer<typeof modelSchema>;

/** Raised when the model file is missing, unreadable or made for other features; the message names the file. */
export class AnswerModelError extends Error {
  override readonly name = 'AnswerModelError';
}

/** A candidate with its score; one per passage, best first. */
export interface RankedCandidate extends Candidate {
  readonly score: number;
  /** The chance that this quote answers the question. */
  readonly confidence: number;
}

/** The learned ranker and confidence, ready to apply. */
export class AnswerModel {
  private constructor(
    readonly file: string,
    private readonly model: AnswerModelFile,
  ) {}

  /** Reads and checks a model file: its layout, and that it was trained on the features this code computes. */
  static async load(file: string = DEFAULT_MODEL_FILE): Promise<AnswerModel> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new AnswerModelError(`answer model: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run npm run train to make it`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AnswerModelError(`answer model: ${file} is not JSON`);
    }
    return AnswerModel.from(json, file);
  }

  /** Checks a parsed model file (see {@link load}). */
  static from(json: unknown, file: string): AnswerModel {
    const parsed = modelSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AnswerModelError(`answer model: ${file} is not a model of format ${MODEL_FORMAT} (${issue.path.join('.') || 'file'}: ${issue.message})`);
    }
    for (const mode of ['fused', 'lexical'] as const) {
      const { ranker, confidence } = parsed.data.modes[mode];
      checkScorer(file, `${mode} ranker`, ranker, candidateFeatures(mode).map((feature) => feature.name));
      checkScorer(file, `${mode} confidence`, confidence, confidenceFeatures(mode).map((feature) => feature.name));
    }
    return new AnswerModel(file, parsed.data);
  }

  /**
   * This model, if it was trained on candidates measured with these word vectors (its table records their file's
   * SHA-256 under {@link WORD_VECTORS_SOURCE}); otherwise an error naming both files.
   */
  checkWordVectors(words: WordVectors): this {
    const trainedWith = this.model.trainedOn.sources[WORD_VECTORS_SOURCE];
    if (trainedWith !== words.sha256) {
      throw new AnswerModelError(
        `answer model: ${this.file} was not trained with the word vectors in ${WORD_VECTORS_SOURCE} (${words.sha256.slice(0, 12)}; it records ${trainedWith?.slice(0, 12) ?? 'none'}); run npm run train`,
      );
    }
    return this;
  }

  /** The confidence below which the engine abstains. */
  threshold(mode: AnsweringMode): number {
    return this.model.modes[mode].threshold;
  }

  /**
   * The question's quotes best first, one per passage (its best-scoring span), each with the chance that it answers.
   */
  rank(set: CandidateSet, mode: AnsweringMode): RankedCandidate[] {
    const { ranker, confidence } = this.model.modes[mode];
    const candidates = candidatesFor(set.candidates, mode);
    return rankWith(ranker, candidates, set.question, mode).map(({ index, score, signals }) => ({
      ...candidates[index]!,
      score,
      confidence: confidenceOf(confidence, signals, mode),
    }));
  }
}

/** A scorer as the model file holds it. */
export type Scorer = AnswerModelFile['modes']['fused']['ranker'];

/** One passage's best quote, as {@link rankWith} places it. */
export interface Placed {
  /** Its index in the candidates ranked. */
  readonly index: number;
  readonly score: number;
  readonly signals: RankedSignals;
}

/**
 * Scores every candidate with the ranker and keeps each passage's best span, best first, with what the confidence
 * model reads of each. The engine and the training code rank through this one function.
 */
export function rankWith(ranker: Scorer, candidates: readonly Placeable[], question: QuestionSignals, mode: AnsweringMode): Placed[] {
  if (candidates.length === 0) return [];
  const rows = featureRows(candidates, question.cue !== undefined, candidateFeatures(mode));
  const scores = rows.map((row) => applyScorer(ranker, row));
  const bestOfPassage = new Map<string, number>();
  candidates.forEach((candidate, i) => {
    const best = bestOfPassage.get(candidate.passageId);
    if (best === undefined || scores[i]! > scores[best]!) bestOfPassage.set(candidate.passageId, i);
  });
  const order = [...bestOfPassage.values()].sort((a, b) => scores[b]! - scores[a]! || a - b);
  const topScore = scores[order[0]!]!;
  const exponentials = order.map((i) => Math.exp(scores[i]! - topScore));
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  const bestSimilarity = Math.max(0, ...candidates.map((candidate) => candidate.similarity));
  return order.map((index, position) => ({
    index,
    score: scores[index]!,
    signals: { candidate: candidates[index]!, rank: position + 1, score: scores[index]!, topScore, nextScore: scores[order[position + 1] ?? index]!, probability: exponentials[position]! / total, question, bestSimilarity },
  }));
}

/** The confidence features of a placed quote, in the model's order. */
export function confidenceRow(signals: RankedSignals, mode: AnsweringMode): Float64Array {
  return Float64Array.from(confidenceFeatures(mode), (feature) => feature.value(signals));
}

/** The chance that a placed quote answers. */
export function confidenceOf(confidence: Scorer, signals: RankedSignals, mode: AnsweringMode): number {
  return 1 / (1 + Math.exp(-applyScorer(confidence, confidenceRow(signals, mode))));
}

function checkScorer(file: string, what: string, scorer: Scorer, expected: readonly string[]): void {
  if (scorer.features.join(',') !== expected.join(',')) {
    throw new AnswerModelError(
      `answer model: ${file} was trained on other ${what} features than this code computes (file: ${scorer.features.join(', ')}; code: ${expected.join(', ')}); run npm run train`,
    );
  }
  const n = expected.length;
  const sizes = [scorer.mean.length, scorer.scale.length, scorer.weights.length, ...(scorer.hidden?.weights.map((row) => row.length) ?? [])];
  if (sizes.some((size) => size !== n) || (scorer.hidden && (scorer.hidden.biases.length !== scorer.hidden.weights.length || scorer.hidden.output.length !== scorer.hidden.weights.length))) {
    throw new AnswerModelError(`answer model: ${file} has ${what} weights of the wrong size for its ${n} features`);
  }
}

/** A scorer's value for one row of features: standardised, weighed, plus its hidden units if it has any. */
export function applyScorer(scorer: Scorer, row: Float64Array): number {
  const { mean, scale, weights, bias, hidden } = scorer;
  const z = row.map((value, k) => (value - mean[k]!) / scale[k]!);
  let score = bias;
  for (let k = 0; k < z.length; k++) score += weights[k]! * z[k]!;
  if (hidden) {
    hidden.weights.forEach((unit, h) => {
      let activation = hidden.biases[h]!;
      for (let k = 0; k < z.length; k++) activation += unit[k]! * z[k]!;
      if (activation > 0) score += hidden.output[h]! * activation;
    });
  }
  return score;
}
