import type { AnsweringMode } from '../answer/combine.js';
import { confidenceOf } from '../answer/combine.js';
import { areaUnderCurve } from '../eval/calibration.js';
import { placed, type FittedMode } from './fit.js';
import type { TrainingTable } from './table.js';

/** What a fitted mode does with the validation questions of one source, read off the training table. */
export interface TableFigures {
  readonly source: string;
  readonly answerable: number;
  readonly unanswerable: number;
  /** Answerable questions whose first quote is right, answered or not: the ranker alone. */
  readonly rankedFirst: number;
  /** Answerable questions answered (confidence at least the threshold) with a right first quote. */
  readonly answeredRight: number;
  readonly answered: number;
  /** Unanswerable questions on which it abstains. */
  readonly abstained: number;
  /** The first quote's confidence as a separator of right first quotes from the rest; NaN when all are one or the other. */
  readonly auc: number;
}

/** An AUC to three places, or "n/a" for a source with nothing to separate (every question unanswerable). */
export function aucText(auc: number): string {
  return Number.isNaN(auc) ? 'n/a' : auc.toFixed(3);
}

/**
 * The validation figures of a fitted mode on the table, by source: the same questions `npm run eval` asks, without
 * asking them again (the table holds what the engine measured of them), so that a fit's variants can be compared in
 * seconds.
 */
export function tableFigures(table: TrainingTable, mode: AnsweringMode, fitted: FittedMode): TableFigures[] {
  const sources = [...new Set(table.questions.filter((q) => q.split === 'validation').map((q) => q.source))];
  return sources.map((source) => {
    const outcomes = table.questions
      .filter((q) => q.split === 'validation' && q.source === source)
      .map((q) => {
        const [top] = placed(q, q.candidates, mode, fitted.ranker);
        const confidence = top ? confidenceOf(fitted.confidence, top.signals, mode) : 0;
        return { answerable: q.answerable, right: top?.right === true, answered: confidence >= fitted.threshold, confidence };
      });
    const answerable = outcomes.filter((o) => o.answerable);
    const unanswerable = outcomes.filter((o) => !o.answerable);
    return {
      source,
      answerable: answerable.length,
      unanswerable: unanswerable.length,
      rankedFirst: answerable.filter((o) => o.right).length,
      answeredRight: answerable.filter((o) => o.right && o.answered).length,
      answered: answerable.filter((o) => o.answered).length,
      abstained: unanswerable.filter((o) => !o.answered).length,
      auc: areaUnderCurve(outcomes.map((o) => ({ positive: o.right, score: o.confidence }))),
    };
  });
}
