import { isStopStem, isStopWord, normalise, STOP_WORD_LIST, tokenize, type Token } from './analyzer.js';
import { typingDistance } from './edit-distance.js';
import { isEnglishWord } from './english-rarity.js';
import type { AliasGroup, GlossaryLookup } from './glossary-lookup.js';
import { cleanQuestion } from './question-text.js';

/**
 * One thing the question asks about: a content word, or a glossary term with all its aliases.
 * `forms[0]` is how the question itself says it.
 */
export interface Concept {
  readonly words: readonly Token[];
  /** For each word, whether the question capitalises it inside the sentence: a name, rare rather than misspelt. */
  readonly names: readonly boolean[];
  readonly forms: readonly (readonly string[])[];
  readonly aliases?: AliasGroup | undefined;
  /**
   * The glossary terms of the kind the concept names ("Pakistani Taliban" for "group"): a passage naming one
   * speaks of the concept without its word, as the answer to "which group…" does.
   */
  readonly instances?: readonly (readonly string[])[] | undefined;
}

/** The kind of answer the question's form asks for: "how many" wants a number, "when" a time. */
export type CueKind = 'number' | 'time' | 'person' | 'place';

export interface AnswerCue {
  readonly kind: CueKind;
  /**
   * The question's word for what it wants ("year" in "what year…"): the answer fills that slot rather than
   * repeating the word, so it is not a concept to match.
   */
  readonly slotWord?: string | undefined;
}

export interface AnalysedQuestion {
  readonly text: string;
  readonly concepts: readonly Concept[];
  readonly cue?: AnswerCue | undefined;
  /**
   * The concept the question asks about, when its form names it: "children" in "How many children…",
   * "group" in "Which group…". A quote that lacks it does not answer, whatever else it shares.
   */
  readonly focus?: number | undefined;
}

/** "how many X", "which X": X is what the answer is about ("what X" is too often "what caused"). */
const FOCUS = /\b(?:how many|how much|which)\s+$/;
const CAPITALISED = /^\p{Lu}/u;

const CUES: readonly [RegExp, CueKind][] = [
  // "How many people": news counts people by what they are, so "people" is the slot a count fills, not a word to find.
  [/\bhow many (?<slot>people|persons|individuals)\b/, 'number'],
  [/\bhow (?:many|much)\b|\b(?:what|which) (?<slot>number)\b|\bhow old\b/, 'number'],
  [/\b(?:what|which) (?<slot>time|day|date|year|month|hour|week)s?\b|\bwhen\b/, 'time'],
  [/\bhow (?<slot>long)\b/, 'time'],
  [/^\s*(?:who|whom|whose)\b|\bby whom\b/, 'person'],
  [/^\s*where\b/, 'place'],
];

function findCue(text: string): AnswerCue | undefined {
  const lowered = normalise(text);
  for (const [pattern, kind] of CUES) {
    const match = pattern.exec(lowered);
    if (match) return { kind, slotWord: match.groups?.slot };
  }
  return undefined;
}

/** Stop words long enough that a slip in them still shows which they were ("abuot", "whcih"). */
const LONG_STOP_WORDS_BY_LENGTH = new Map<number, string[]>();
for (const word of STOP_WORD_LIST.filter((stop) => stop.length >= 4)) {
  LONG_STOP_WORDS_BY_LENGTH.set(word.length, [...(LONG_STOP_WORDS_BY_LENGTH.get(word.length) ?? []), word]);
}

/**
 * A word English lacks that is one slip from a stop word is that stop word, misspelt. Only stop words within a
 * letter of its length can be one slip away, so only those are measured.
 */
function isMisspeltStopWord(word: string): boolean {
  if (word.length < 4 || isEnglishWord(word)) return false;
  for (let length = word.length - 1; length <= word.length + 1; length++) {
    if (LONG_STOP_WORDS_BY_LENGTH.get(length)?.some((stop) => typingDistance(word, stop, 1) <= 1)) return true;
  }
  return false;
}

/** Chat shorthand a Discord member may type, with the words it stands for. */
const SHORTHAND: ReadonlyMap<string, string> = new Map([
  ['ppl', 'people'],
  ['govt', 'government'],
  ['gov', 'government'],
  ['bc', 'because'],
  ['cuz', 'because'],
  ['abt', 'about'],
  ['pls', 'please'],
  ['plz', 'please'],
  ['u', 'you'],
  ['ur', 'your'],
  ['r', 'are'],
  ['wat', 'what'],
  ['gm', 'good morning'],
  ['gn', 'good night'],
  ['ty', 'thank you'],
  ['thx', 'thanks'],
]);
/**
 * A whole word in lower case, as chat is typed, and not part of an abbreviation with full stops: "BC", "U.S." and
 * "R&B" are not shorthand.
 */
const SHORTHAND_WORD = new RegExp(`(?<![\\p{L}\\p{N}'.])(?:${[...SHORTHAND.keys()].join('|')})(?![\\p{L}\\p{N}'.])`, 'gu');

/**
 * Chat's interjections, which carry no question: "who seized the station lol". In any case ("LOL"), and with the
 * comma or spaces before them.
 */
const FILLER =
  /[\s,]*(?<![\p{L}\p{N}'])(?:lol|lul|lmao|lmfao|rofl|ha(?:ha)+|he(?:he)+|xd|omg|omfg|smh|tbh|ngl|imo|imho|btw|fyi)(?![\p{L}\p{N}'])/giu;
const HAS_WORD = /[\p{L}\p{N}]/u;

