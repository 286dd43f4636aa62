import { describe, expect, it } from 'vitest';
import { firstNotBefore } from '../../src/search/bisect.js';

describe('finding by halves', () => {
  const sorted = [2, 4, 4, 7, 9];
  const at = (sought: number): number => firstNotBefore(sorted.length, (i) => sorted[i]! < sought);

  it('gives the first item not before the one sought: the item itself when present, the first of equal ones', () => {
    expect(at(7)).toBe(3);
    expect(at(4)).toBe(1);
    expect(at(2)).toBe(0);
  });

  it('gives where an absent item would go: before all, between two, after all', () => {
    expect(at(1)).toBe(0);
    expect(at(5)).toBe(3);
    expect(at(10)).toBe(5);
    expect(firstNotBefore(0, () => true)).toBe(0);
  });
});
