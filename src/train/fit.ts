import * as tf from '@tensorflow/tfjs';
import { confidenceOf, confidenceRow, MODEL_FORMAT, rankWith, type AnswerModelFile, type AnsweringMode, type Scorer } from '../answer/combine.js';
import { candidateFeatures, candidatesFor, confidenceFeatures, featureRows, type Placeable, type RankedSignals } from '../answer/features.js';
import { seededRandom } from '../eval/typos.js';
import { sha256, type TrainingCandidate, type TrainingQuestion, type TrainingTable } from './table.js';

/** How the models are fitted; every figure here is a choice measured on the validation split (docs/learning.md). */
export interface FitOptions {
  /** Units in the ranker's hidden layer; 0 for a linear ranker. */
  readonly hiddenUnits: number;
  readonly epochs: number;
  readonly batchQuestions: number;
  readonly learningRate: number;
  readonly l2: number;
  /** Each group of sources' share of the training weight, so that 2,000 SQuAD questions do not drown 240 chat ones. */
  readonly groupShares: Readonly<Record<string, number>>;
  /** The threshold is the lowest confidence at which the answered validation questions are right this often. */
  readonly precision: number;
  /** The questions the threshold is chosen on (validation split). */
  readonly thresholdSources: readonly string[];
  readonly seed: number;
  /**
   * Features (ranker's or confidence's, by name) held at one value while fitting, so that their weight stays 0: how
   * `npm run train -- --ablate` measures what each signal is worth. Empty for the served model.
   */
  readonly leftOut: readonly string[];
}

export const DEFAULT_FIT_OPTIONS: FitOptions = {
  hiddenUnits: 0,
  epochs: 15,
  batchQuestions: 32,
  learningRate: 0.02,
  l2: 1e-4,
  groupShares: { 'squad-train': 0.4, 'wiki-chat': 0.3, own: 0.3, 'squad-v2': 0.3, absent: 0.2 },
  precision: 0.55,
  thresholdSources: ['wiki-chat'],
  seed: 2022,
  leftOut: [],
};

/**
 * Which group a source belongs to for weighting: the project's own sets, bundled or with distractors, are one, and so
 * are the questions asked of a corpus that lacks their article.
 */
function sourceGroup(source: string): string {
  if (source.endsWith('-absent')) return 'absent';
  return ['squad-train', 'wiki-chat', 'squad-v2'].includes(source) ? source : 'own';
}

/**
 * Fits the ranker and the confidence of both modes from the table, deterministically (seeded order, no threads),
 * and chooses each mode's threshold on the validation split.
 */
export async function fitModel(table: TrainingTable, tableBytes: Buffer, options: FitOptions = DEFAULT_FIT_OPTIONS): Promise<AnswerModelFile> {
  const modes = {} as Record<AnsweringMode, FittedMode>;
  for (const mode of ['fused', 'lexical'] as const) modes[mode] = await fitMode(table, mode, options);
  return { format: MODEL_FORMAT, trainedOn: { table: sha256(tableBytes), sources: table.sources }, modes };
}

export type FittedMode = AnswerModelFile['modes'][AnsweringMode];

/** One mode's ranker, confidence and threshold. */
export async function fitMode(table: TrainingTable, mode: AnsweringMode, options: FitOptions = DEFAULT_FIT_OPTIONS): Promise<FittedMode> {
  await tf.setBackend('cpu');
  // The CPU backend greets Node users on first use; production mode keeps the training log to what it measures.
  tf.enableProdMode();
  const ranker = fitRanker(table, mode, options);
  const confidence = fitConfidence(table, mode, ranker, options);
  return { ranker, confidence, threshold: chooseThreshold(table, mode, ranker, confidence, options) };
}

/** Sets the left-out features' column to 0 in place: it no longer varies, so its weight is never moved from 0. */
function holdLeftOut(rows: Float64Array[], names: readonly string[], leftOut: readonly string[]): Float64Array[] {
  const columns = names.flatMap((name, k) => (leftOut.includes(name) ? [k] : []));
  for (const row of rows) for (const k of columns) row[k] = 0;
  return rows;
}

/** The rows of a question's candidates in this mode, and which are right. */
function rowsOf(question: TrainingQuestion, mode: AnsweringMode, leftOut: readonly string[]): { rows: Float64Array[]; right: boolean[] } {
  const kept = placeable(candidatesFor(question.candidates, mode));
  const features = candidateFeatures(mode);
  const rows = holdLeftOut(featureRows(kept, question.signals.cue !== undefined, features), features.map((f) => f.name), leftOut);
  return { rows, right: kept.map((c) => c.right) };
}

/** Weights per question: each group of sources gets its share of the total, spread evenly over its questions. */
function weightsOf(questions: readonly TrainingQuestion[], options: FitOptions): number[] {
  const counts = new Map<string, number>();
  for (const q of questions) counts.set(sourceGroup(q.source), (counts.get(sourceGroup(q.source)) ?? 0) + 1);
  const total = questions.length;
  return questions.map((q) => {
    const group = sourceGroup(q.source);
    return ((options.groupShares[group] ?? 0) * total) / counts.get(group)!;
  });
}

