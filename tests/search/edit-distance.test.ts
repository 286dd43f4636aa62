import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typingDistance } from '../../src/search/edit-distance.js';

/** The whole optimal-string-alignment table, without early exits: what typingDistance must agree with. */
function referenceDistance(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      table[i]![j] = Math.min(table[i - 1]![j]! + 1, table[i]![j - 1]! + 1, table[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) table[i]![j] = Math.min(table[i]![j]!, table[i - 2]![j - 2]! + 1);
    }
  }
  return table[a.length]![b.length]!;
}

describe('typingDistance', () => {
  it('counts a swap of neighbouring letters as one slip', () => {
    expect(typingDistance('bnanu', 'bannu', 2)).toBe(1);
    expect(typingDistance('abuot', 'about', 1)).toBe(1);
    expect(typingDistance('kiled', 'killed', 2)).toBe(1);
    expect(typingDistance('station', 'station', 1)).toBe(0);
  });

  it('returns limit + 1 once the distance exceeds the limit', () => {
    expect(typingDistance('police', 'station', 1)).toBe(2);
    expect(typingDistance('a', 'abcd', 2)).toBe(3);
  });

  it('agrees with the whole table for any words, short or long, in any order of calls', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 80 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, limit) => {
        expect(typingDistance(a, b, limit)).toBe(Math.min(referenceDistance(a, b), limit + 1));
      }),
      { numRuns: 500 },
    );
  });
});
