import { describe, expect, it } from 'vitest';
import { cleanQuestion } from '../../src/search/question-text.js';

describe('cleanQuestion', () => {
  it('removes control and format characters, and reads those that space words as a space', () => {
    expect(cleanQuestion('who sei\u0007zed\u200b the\u00ad police\u001b station\u0000')).toBe('who seized the police station');
    expect(cleanQuestion('who seized\tthe\r\npolice station')).toBe('who seized the  police station');
    expect(cleanQuestion('who sei\u0085zed it')).toBe('who seized it');
    expect(cleanQuestion('\ufeffwho seized it\u200e')).toBe('who seized it');
  });

  it('reads Latin letters without accents, written composed or not, and drops a mark that sits on nothing', () => {
    expect(cleanQuestion('se\u0301ized the operati\u00f6n')).toBe('seized the operation');
    expect(cleanQuestion('seiz\u0308ed \u0301the')).toBe('seized the');
    expect(cleanQuestion('Who is Zo\u00eb?')).toBe('Who is Zoe?');
  });

  it('keeps the letters of Greek and Cyrillic, and drops a mark those scripts have no letter for', () => {
    expect(cleanQuestion('\u0439 \u03ac')).toBe('\u0439 \u03ac');
    expect(cleanQuestion('\u0431\u0301\u0443\u043a\u0432\u0430')).toBe('\u0431\u0443\u043a\u0432\u0430');
  });

  it('keeps the marks of scripts that write them apart from their letters', () => {
    expect(cleanQuestion('\u0939\u093f\u0902\u0926\u0940')).toBe('\u0939\u093f\u0902\u0926\u0940');
    expect(cleanQuestion('\u0643\u064e\u062a\u064e\u0628\u064e')).toBe('\u0643\u064e\u062a\u064e\u0628\u064e');
  });

  it('folds compatibility forms: full-width letters and ligatures', () => {
    expect(cleanQuestion('\uff37\uff48\uff4f seized the \ufb01eld?')).toBe('Who seized the field?');
  });

  it('lowers a question written in capitals, and leaves capitals inside an ordinary question alone', () => {
    expect(cleanQuestion('WHO SEIZED THE POLICE STATION?')).toBe('who seized the police station?');
    expect(cleanQuestion('Who are the TTP?')).toBe('Who are the TTP?');
    expect(cleanQuestion('TTP?')).toBe('TTP?');
  });

  it('makes repeated question and exclamation marks one', () => {
    expect(cleanQuestion('who did it??')).toBe('who did it?');
    expect(cleanQuestion('who did it?!?!')).toBe('who did it?');
    expect(cleanQuestion('really!!!')).toBe('really!');
  });
});