/** Per-feature mean and spread over every row, so that Adam's steps suit every feature alike. */
function standardisation(rows: readonly Float64Array[], width: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(0);
  for (const row of rows) for (let k = 0; k < width; k++) mean[k]! += row[k]! / rows.length;
  for (const row of rows) for (let k = 0; k < width; k++) scale[k]! += (row[k]! - mean[k]!) ** 2 / rows.length;
    // A feature that does not vary (up to rounding) is left unscaled rather than blown up.
  return { mean: mean.map(round), scale: scale.map((s) => round(Math.sqrt(s) > 1e-6 ? Math.sqrt(s) : 1)) };
}

/**
 * The ranker: a listwise model (softmax over a question's candidates, the loss being minus the log of the right
 * candidates' share), trained on the questions of the training split that have a right candidate, SQuAD v2.0's
 * left out so that SQuAD v1.1 dev's figures stay out of sample.
 */
function fitRanker(table: TrainingTable, mode: AnsweringMode, options: FitOptions): Scorer {
  const questions = table.questions.filter((q) => q.split === 'train' && q.source !== 'squad-v2' && rowsOf(q, mode, []).right.some(Boolean));
  const weights = weightsOf(questions, options);
  const data = questions.map((q) => rowsOf(q, mode, options.leftOut));
  const features = candidateFeatures(mode).map((f) => f.name);
  const width = features.length;
  const { mean, scale } = standardisation(data.flatMap((d) => d.rows), width);
  const hidden = options.hiddenUnits;
  const linear = tf.variable(tf.zeros([width, 1]));
  const layer = hidden > 0 ? tf.variable(tf.randomNormal([width, hidden], 0, 0.1, 'float32', options.seed)) : undefined;
  const layerBias = hidden > 0 ? tf.variable(tf.zeros([hidden])) : undefined;
  const output = hidden > 0 ? tf.variable(tf.zeros([hidden, 1])) : undefined;
  const optimizer = tf.train.adam(options.learningRate);
  const random = seededRandom(options.seed);
  const order = [...questions.keys()];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (let start = 0; start < order.length; start += options.batchQuestions) {
      const batch = order.slice(start, start + options.batchQuestions);
      const longest = Math.max(...batch.map((q) => data[q]!.rows.length));
      const x = new Float32Array(batch.length * longest * width);
      // Padding and wrong candidates get -1e9 in the masks, so they vanish from the log-sum-exps.
      const present = new Float32Array(batch.length * longest).fill(-1e9);
      const right = new Float32Array(batch.length * longest).fill(-1e9);
      batch.forEach((q, b) => {
        data[q]!.rows.forEach((row, c) => {
          for (let k = 0; k < width; k++) x[(b * longest + c) * width + k] = (row[k]! - mean[k]!) / scale[k]!;
          present[b * longest + c] = 0;
          if (data[q]!.right[c]) right[b * longest + c] = 0;
        });
      });
      const tensors = [
        tf.tensor2d(x, [batch.length * longest, width]),
        tf.tensor2d(present, [batch.length, longest]),
        tf.tensor2d(right, [batch.length, longest]),
        tf.tensor1d(batch.map((q) => weights[q]!)),
      ] as const;
      const [xs, presentMask, rightMask, questionWeights] = tensors;
      optimizer.minimize(() =>
        tf.tidy(() => {
          let scores: tf.Tensor2D = tf.matMul(xs, linear);
          if (layer) scores = tf.add(scores, tf.matMul(tf.relu(tf.add(tf.matMul(xs, layer), layerBias!)), output!));
          const logits = tf.add(tf.reshape(scores, [batch.length, longest]), presentMask);
          const losses = tf.sub(tf.logSumExp(logits, 1), tf.logSumExp(tf.add(logits, rightMask), 1));
          const loss = tf.div(tf.sum(tf.mul(losses, questionWeights)), tf.sum(questionWeights));
          const penalised = [linear, ...(layer ? [layer, output!] : [])].reduce<tf.Scalar>((sum, v) => tf.add(sum, tf.mul(tf.sum(tf.square(v)), options.l2)), loss as tf.Scalar);
          return penalised;
        }),
      );
      tf.dispose([...tensors]);
    }
  }
  const scorer: Scorer = {
    features,
    mean,
    scale,
    weights: Array.from(linear.dataSync(), round),
    bias: 0,
    hidden:
      layer && layerBias && output
        ? {
            weights: transpose(layer.arraySync() as number[][]).map((unit) => unit.map(round)),
            biases: Array.from(layerBias.dataSync(), round),
            output: Array.from(output.dataSync(), round),
          }
        : undefined,
  };
  tf.dispose([linear, ...(layer ? [layer, layerBias!, output!] : [])]);
  return scorer;
}

