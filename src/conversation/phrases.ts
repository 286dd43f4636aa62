import { isStopWord } from '../search/analyzer.js';

/**
 * English's closed word classes, as a follow-up question is read: these lists are the language's, not the corpus's,
 * so they hold for any corpus. Everything else is a content word (the analyzer's stop list decides).
 */
export const WORD_CLASSES = {
  wh: new Set(['what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how']),
  /** Forms of be, do and have, and the modals: what a question inverts ("did they…", "were there…"). */
  auxiliaries: new Set([
    'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'have', 'has', 'had', 'will', 'would', 'can', 'could', 'should',
    'shall', 'may', 'might', 'must', "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "hasn't", "haven't", "hadn't",
    "won't", "wouldn't", "can't", "couldn't", "shouldn't", "what's", "who's", "where's", "how's",
  ]),
  /** The auxiliaries after which a question's subject comes before its verb: "what did [the militants] [demand]". */
  doSupport: new Set(['do', 'does', 'did', 'will', 'would', 'can', 'could', 'should', 'shall', 'may', 'might', 'must', "don't", "doesn't", "didn't"]),
  be: new Set(['is', 'are', 'was', 'were', "isn't", "aren't", "wasn't", "weren't"]),
  determiners: new Set([
    'the', 'a', 'an', 'this', 'that', 'these', 'those', 'his', 'her', 'its', 'their', 'our', 'your', 'my', 'some', 'any', 'all', 'every', 'each',
    'several', 'many', 'few', 'both', 'no', 'another', 'other', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  ]),
  prepositions: new Set([
    'in', 'on', 'at', 'of', 'with', 'from', 'by', 'for', 'to', 'near', 'about', 'after', 'before', 'during', 'into', 'inside', 'against', 'among',
    'between', 'under', 'over', 'since', 'until', 'without', 'through', 'across', 'around', 'behind', 'including', 'like',
  ]),
  /** Words a chat follow-up opens with that carry nothing: "and when?", "ok so why?". */
  openers: new Set(['and', 'but', 'so', 'also', 'or', 'plus', 'ok', 'okay', 'oh', 'well', 'right', 'hmm', 'then', 'now', 'alright']),
  /** Particles that end a phrasal verb: "take back", "step up". */
  particles: new Set(['back', 'up', 'out', 'off', 'away', 'down']),
  plural: new Set(['they', 'them', 'their', 'theirs', 'themselves']),
  person: new Set(['he', 'him', 'his', 'himself', 'she', 'her', 'hers', 'herself']),
  neuter: new Set(['it', 'its', 'itself']),
  demonstratives: new Set(['this', 'that', 'these', 'those']),
  possessives: new Set(['its', 'their', 'his', 'her', 'whose']),
  /** Plurals without an -s. */
  irregularPlurals: new Set(['people', 'men', 'women', 'children', 'police', 'personnel', 'staff', 'folk', 'troops']),
} as const;

/** A word of a question or quote, with where it sits in the text. */
export interface Word {
  readonly text: string;
  readonly lower: string;
  readonly start: number;
  readonly end: number;
}

