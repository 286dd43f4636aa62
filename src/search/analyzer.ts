import { stemmer } from 'stemmer';
import { eng as englishStopWords } from 'stopword';

/**
 * One word of analysed text: its stem (what the index stores) and where it sits in the original string,
 * so that matches can be marked in the verbatim quote.
 */
export interface Token {
  readonly stem: string;
  /** The normalised surface form before stemming: fuzzy matching measures typos against this. */
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/** Words a question is made of that say what kind of answer is wanted, not what it is about. */
const QUESTION_WORDS = ['what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'whats'];

/** Words the stop list keeps that carry no topic in a question. */
const EXTRA_STOP_WORDS = [
  'does', 'doing', 'done', 'was', 'were', 'be', 'is', 'are', 'am', 'it', 'its', 'did', 'do', 'the', 'a', 'an',
  'there', 'any', 'anything', 'tell', 'me', 'us', 'know', 'please', 'about', 'happen', 'happened', 'say', 'says',
  'anyone', 'anybody', 'someone', 'somebody', 'everyone', 'everybody', 'something', 'everything',
];

/** English stop words and question words: dropped from questions, not indexed. */
export const STOP_WORD_LIST: readonly string[] = [...new Set([...englishStopWords, ...QUESTION_WORDS, ...EXTRA_STOP_WORDS])];
const STOP_WORDS: ReadonlySet<string> = new Set(STOP_WORD_LIST);

/**
 * A word: letters and digits, with inner apostrophes, or a number written with separators such as 12:30 or 1,000.
 * Hyphens split words, so "hostage-takers" also matches "hostage takers".
 */
const WORD = /\d+(?:[:.,]\d+)*|[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

const ASCII_ONLY = /^[\x00-\x7F]*$/;
const COMBINING_MARKS = /\p{M}+/gu;
const CURLY_APOSTROPHES = /[‘’ʼ`´]/g;

/**
 * Folds case, curly apostrophes and diacritics so that "Ḳhyber", "khyber" and "KHYBER" are one word.
 * Keeps the string's length so token offsets still point into the original text.
 */
export function normalise(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  let folded = '';
  for (const char of text) {
    // Most characters are ASCII even here: they fold to their lower case (the backquote, an apostrophe, excepted)
    // without decomposing each, which was a third of the time indexing spent analysing.
    if (char <= '\x7f' && char !== '`') {
      folded += char.toLowerCase();
      continue;
    }
    const plain = char.normalize('NFKD').replace(COMBINING_MARKS, '').replace(CURLY_APOSTROPHES, "'").toLowerCase();
    // A character that folds to a different length would shift every offset after it: keep the original instead.
    folded += plain.length === char.length ? plain : char.toLowerCase().length === char.length ? char.toLowerCase() : char;
  }
  return folded;
}

/** The word without a possessive ending or apostrophes: "taliban's" is "taliban", "don't" is "dont". */
function withoutApostrophes(word: string): string {
  // Most words have none: skip the string work for them (tokenizing is most of indexing and of re-ranking).
  if (!word.includes("'")) return word;
  return (word.endsWith("'s") ? word.slice(0, -2) : word.replace(/'$/, '')).replace(/'/g, '');
}

/** Splits text into tokens, keeping stop words (sentence matching and highlighting need every word's place). */
export function tokenize(text: string): Token[] {
  const normalised = normalise(text);
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(normalised); match !== null; match = WORD.exec(normalised)) {
    const word = withoutApostrophes(match[0]);
    if (word.length === 0) continue;
    const start = match.index;
    tokens.push({ stem: stemWord(word), word, start, end: start + match[0].length });
  }
  return tokens;
}

/** Stemming dominates indexing time and words repeat: stems are remembered, up to a bound. */
const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<string, string>();
const DIGIT_ZERO = 48;
const DIGIT_NINE = 57;

/** The Porter stem of a normalised word; numbers and times are kept as they are. */
export function stemWord(word: string): string {
  const first = word.charCodeAt(0);
  if (first >= DIGIT_ZERO && first <= DIGIT_NINE) return word;
  let stem = stemCache.get(word);
  if (stem === undefined) {
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stem = stemmer(word);
    stemCache.set(word, stem);
  }
  return stem;
}

/** True for words that carry no topic: English stop words and question words. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

const STOP_STEMS: ReadonlySet<string> = new Set([...STOP_WORDS].map(stemWord));

/** True for stems of stop words: they are not indexed, so they cannot be searched for. */
export function isStopStem(stem: string): boolean {
  return STOP_STEMS.has(stem);
}

/** The tokens of a text that carry its topic: stop words and question words dropped. */
export function contentTokens(text: string): Token[] {
  return tokenize(text).filter((token) => !isStopWord(token.word));
}

/**
 * The words of {@link contentTokens}, without their stems or places: what indexing needs. A token object for each
 * of a large corpus's ten million words, only to drop its offsets, was a tenth of a build; and the matched words
 * alone, without a match object each, are read about 8 % faster.
 */
export function contentWords(text: string): string[] {
  const words: string[] = [];
  for (const match of normalise(text).match(WORD) ?? []) {
    const word = withoutApostrophes(match);
    if (word.length > 0 && !STOP_WORDS.has(word)) words.push(word);
  }
  return words;
}
