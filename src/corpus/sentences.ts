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

const LAST_WORD = /([\p{L}.]+)\.\s*$/u;
/** A single capital letter with a full stop, as in initials ("J. Smith"). */
const INITIAL = /(?:^|\s)\p{Lu}\.\s*$/u;

function endsWithAbbreviation(sentence: string): boolean {
  if (INITIAL.test(sentence)) return true;
  const word = LAST_WORD.exec(sentence)?.[1];
  return word !== undefined && ABBREVIATIONS.has(word.toLowerCase());
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