/** Chat's "4" for "for" and "2" for "to", which only these words can follow; a count ("4 days", "2 of them") cannot. */
const DIGIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['4', 'for'],
  ['2', 'to'],
]);
const NOT_COUNTED: ReadonlySet<string> = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'his', 'her', 'their', 'its', 'our', 'my', 'your', 'him', 'them',
  'me', 'you', 'it', 'what', 'how', 'who', 'whom', 'which', 'why', 'when', 'where', 'real', 'sure', 'ever', 'now',
]);
/**
 * A lone "4" or "2" (not part of "4.5", "4:30", "4th", "$2", "2%"), with the word after it, or the end of the
 * question after a word ("what does TTP stand 4?").
 */
const DIGIT_WORD = /(?<![\p{L}\p{N}$£€.,:'])([42])(?![\p{L}\p{N}%:']|[.,]\d)(?=(\s+[\p{L}']+)|\s*[?!.]*\s*$)/gu;

/** Words after which a number is a count, whatever follows it: "the 2 who died", "all 4 of them". */
const COUNTED_AFTER = /\b(?:the|these|those|all|only|about|around|nearly|almost|over|under|just|least|another|other)\s+$/i;

/** "for" or "to" where the digit in `text` at `at`, followed by `next` (or ending the question), stands for it. */
function writeOutDigitWord(text: string, digit: string, at: number, next: string | undefined): string {
  const word = DIGIT_WORDS.get(digit)!;
  if (COUNTED_AFTER.test(text.slice(0, at))) return digit;
  if (next !== undefined) {
    const following = next.trim().toLowerCase();
    return NOT_COUNTED.has(following) || /^\p{L}{3,}ing$/u.test(following) ? word : digit;
  }
  // Ending the question: "for" after a content word ("stand 4?"), a count after a stop word ("were there 4?").
  const before = /([\p{L}']+)\s+$/u.exec(text.slice(0, at))?.[1]?.toLowerCase();
  return before !== undefined && !isStopWord(before) ? word : digit;
}

/**
 * The question as it is read: cleaned of input noise (`cleanQuestion`), then with chat written out ("how many ppl
 * died" → "how many people died", "wat is the reason 4 the attack lol" → "what is the reason for the attack"), so
 * that the cues and the words are read as meant; the rest is left as typed. The sentence model reads the same text.
 */
export function expandShorthand(text: string): string {
  const cleaned = cleanQuestion(text);
  // The comma after a filler that opened the question goes with it: "omg, what happened".
  const withoutFiller = cleaned.replace(FILLER, '').replace(/^[\s,]+/, '').trim();
  // A filler alone ("lol") is small talk, which the sentence model answers as such.
  const chat = HAS_WORD.test(withoutFiller) ? withoutFiller : cleaned;
  return chat
    .replace(SHORTHAND_WORD, (word) => SHORTHAND.get(word) ?? word)
    .replace(DIGIT_WORD, (digit: string, _: string, next: string | undefined, at: number, whole: string) => writeOutDigitWord(whole, digit, at, next));
}

/** "What happened?", "What is this about?", "Tell me about it", "Summary": the question is the story itself. */
const STORY_QUESTION =
  /^(?:(?:hey|hi|hello|so|ok|okay|and) )*(?:what(?:'s|s| is| was)? (?:happened|happening|going on|(?:this|it|all this) about|the story|the news)|tell me (?:what happened|about (?:it|this))|(?:give me )?(?:a |the )?summary|summari[sz]e(?: it| this)?)(?: (?:here|there|please))?$/;

/**
 * Whether the whole question asks for the story and names nothing in particular ("What happened?", "@everyone
 * what's going on"): news tells the story in its first paragraph, which is the answer.
 */
export function asksForTheStory(text: string): boolean {
  const words = normalise(expandShorthand(text)).replace(/@\S+/g, ' ').replace(/[^\p{L}\p{N}']+/gu, ' ').trim();
  return STORY_QUESTION.test(words);
}

/**
 * Reads the question's form and its concepts: its content words, with any glossary term (stop words included, as
 * in "took over") merged into one concept.
 */
export function analyseQuestion(asked: string, glossary: GlossaryLookup): AnalysedQuestion {
  const text = expandShorthand(asked);
  const cue = findCue(text);
  const tokens = tokenize(text).filter((token) => token.word !== cue?.slotWord);
  const stems = tokens.map((token) => token.stem);
  const concepts: Concept[] = [];
  const seen = new Set<string>();
  let focus: number | undefined;
  for (let index = 0; index < tokens.length; ) {
    const alias = glossary.matchAt(tokens, index);
    if (!alias && (isStopWord(tokens[index]!.word) || isMisspeltStopWord(tokens[index]!.word))) {
      index++;
      continue;
    }
    const length = alias?.length ?? 1;
    const words = tokens.slice(index, index + length);
    const own = alias?.stems ?? stems.slice(index, index + length);
    const group = alias?.group ?? glossary.groupHeadedBy(own[0]!);
    const key = group ? `alias:${group.terms.join('|')}` : own.join(' ');
    if (!seen.has(key)) {
      seen.add(key);
      const forms = group ? [own, ...group.forms.filter((form) => form.join(' ') !== own.join(' '))] : [own];
      const before = normalise(text.slice(0, words[0]!.start));
      if (focus === undefined && FOCUS.test(before)) focus = concepts.length;
      const kinds = glossary.groupsOfKind(own.filter((stem) => !isStopStem(stem))).filter((kind) => kind !== group);
      const instances = kinds.length > 0 ? kinds.flatMap((kind) => kind.forms) : undefined;
      const names = words.map((word) => word.start > 0 && CAPITALISED.test(text.slice(word.start)));
      concepts.push({ words, names, forms, aliases: group, instances });
    }
    index += length;
  }
  return { text, concepts, cue, focus };
}
