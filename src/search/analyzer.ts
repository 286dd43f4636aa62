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
];

/** English stop words and question words: dropped from questions, not indexed. */
export const STOP_WORD_LIST: readonly string[] = [...new Set([...englishStopWords, ...QUESTION_WORDS, ...EXTRA_STOP_WORDS])];
const STOP_WORDS: ReadonlySet<string> = new Set(STOP_WORD_LIST);

// A word: letters and digits, with inner apostrophes, or a number written with separators such as 12:30 or 1,000.
// Hyphens split words, so "hostage-takers" also matches "hostage takers". As a regular expression, a word is
//   /\d+(?:[:.,]\d+)*|[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu
// which `tokenize` implements by scanning characters (see `wordEnd`).

const ASCII_ONLY = /^[\x00-\x7F]*$/;
const COMBINING_MARKS = /\p{M}+/gu;
const CURLY_APOSTROPHES = /[‘’ʼ`´]/g;
/** Characters folded one at a time: everything outside ASCII, and the backtick (an apostrophe). */
const FOLDED_ONE_BY_ONE = /[^\x00-\x5F\x61-\x7F]/gu;
/** Folding a character is slow (NFKD) and texts repeat the same few: folded characters are remembered. */
const FOLDED_CHARS_LIMIT = 10_000;
const foldedChars = new Map<string, string>();

function foldChar(char: string): string {
  let folded = foldedChars.get(char);
  if (folded === undefined) {
    const plain = char.normalize('NFKD').replace(COMBINING_MARKS, '').replace(CURLY_APOSTROPHES, "'").toLowerCase();
    // A character that folds to a different length would shift every offset after it: keep the original instead.
    folded = plain.length === char.length ? plain : char.toLowerCase().length === char.length ? char.toLowerCase() : char;
    if (foldedChars.size < FOLDED_CHARS_LIMIT) foldedChars.set(char, folded);
  }
  return folded;
}

/**
 * Folds case, curly apostrophes and diacritics so that "Ḳhyber", "khyber" and "KHYBER" are one word.
 * Keeps the string's length so token offsets still point into the original text.
 */
export function normalise(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  // ASCII runs are only lowercased; other characters are folded one by one (as a whole-string toLowerCase
  // could change lengths, e.g. "İ").
  let folded = '';
  let last = 0;
  FOLDED_ONE_BY_ONE.lastIndex = 0;
  for (let match = FOLDED_ONE_BY_ONE.exec(text); match !== null; match = FOLDED_ONE_BY_ONE.exec(text)) {
    if (match.index > last) folded += text.slice(last, match.index).toLowerCase();
    folded += foldChar(match[0]);
    last = match.index + match[0].length;
  }
  return folded + text.slice(last).toLowerCase();
}

function stripPossessive(word: string): string {
  return word.endsWith("'s") ? word.slice(0, -2) : word.replace(/'$/, '');
}

// The character classes a word is made of, by code point, computed once per character: tokenizing scans
// characters instead of running the regular expression, whose match objects dominated indexing and re-ranking.
const LETTER = 1;
const LETTER_OR_NUMBER = 2;
const UNCLASSIFIED = 4;
const bmpClasses = new Uint8Array(0x10000).fill(UNCLASSIFIED);
const astralClasses = new Map<number, number>();
const IS_LETTER = /^\p{L}$/u;
const IS_LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

function classify(codePoint: number): number {
  const char = String.fromCodePoint(codePoint);
  return (IS_LETTER.test(char) ? LETTER : 0) | (IS_LETTER_OR_NUMBER.test(char) ? LETTER_OR_NUMBER : 0);
}

function classOf(codePoint: number): number {
  if (codePoint < 0x10000) {
    let value = bmpClasses[codePoint]!;
    if (value === UNCLASSIFIED) bmpClasses[codePoint] = value = classify(codePoint);
    return value;
  }
  let value = astralClasses.get(codePoint);
  if (value === undefined) astralClasses.set(codePoint, (value = classify(codePoint)));
  return value;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const APOSTROPHE = 39;
const RIGHT_SINGLE_QUOTE = 0x2019;

/** Where the word starting at `start` ends: the end of the regular expression's match there. */
function wordEnd(text: string, start: number): number {
  const length = text.length;
  let end = start;
  if (isDigit(text.charCodeAt(start))) {
    // \d+(?:[:.,]\d+)*
    end++;
    while (end < length && isDigit(text.charCodeAt(end))) end++;
    for (;;) {
      const separator = text.charCodeAt(end);
      if ((separator !== 58 && separator !== 46 && separator !== 44) || !isDigit(text.charCodeAt(end + 1))) return end;
      end += 2;
      while (end < length && isDigit(text.charCodeAt(end))) end++;
    }
  }
  // [\p{L}\p{N}]+(?:['’][\p{L}]+)*
  while (end < length) {
    const point = text.codePointAt(end)!;
    if ((classOf(point) & LETTER_OR_NUMBER) === 0) break;
    end += point > 0xffff ? 2 : 1;
  }
  for (;;) {
    const mark = text.charCodeAt(end);
    if (mark !== APOSTROPHE && mark !== RIGHT_SINGLE_QUOTE) return end;
    let after = end + 1;
    while (after < length) {
      const point = text.codePointAt(after)!;
      if ((classOf(point) & LETTER) === 0) break;
      after += point > 0xffff ? 2 : 1;
    }
    if (after === end + 1) return end;
    end = after;
  }
}

/**
 * Every word met so far with its stem, in an open-addressing table looked up by a range of the text: a word
 * already met costs no new string and no stemming, and all its tokens share one string. Stemming and hashing
 * fresh strings dominated indexing and re-ranking. Bounded: when full, it starts again empty.
 */
const WORD_TABLE_LIMIT = 200_000;
/** More than twice the limit, so probes stay short. */
const WORD_TABLE_SLOTS = 1 << 19;
const slots = new Int32Array(WORD_TABLE_SLOTS);
const hashes = new Int32Array(WORD_TABLE_LIMIT);
const stopFlags = new Uint8Array(WORD_TABLE_LIMIT);
let words: string[] = [];
let stems: string[] = [];

function hashRange(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

function sameRange(word: string, text: string, start: number): boolean {
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** The table entry of the word `text[start, end)`, added with its stem when new. Read it before the next call. */
function wordEntry(text: string, start: number, end: number): number {
  const hash = hashRange(text, start, end);
  const length = end - start;
  const mask = WORD_TABLE_SLOTS - 1;
  let slot = hash & mask;
  for (let entry = slots[slot]!; entry !== 0; entry = slots[slot]!) {
    const index = entry - 1;
    if (hashes[index] === hash && words[index]!.length === length && sameRange(words[index]!, text, start)) return index;
    slot = (slot + 1) & mask;
  }
  if (words.length >= WORD_TABLE_LIMIT) {
    slots.fill(0);
    words = [];
    stems = [];
    slot = hash & mask;
  }
  const word = start === 0 && end === text.length ? text : text.slice(start, end);
  const index = words.length;
  words.push(word);
  // Numbers and times are kept as they are.
  stems.push(isDigit(word.charCodeAt(0)) ? word : stemmer(word));
  hashes[index] = hash;
  stopFlags[index] = STOP_WORDS.has(word) ? 1 : 0;
  slots[slot] = index + 1;
  return index;
}

function hasApostrophe(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === APOSTROPHE || code === RIGHT_SINGLE_QUOTE) return true;
  }
  return false;
}

/** Calls `visit` with each word of the text: its table entry, and where it sits in the text. */
function scanWords(text: string, visit: (entry: number, start: number, end: number) => void): void {
  const normalised = normalise(text);
  const length = normalised.length;
  for (let start = 0; start < length; ) {
    const code = normalised.charCodeAt(start);
    if (!isDigit(code)) {
      const point = normalised.codePointAt(start)!;
      if ((classOf(point) & LETTER_OR_NUMBER) === 0) {
        start += point > 0xffff ? 2 : 1;
        continue;
      }
    }
    const end = wordEnd(normalised, start);
    if (hasApostrophe(normalised, start, end)) {
      const word = stripPossessive(normalised.slice(start, end)).replace(/'/g, '');
      if (word.length > 0) visit(wordEntry(word, 0, word.length), start, end);
    } else {
      visit(wordEntry(normalised, start, end), start, end);
    }
    start = end;
  }
}

/** Splits text into tokens, keeping stop words (sentence matching and highlighting need every word's place). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  scanWords(text, (entry, start, end) => {
    tokens.push({ stem: stems[entry]!, word: words[entry]!, start, end });
  });
  return tokens;
}

/**
 * Calls `visit` with the word and stem of each token of the text that carries its topic, in order: what
 * `contentTokens` gives, without building tokens (for indexing).
 */
export function forEachContentWord(text: string, visit: (word: string, stem: string) => void): void {
  scanWords(text, (entry) => {
    if (stopFlags[entry] === 0) visit(words[entry]!, stems[entry]!);
  });
}

/** The Porter stem of a normalised word; numbers and times are kept as they are. */
export function stemWord(word: string): string {
  if (isDigit(word.charCodeAt(0))) return word;
  const entry = wordEntry(word, 0, word.length); // first: it may replace the arrays
  return stems[entry]!;
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