/** Words with inner apostrophes and hyphens kept whole ("hostage-takers", "didn't"), and numbers (12:30). */
const WORD = /\d+(?:[:.,]\d+)*|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
/** Punctuation that ends a phrase: a phrase never runs over a comma or a dash. */
const BREAK = /[,;:()–—"“”?!.]/;

/** The words of a text, with a flag on each word after which the text breaks (punctuation). */
export function wordsOf(text: string): Word[] {
  return [...text.matchAll(WORD)].map((match) => ({
    text: match[0],
    lower: match[0].toLowerCase().replaceAll('’', "'"),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** Whether punctuation stands between two words of `text`. */
export function breaksBetween(text: string, left: Word, right: Word): boolean {
  return BREAK.test(text.slice(left.end, right.start));
}

/** A content word: not a stop word, an auxiliary, a pronoun or a determiner (hyphenated words count by their parts). */
export function isContent(word: Word): boolean {
  if (WORD_CLASSES.auxiliaries.has(word.lower) || WORD_CLASSES.determiners.has(word.lower)) return false;
  return word.lower.split('-').some((part) => !isStopWord(part.replace(/'/g, '')));
}

/** A noun phrase found in a question or quote. */
export interface Phrase {
  /** Its content words as written ("defence minister", "Khawaja Muhammad Asif"). */
  readonly text: string;
  /** Whether its head (last word) is plural. */
  readonly plural: boolean;
  /** Capitalised inside its sentence: a name. */
  readonly name: boolean;
  /** The phrase a wh-word asks about: "group" in "which group…", "hostage-takers" in "how many hostage-takers…". */
  readonly asked: boolean;
  /** After a preposition of place ("in Bannu", "near the border"): what "there" can stand for. */
  readonly place: boolean;
  /** Offsets of the whole phrase, determiner or wh-word included, in its text, and where its content words start. */
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

function isPlural(head: string): boolean {
  const last = head.toLowerCase().split('-').at(-1) ?? '';
  if (WORD_CLASSES.irregularPlurals.has(last) || (last.length > 4 && last.endsWith('men'))) return true;
  return last.length > 3 && last.endsWith('s') && !/(?:ss|us|is|'s)$/.test(last);
}

const CAPITAL = /^\p{Lu}/u;
/** Prepositions before a place: "in Bannu", "near the border". */
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'near', 'inside', 'from', 'to', 'into', 'across', 'around']);
/** The wh-words that can ask about a noun: "which group", "what province", "whose weapon". */
const WH_DETERMINERS = new Set(['what', 'which', 'whose']);

/**
 * The noun phrases of a text, in order. A phrase is a run of content words opened by a determiner, a preposition, a
 * number, a wh-word asking about it ("which group", "how many soldiers") or, for a question's subject, a
 * do-auxiliary ("what did [witnesses] report"); a run of capitalised words inside a sentence is a name. After a
 * do-auxiliary the run's last word is the question's verb, and a past participle closes a run (the verb that follows
 * a subject), so neither is taken for a noun.
 */
export function phrasesOf(text: string): Phrase[] {
  const words = wordsOf(text);
  const phrases: Phrase[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const previous = words[i - 1];
    const sentenceStart = !previous || /[.!?]/.test(text.slice(previous.end, word.start));
    // A name: capitalised words in a row; one alone at a sentence's start is just a capital.
    if (CAPITAL.test(word.text) && isContent(word)) {
      let j = i;
      while (j + 1 < words.length && CAPITAL.test(words[j + 1]!.text) && isContent(words[j + 1]!) && !breaksBetween(text, words[j]!, words[j + 1]!)) j++;
      if (!sentenceStart || j > i) {
        const run = words.slice(i, j + 1);
        phrases.push(phrase(run, run, { name: true, asked: false, place: PLACE_PREPOSITIONS.has(previous?.lower ?? '') }));
        for (let k = i; k <= j; k++) taken.add(k);
        i = j;
        continue;
      }
    }
    const opensAsked = WH_DETERMINERS.has(word.lower);
    const howMany = word.lower === 'how' && (words[i + 1]?.lower === 'many' || words[i + 1]?.lower === 'much');
    // "where is [bannu]", "who was [the minister]": after a wh-word, a form of be opens its subject.
    const copula = WORD_CLASSES.be.has(word.lower) && previous !== undefined && WORD_CLASSES.wh.has(previous.lower);
    const opens =
      opensAsked ||
      howMany ||
      copula ||
      WORD_CLASSES.determiners.has(word.lower) ||
      WORD_CLASSES.prepositions.has(word.lower) ||
      WORD_CLASSES.doSupport.has(word.lower) ||
      /^\d/.test(word.text);
    if (!opens) continue;
    let j = howMany ? i + 2 : i + 1;
    // Determiners and numbers may stack: "all 33", "the two".
    while (j < words.length && (WORD_CLASSES.determiners.has(words[j]!.lower) || /^\d/.test(words[j]!.text)) && !breaksBetween(text, words[j - 1]!, words[j]!)) j++;
    const run: Word[] = [];
    for (let k = j; k < words.length && !taken.has(k) && isContent(words[k]!) && !isPronoun(words[k]!.lower); k++) {
      if (k > j && breaksBetween(text, words[k - 1]!, words[k]!)) break;
      if (run.length > 0 && /ed$/.test(words[k]!.lower) && !opensAsked && !howMany) break;
      run.push(words[k]!);
    }
    if (WORD_CLASSES.doSupport.has(word.lower)) {
      // "did [the army] take back …": the subject is the run without its verb (and the verb's particle), unless the
      // verb is the word after the run ("did [Mr Asif] say…", a verb the stop list holds). A name is never the verb.
      const after = words[j + run.length];
      const verbInRun =
        after === undefined || breaksBetween(text, run.at(-1) ?? word, after) || WORD_CLASSES.prepositions.has(after.lower) || WORD_CLASSES.determiners.has(after.lower) || isPronoun(after.lower);
      if (verbInRun) {
        while (run.length > 1 && WORD_CLASSES.particles.has(run.at(-1)!.lower)) run.pop();
        if (run.length > 1 && !CAPITAL.test(run.at(-1)!.text)) run.pop();
        else if (run.length === 1 && j === i + 1 && !CAPITAL.test(run[0]!.text)) run.pop();
      }
    }
    if (run.length === 0) continue;
    // "what stayed closed": a wh-word before a verb asks about no phrase; "what province is…" does.
    const next = words[j + run.length];
    if (opensAsked && word.lower === 'what' && (/ed$/.test(run[0]!.lower) || (next !== undefined && !WORD_CLASSES.auxiliaries.has(next.lower)))) continue;
    phrases.push(
      phrase(words.slice(i, j).concat(run), run, { name: run.every((each) => CAPITAL.test(each.text)), asked: opensAsked || howMany, place: PLACE_PREPOSITIONS.has(word.lower) }),
    );
    i = j + run.length - 1;
  }
  return phrases;
}

function phrase(all: readonly Word[], content: readonly Word[], kind: { name: boolean; asked: boolean; place: boolean }): Phrase {
  return {
    text: content.map((word) => word.text).join(' '),
    plural: isPlural(content.at(-1)!.text),
    name: kind.name,
    asked: kind.asked,
    place: kind.place,
    start: all[0]!.start,
    contentStart: content[0]!.start,
    end: all.at(-1)!.end,
  };
}

/** A personal or possessive pronoun of the third person. */
export function isPronoun(lower: string): boolean {
  return WORD_CLASSES.plural.has(lower) || WORD_CLASSES.person.has(lower) || WORD_CLASSES.neuter.has(lower);
}
