/** Places a confidence is given to: enough to tell answers apart, few enough to read. */
const PLACES = 3;
const SCALE = 10 ** PLACES;

/**
 * A confidence rounded to three places on the side of `threshold` the exact value is on, so the figure shown never
 * contradicts the decision taken on the exact one: an abstention at 0.4996 reads 0.499, not 0.5, when the bot
 * answers from 0.5. Clamped to 0 to 1.
 */
export function roundConfidence(value: number, threshold: number): number {
  const exact = Math.min(Math.max(value, 0), 1);
  const rounded = Math.round(exact * SCALE) / SCALE;
  if (exact < threshold && rounded >= threshold) return (Math.ceil(threshold * SCALE) - 1) / SCALE;
  if (exact >= threshold && rounded < threshold) return Math.ceil(threshold * SCALE) / SCALE;
  return rounded;
}
