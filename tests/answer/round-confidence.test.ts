import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundConfidence } from '../../src/answer/round-confidence.js';

describe('roundConfidence', () => {
  it('rounds to three places', () => {
    expect(roundConfidence(0.73149, 0.5)).toBe(0.731);
    expect(roundConfidence(0.1316, 0.5)).toBe(0.132);
  });

  it('keeps a value just under the threshold under it, and one at it at it', () => {
    expect(roundConfidence(0.4996, 0.5)).toBe(0.499);
    expect(roundConfidence(0.5, 0.5)).toBe(0.5);
    expect(roundConfidence(0.50001, 0.5)).toBe(0.5);
  });

  it('clamps to 0 to 1', () => {
    expect(roundConfidence(-0.2, 0.5)).toBe(0);
    expect(roundConfidence(1.7, 0.5)).toBe(1);
  });

  it('is on the same side of the threshold as the exact value, and within a thousandth of it, for any value and threshold', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (value, threshold) => {
        const shown = roundConfidence(value, threshold);
        expect(shown >= threshold).toBe(value >= threshold);
        expect(Math.abs(shown - value)).toBeLessThanOrEqual(0.001 + 1e-12);
      }),
    );
  });
});
