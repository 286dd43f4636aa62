/** A question's confidence and whether its first quote was right (an unanswerable question's never is). */
export interface Outcome {
  readonly confidence: number;
  readonly right: boolean;
}

export interface CalibrationBin {
  readonly low: number;
  readonly high: number;
  readonly count: number;
  /** The mean confidence in the bin, and the share of its questions whose first quote was right. */
  readonly predicted: number;
  readonly observed: number;
}

/** Outcomes in ten bins of confidence (0–0.1 … 0.9–1), the empty ones left out. */
export function calibrationTable(outcomes: readonly Outcome[], bins = 10): CalibrationBin[] {
  const table: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const low = b / bins;
    const high = (b + 1) / bins;
    const inside = outcomes.filter((o) => o.confidence >= low && (o.confidence < high || (b === bins - 1 && o.confidence <= high)));
    if (inside.length === 0) continue;
    table.push({
      low,
      high,
      count: inside.length,
      predicted: inside.reduce((sum, o) => sum + o.confidence, 0) / inside.length,
      observed: inside.filter((o) => o.right).length / inside.length,
    });
  }
  return table;
}

export interface CoveragePoint {
  readonly threshold: number;
  /** Whether this is the model's own threshold. */
  readonly marked: boolean;
  readonly answered: number;
  /** Answered with the right first quote. */
  readonly right: number;
  readonly answerable: number;
  readonly answeredAnswerable: number;
  readonly unanswerable: number;
  readonly abstainedUnanswerable: number;
}

/** What answering at each of a range of thresholds (and at `threshold`) would do. */
export function precisionCoverage(outcomes: readonly Outcome[], answerable: readonly boolean[], threshold: number): CoveragePoint[] {
  const thresholds = [...new Set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, threshold])].sort((a, b) => a - b);
  return thresholds.map((t) => {
    const answers = outcomes.map((o) => o.confidence >= t);
    return {
      threshold: t,
      marked: t === threshold,
      answered: answers.filter(Boolean).length,
      right: outcomes.filter((o, i) => answers[i] && o.right).length,
      answerable: answerable.filter(Boolean).length,
      answeredAnswerable: answers.filter((a, i) => a && answerable[i]).length,
      unanswerable: answerable.filter((a) => !a).length,
      abstainedUnanswerable: answers.filter((a, i) => !a && !answerable[i]).length,
    };
  });
}

/** The chance that a positive scores above a negative (ties count half): the area under the ROC curve. */
export function areaUnderCurve(items: readonly { positive: boolean; score: number }[]): number {
  const sorted = [...items].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (!sorted[k]!.positive) continue;
      rankSum += averageRank;
      positives++;
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
