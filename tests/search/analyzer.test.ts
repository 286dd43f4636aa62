import fc from 'fast-check';
import { stemmer } from 'stemmer';
import { describe, expect, it } from 'vitest';
import { contentTokens, contentWords, isStopWord, normalise, stemWord, tokenize } from '../../src/search/analyzer.js';

/** Tokenizing as first written, one regular expression step per word: the faster scan must agree with it. */
function referenceTokenize(text: string): { stem: string; word: string; start: number; end: number }[] {
  const word = /\d+(?:[:.,]\d+)*|[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
  return [...normalise(text).matchAll(word)].flatMap((match) => {
    const stripped = (match[0].endsWith("'s") ? match[0].slice(0, -2) : match[0].replace(/'$/, '')).replace(/'/g, '');
    if (stripped === '') return [];
    return [{ stem: /^\d/.test(stripped) ? stripped : stemmer(stripped), word: stripped, start: match.index, end: match.index + match[0].length }];
  });
}

const words = (text: string): string[] => tokenize(text).map((token) => token.word);
const stems = (text: string): string[] => tokenize(text).map((token) => token.stem);

describe('normalise', () => {
  it('folds case, diacritics and curly apostrophes', () => {
    expect(normalise('KHYBER Ḳhyber naïve Peshāwar')).toBe('khyber khyber naive peshawar');
    expect(normalise('country’s ‘shared’ border')).toBe("country's 'shared' border");
  });

  it('folds any string as decomposing every character does', () => {
    const reference = (text: string): string =>
      [...text]
        .map((char) => {
          const plain = char.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[‘’ʼ`´]/g, "'").toLowerCase();
          return plain.length === char.length ? plain : char.toLowerCase().length === char.length ? char.toLowerCase() : char;
        })
        .join('');
    const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('`', 'É', 'Ḳhyber', 'ﬁ', 'İ', '’s', 'ABC xyz'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = `é${pieces.join('')}`;
        expect(normalise(text)).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the length of any string, so offsets into it are offsets into the original', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => normalise(text).length === text.length),
      { numRuns: 200 },
    );
    expect(normalise('ﬁne İstanbul')).toHaveLength('ﬁne İstanbul'.length);
  });
});

describe('tokenize', () => {
  it('gives each token the offsets of its word in the original text', () => {
    const text = 'The Pakistani Taliban’s “hostage-takers” – in Ḳhyber';
    for (const token of tokenize(text)) {
      const original = normalise(text.slice(token.start, token.end)).replace(/'s$/, '').replace(/'/g, '');
      expect(original).toBe(token.word);
    }
    expect(words(text)).toEqual(['the', 'pakistani', 'taliban', 'hostage', 'takers', 'in', 'khyber']);
  });

  it('splits hyphenated words, so "hostage-takers" and "hostage takers" are the same stems', () => {
    expect(stems('hostage-takers')).toEqual(stems('hostage takers'));
    expect(stems('counter-terrorism')).toEqual(['counter', 'terror']);
  });

  it('drops possessive endings, straight or curly', () => {
    expect(words("Pakistan's army")).toEqual(['pakistan', 'army']);
    expect(words('the countries’ shared border')).toEqual(['the', 'countries', 'shared', 'border']);
    expect(words('Asif’s')).toEqual(['asif']);
  });

  it('keeps numbers and times whole and unstemmed', () => {
    expect(tokenize('at 12:30 local time (07:30 GMT), all 33 of 1,000 and 2.5')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ word: '12:30', stem: '12:30' }),
        expect.objectContaining({ word: '07:30', stem: '07:30' }),
        expect.objectContaining({ word: '33', stem: '33' }),
        expect.objectContaining({ word: '1,000', stem: '1,000' }),
        expect.objectContaining({ word: '2.5', stem: '2.5' }),
      ]),
    );
    expect(words('07:30 GMT')).toEqual(['07:30', 'gmt']);
  });

  it('stems inflections of a word to one stem', () => {
    expect(new Set(stems('killed killing kills'))).toEqual(new Set(['kill']));
    expect(stemWord('hostages')).toBe(stemWord('hostage'));
    expect(stemWord('militants')).toBe(stemWord('militant'));
  });

  it('finds nothing to index in punctuation, emoji or markup alone', () => {
    expect(tokenize('?!… — “” ** __ `` 🙂💥')).toEqual([]);
  });

  it('gives the tokens the one-step-per-word reading gives, for any text', () => {
    const piece = fc.oneof(
      fc.constantFrom("Taliban's", 'hostage-takers', "don't", "o'clock", 'rock’n’roll', '12:30', '1,000.5', 'Ḳhyber', 'İstanbul', "s'", "'", ' ', '\n'),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join(' ');
        expect(tokenize(text)).toEqual(referenceTokenize(text));
      }),
      { numRuns: 500 },
    );
  });

  it('returns tokens inside the text for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        for (const token of tokenize(text)) {
          expect(token.start).toBeGreaterThanOrEqual(0);
          expect(token.end).toBeLessThanOrEqual(text.length);
          expect(token.end).toBeGreaterThan(token.start);
          expect(token.word.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('contentTokens', () => {
  it('drops stop words and question words, keeping the words that carry the topic', () => {
    expect(contentTokens('What were the hostage-takers doing when they were killed?').map((t) => t.word)).toEqual([
      'hostage',
      'takers',
      'killed',
    ]);
    expect(contentTokens('Who, where, why and how? Tell me about it, please.')).toEqual([]);
  });

  it('gives the same words as contentWords, which indexing reads, for any text', () => {
    const piece = fc.oneof(fc.constantFrom("Taliban's", 'the', 'What', "don't", '12:30', 'Ḳhyber', "'", ' ', '\n'), fc.string({ unit: 'binary', maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join(' ');
        expect(contentWords(text)).toEqual(contentTokens(text).map((token) => token.word));
      }),
      { numRuns: 500 },
    );
  });

  it('treats question words as stop words', () => {
    for (const word of ['what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how']) expect(isStopWord(word)).toBe(true);
    expect(isStopWord('hostage')).toBe(false);
  });
});