/** How many of each question's best quotes the confidence is trained on. */
const CONFIDENCE_RANKS = 3;

/**
 * The confidence: a logistic model of whether a quote answers, from how the ranker placed it and what it holds,
 * trained on the first three quotes of every training question, answerable or not. A SQuAD train question is also
 * asked again without its gold paragraph: the nearest unanswerable question there is.
 */
function fitConfidence(table: TrainingTable, mode: AnsweringMode, ranker: Scorer, options: FitOptions): Scorer {
  const training = table.questions.filter((q) => q.split === 'train');
  const variants: { question: TrainingQuestion; candidates: readonly TrainingCandidate[] }[] = training.flatMap((question) => {
    const own = [{ question, candidates: question.candidates }];
    if (question.source !== 'squad-train') return own;
    const withoutGold = question.candidates.filter((c) => !c.goldPassage);
    return [...own, { question: { ...question, answerable: false, source: 'squad-train' }, candidates: withoutGold }];
  });
  const weights = weightsOf(
    variants.map((v) => v.question),
    options,
  );
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const rowWeights: number[] = [];
  variants.forEach(({ question, candidates }, i) => {
    for (const { signals, right } of placed(question, candidates, mode, ranker).slice(0, CONFIDENCE_RANKS)) {
      rows.push(holdLeftOut([confidenceRow(signals, mode)], confidenceFeatures(mode).map((f) => f.name), options.leftOut)[0]!);
      labels.push(right ? 1 : 0);
      rowWeights.push(weights[i]!);
    }
  });
  const features = confidenceFeatures(mode).map((f) => f.name);
  const { mean, scale } = standardisation(rows, features.length);
  const x = tf.tensor2d(rows.map((row) => Array.from(row, (v, k) => (v - mean[k]!) / scale[k]!)));
  const y = tf.tensor2d(labels, [labels.length, 1]);
  const w = tf.tensor2d(rowWeights, [rowWeights.length, 1]);
  const coefficients = tf.variable(tf.zeros([features.length, 1]));
  const bias = tf.variable(tf.scalar(0));
  const optimizer = tf.train.adam(options.learningRate * 2.5);
  for (let step = 0; step < 600; step++) {
    optimizer.minimize(() =>
      tf.tidy(() => tf.add<tf.Scalar>(tf.losses.sigmoidCrossEntropy(y, tf.add(tf.matMul(x, coefficients), bias), w), tf.mul(tf.sum(tf.square(coefficients)), options.l2))),
    );
  }
  const scorer: Scorer = { features, mean, scale, weights: Array.from(coefficients.dataSync(), round), bias: round(bias.dataSync()[0]!), hidden: undefined };
  tf.dispose([x, y, w, coefficients, bias]);
  return scorer;
}

/**
 * The lowest threshold at which the answered questions of the threshold sources' validation split are right at least
 * `precision` of the time: the confidence of the last question, best first, at which that still holds, lowered to
 * three places where that answers no further question. The highest confidence seen when none reaches it.
 */
function chooseThreshold(table: TrainingTable, mode: AnsweringMode, ranker: Scorer, confidence: Scorer, options: FitOptions): number {
  const outcomes = table.questions
    .filter((q) => q.split === 'validation' && options.thresholdSources.includes(q.source))
    .map((q) => {
      const [top] = placed(q, q.candidates, mode, ranker);
      return { confidence: top ? confidenceOf(confidence, top.signals, mode) : 0, right: top?.right === true };
    })
    .sort((a, b) => b.confidence - a.confidence);
  let right = 0;
  let last = 0;
  outcomes.forEach((outcome, i) => {
    if (outcome.right) right++;
    if (right / (i + 1) >= options.precision) last = i;
  });
  const chosen = outcomes[last]?.confidence ?? 1;
  const next = outcomes.slice(last + 1).find((o) => o.confidence < chosen)?.confidence ?? -1;
  const rounded = Math.floor(chosen * 1000) / 1000;
  return rounded > next ? rounded : round(chosen);
}

/** A training question's quotes as the engine places them: one per passage, best first, with whether each is right. */
export function placed(question: TrainingQuestion, candidates: readonly TrainingCandidate[], mode: AnsweringMode, ranker: Scorer): { signals: RankedSignals; right: boolean }[] {
  const kept = placeable(candidatesFor(candidates, mode));
  return rankWith(ranker, kept, question.signals, mode).map(({ index, signals }) => ({ signals, right: kept[index]!.right }));
}

/** Table candidates named as the engine's are: their passage and document numbers stand for the ids. */
function placeable(candidates: readonly TrainingCandidate[]): (TrainingCandidate & Placeable)[] {
  return candidates.map((c) => ({ ...c, passageId: String(c.passage), documentId: String(c.document) }));
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

function transpose(matrix: readonly (readonly number[])[]): number[][] {
  return matrix[0]!.map((_, j) => matrix.map((row) => row[j]!));
}

/** Six significant digits: the file stays readable and small, and the same fit always writes the same text. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
