/**
 * What a member's question carries that is not what they asked: characters a paste or a mistyped key leaves, an
 * accent with nothing to sit on, capitals held down. Removed before a question is analysed or embedded, so that
 * "who seized the police station" and "WHO SEIZED THE\u0007 POLICE STATION" are one question. Corpus text is never
 * cleaned this way: quotes stay verbatim.
 */

/**
 * Control characters that separate words as a space does: tab and line breaks, as a message of several lines has.
 * Not NEL (U+0085), a line break only in old encodings: in a question it is a stray byte inside a word.
 */
const SPACING_CONTROLS = /[\t\n\v\f\r\u2028\u2029]/g;
/** Control and format characters (bell, escape, zero-width space, soft hyphen, direction marks…) and lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;
/**
 * Accents on Latin letters, with the text decomposed (NFKD), and marks after no letter at all. Analysis reads the
 * corpus's Latin letters without their accents ("Ḳhyber" is "Khyber"), so a question's accents never find a word;
 * dropped, they no longer mislead the sentence model either, as a stray one does ("operatiön"). Marks of other
 * scripts are kept: some write vowels as marks apart from their letters (Devanagari, Arabic).
 */
const FOLDED_MARKS = /(^|[^\p{L}\p{M}]|\p{Script=Latin})\p{M}+/gu;
/** Marks that NFC could not compose onto a Greek or Cyrillic letter: that script has no such letter. */
const STRAY_MARKS = /([\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
const LOWER = /\p{Ll}/u;
/** Words of two or more capitals: a question with two of them and no lower-case letter is written in capitals. */
const CAPITAL_WORDS = /\p{Lu}{2,}/gu;
/** "??", "?!?", "!!!": one mark says as much. */
const REPEATED_MARKS = /([?!])[?!]+/g;

/**
 * The question without its input noise: compatibility forms folded (NFKC: full-width letters, ligatures), control
 * and format characters removed (those that space words become a space), accents on Latin letters and stray
 * combining marks removed, a question written all in capitals lowered, and repeated question and exclamation marks
 * made one.
 */
export function cleanQuestion(text: string): string {
  const cleaned = text
    .replace(SPACING_CONTROLS, ' ')
    .replace(INVISIBLE, '')
    .normalize('NFKD')
    .replace(FOLDED_MARKS, '$1')
    .normalize('NFC')
    .replace(STRAY_MARKS, '$1')
    .replace(REPEATED_MARKS, '$1');
  return writtenInCapitals(cleaned) ? cleaned.toLowerCase() : cleaned;
}

/** No lower-case letter, and at least two words in capitals: "WHO SEIZED IT", not "TTP?" or "Who are the TTP?". */
function writtenInCapitals(text: string): boolean {
  return !LOWER.test(text) && (text.match(CAPITAL_WORDS)?.length ?? 0) >= 2;
}
