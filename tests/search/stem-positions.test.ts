import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/search/analyzer.js';
import { knownStemPositions, positionsOfStems, stemPositions } from '../../src/search/stem-positions.js';

describe('stemPositions', () => {
  it('gives every token index of each stem, ascending', () => {
    const tokens = tokenize('Militants seized the station; the militants held the station for two days.');
    const positions = stemPositions(tokens);
    expect(positions.get('milit')).toEqual([0, 5]);
    expect(positions.get('station')).toEqual([3, 8]);
    expect(positions.get('the')).toEqual([2, 4, 7]);
    expect(positions.get('hostag')).toBeUndefined();
  });

  it('agrees with a scan of the tokens for any text', () => {
    const word = fc.constantFrom('police', 'policing', 'station', 'the', 'seized', 'seize', 'Bannu', '33', 'hostage-takers');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), (words) => {
        const tokens = tokenize(words.join(' '));
        const positions = stemPositions(tokens);
        for (const [stem, indexes] of positions) {
          expect(indexes).toEqual(tokens.flatMap((token, index) => (token.stem === stem ? [index] : [])));
        }
        expect([...positions.values()].reduce((sum, indexes) => sum + indexes.length, 0)).toBe(tokens.length);
      }),
      { numRuns: 200 },
    );
  });

  it('builds the map once per token list', () => {
    const tokens = tokenize('The police station in Bannu');
    expect(stemPositions(tokens)).toBe(stemPositions(tokens));
  });

  it('finds only the stems asked for the same positions, and keeps nothing', () => {
    const word = fc.constantFrom('police', 'policing', 'station', 'the', 'seized', 'seize', 'Bannu', '33', 'hostage-takers');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), fc.array(word, { maxLength: 4 }), (words, asked) => {
        const tokens = tokenize(words.join(' '));
        const stems = new Set(tokenize(asked.join(' ')).map((token) => token.stem));
        const found = positionsOfStems(tokens, stems);
        expect(knownStemPositions(tokens)).toBeUndefined();
        const all = stemPositions(tokens);
        expect(knownStemPositions(tokens)).toBe(all);
        expect(new Map([...all].filter(([stem]) => stems.has(stem)))).toEqual(found);
      }),
      { numRuns: 200 },
    );
  });
});
