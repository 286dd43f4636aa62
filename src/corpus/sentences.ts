import type { SentenceSpan } from './types.js';

/**
 * Sentence boundaries come from ICU's Unicode sentence rules (UAX #29) through `Intl.Segmenter`, which Node ships:
 * they already keep "12:30", "07:30 GMT", curly quotes and dashes inside their sentence. ICU breaks after
 * every ". " followed by a capital, so abbreviations that end in a full stop are joined back here.
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Abbreviations written with a full stop that rarely end a sentence (news style, lowercase). */
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'gen', 'col', 'lt', 'maj', 'capt', 'sgt', 'gov', 'sen', 'rep', 'rev',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'no', 'vs', 'etc', 'e.g', 'i.e', 'approx', 'inc', 'ltd', 'co', 'corp', 'u.s', 'u.k', 'u.n', 'a.m', 'p.m',
]);

const LETTER = /^\p{L}$/u;
const CAPITAL = /^\p{Lu}$/u;

/** The code point ending just before `end` (a surrogate pair whole), or '' at the start. */
function charBefore(text: string, end: number): string {
  if (end <= 0) return '';
  const last = text.charCodeAt(end - 1);
  const isLow = last >= 0xdc00 && last <= 0xdfff;
  const high = text.charCodeAt(end - 2);
  return isLow && end >= 2 && high >= 0xd800 && high <= 0xdbff ? text.slice(end - 2, end) : text.slice(end - 1, end);
}

/**
 * Whether the sentence ends with an initial ("J.") or a listed abbreviation ("Gen.", "U.S."): the word is the
 * run of letters and full stops before the final full stop. Read backwards from the end, as a regular expression
 * anchored at the end (tried from every position of the sentence) was a fifth of loading a large corpus.
 */
function endsWithAbbreviation(sentence: string): boolean {
  const end = sentence.trimEnd().length;
  if (sentence[end - 1] !== '.') return false;
  const last = charBefore(sentence, end - 1);
  if (CAPITAL.test(last)) {
    const before = charBefore(sentence, end - 1 - last.length);
    if (before === '' || /^\s$/u.test(before)) return true;
  }
  let start = end - 1;
  for (let c = charBefore(sentence, start); c === '.' || LETTER.test(c); c = charBefore(sentence, start)) start -= c.length;
  return start < end - 1 && ABBREVIATIONS.has(sentence.slice(start, end - 1).toLowerCase());
}

/** Splits a text into sentences, as spans without their surrounding white space. */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let pendingStart: number | undefined;
  // A hard-wrapped paragraph breaks its lines mid-sentence; ICU would end a sentence at each line break.
  for (const { segment, index } of segmenter.segment(text.replace(/[\r\n]/g, ' '))) {
    const start = pendingStart ?? index;
    const end = index + segment.length;
    if (endsWithAbbreviation(segment) && end < text.length) {
      pendingStart = start;
      continue;
    }
    pendingStart = undefined;
    pushTrimmed(spans, text, start, end);
  }
  if (pendingStart !== undefined) pushTrimmed(spans, text, pendingStart, text.length);
  return spans;
}

function pushTrimmed(spans: SentenceSpan[], text: string, start: number, end: number): void {
  let from = start;
  let to = end;
  while (from < to && /\s/u.test(text[from] ?? '')) from++;
  while (to > from && /\s/u.test(text[to - 1] ?? '')) to--;
  if (to > from) spans.push({ start: from, end: to });
}
