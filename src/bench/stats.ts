/** Latency figures of one series of timings, in milliseconds. */
export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

/** The value at quantile `q` (0..1) of sorted values, by the nearest-rank method. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(sorted.length, 1),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** ours / baseline, rounded to 3 decimals; NaN when the baseline is 0 or missing. */
export function ratio(ours: number, baseline: number): number {
  return baseline > 0 && Number.isFinite(ours) ? Math.round((ours / baseline) * 1000) / 1000 : Number.NaN;
}

/** A distribution with its figures rounded to microseconds, for the JSON output. */
export function roundedDistribution(d: Distribution): Distribution {
  return { count: d.count, p50: round(d.p50, 3), p99: round(d.p99, 3), mean: round(d.mean, 3), max: round(d.max, 3) };
}

/** Rounds to `digits` decimals, for JSON output that stays readable. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Fisher–Yates with the given generator. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Times `a` and `b` on the same question, `warmup + count` rounds over `questions` in turn, alternating which
 * goes first so that neither always meets the other's warm caches; the warm-up rounds are dropped. Returns the
 * timings of `a` and of `b`, in milliseconds.
 */
export async function interleavedTimings(
  rounds: { readonly warmup: number; readonly count: number; readonly questions: readonly string[] },
  a: (question: string) => Promise<number>,
  b: (question: string) => Promise<number>,
): Promise<[number[], number[]]> {
  const timesA: number[] = [];
  const timesB: number[] = [];
  for (let i = 0; i < rounds.warmup + rounds.count; i++) {
    const question = rounds.questions[i % rounds.questions.length]!;
    const aFirst = i % 2 === 0;
    const first = await (aFirst ? a : b)(question);
    const second = await (aFirst ? b : a)(question);
    if (i < rounds.warmup) continue;
    timesA.push(aFirst ? first : second);
    timesB.push(aFirst ? second : first);
  }
  return [timesA, timesB];
}
