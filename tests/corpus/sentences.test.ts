import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/corpus/sentences.js';

/** The sentences of `text`, as the strings the spans point at. */
function sentences(text: string): string[] {
  return splitSentences(text).map(({ start, end }) => text.slice(start, end));
}

describe('splitSentences', () => {
  it('does not end a sentence after "Mr" or "Mr."', () => {
    expect(sentences('Mr Asif told parliament. He said so.')).toEqual(['Mr Asif told parliament.', 'He said so.']);
    expect(sentences('Mr. Asif spoke. He said no.')).toEqual(['Mr. Asif spoke.', 'He said no.']);
  });

  it('keeps "12:30" and "07:30 GMT" inside one sentence', () => {
    const text =
      'Army commandoes are said to have taken the chance to take back the police station at 12:30 local time (07:30 GMT) after the hostage-takers found themselves arguing among themselves. Witnesses reported explosions.';
    expect(sentences(text)).toEqual([
      'Army commandoes are said to have taken the chance to take back the police station at 12:30 local time (07:30 GMT) after the hostage-takers found themselves arguing among themselves.',
      'Witnesses reported explosions.',
    ]);
  });

  it('keeps curly quotes with the sentence they close', () => {
    expect(sentences('Mr Asif said “all the terrorists” had been killed. He said: “They were freed.” Then he left.')).toEqual([
      'Mr Asif said “all the terrorists” had been killed.',
      'He said: “They were freed.”',
      'Then he left.',
    ]);
  });

  it('does not break at en dashes', () => {
    expect(sentences('The Pakistani Taliban – also known as the TTP – confirmed it. It was behind the attack.')).toEqual([
      'The Pakistani Taliban – also known as the TTP – confirmed it.',
      'It was behind the attack.',
    ]);
  });

  it('keeps "Dr. Smith" and "U.S. Army" in one sentence', () => {
    expect(sentences('Dr. Smith arrived. He left.')).toEqual(['Dr. Smith arrived.', 'He left.']);
    expect(sentences('The U.S. Army said so. It did.')).toEqual(['The U.S. Army said so.', 'It did.']);
  });

  it('does not end a sentence at initials such as "J. R. Smith"', () => {
    expect(sentences('J. R. Smith spoke. Then H. Khan did.')).toEqual(['J. R. Smith spoke.', 'Then H. Khan did.']);
  });

  it('returns spans as offsets without the white space around each sentence', () => {
    const text = '  Leading space.   Trailing space.  ';
    expect(splitSentences(text)).toEqual([
      { start: 2, end: 16 },
      { start: 19, end: 34 },
    ]);
  });

  it('returns no sentence for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\t ')).toEqual([]);
  });

  it('returns ordered, trimmed spans that cover every non-space character of any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (text) => {
        const spans = splitSentences(text);
        let previousEnd = 0;
        const covered = new Array<boolean>(text.length).fill(false);
        for (const { start, end } of spans) {
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect(end).toBeGreaterThan(start);
          expect(text[start]).toMatch(/\S/u);
          expect(text[end - 1]).toMatch(/\S/u);
          for (let i = start; i < end; i++) covered[i] = true;
          previousEnd = end;
        }
        covered.forEach((isCovered, i) => {
          if (!isCovered) expect(text[i]).toMatch(/\s/u);
        });
      }),
      { numRuns: 300 },
    );
  });
});
