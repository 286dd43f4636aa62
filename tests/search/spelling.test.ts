import { describe, expect, it } from 'vitest';
import { likelyEnglishWord } from '../../src/search/spelling.js';

describe('likelyEnglishWord', () => {
  it('reads a misspelling as the commonest English word one slip away', () => {
    expect(likelyEnglishWord('hostges')).toBe('hostages');
    expect(likelyEnglishWord('plce')).toBe('place');
    expect(likelyEnglishWord('voilence')).toBe('violence');
  });

  it('leaves English words alone', () => {
    expect(likelyEnglishWord('lies')).toBeUndefined();
    expect(likelyEnglishWord('police')).toBeUndefined();
  });

  it('finds nothing for a word no English word is a slip from', () => {
    expect(likelyEnglishWord('xqzvbk')).toBeUndefined();
  });
});
