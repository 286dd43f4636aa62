import type { Glossary } from '../corpus/types.js';
import { isStopStem, tokenize, type Token } from './analyzer.js';
import { typingDistance } from './edit-distance.js';
import { isEnglishWord } from './english-rarity.js';

/** Words shorter than this must match a glossary term exactly: a slip in a short word could be another word. */
const SLIP_MIN_LENGTH = 5;
/** A glossary phrase this long (letters and spaces) may hold one slip in any word of at least `PHRASE_SLIP_MIN_WORD` letters. */
const PHRASE_SLIP_MIN_LENGTH = 12;
const PHRASE_SLIP_MIN_WORD = 4;

/**
 * A glossary entry as stem sequences, stop words kept ("took over" is not "took"): each term of the entry is one
 * way of saying the same thing.
 */
export interface AliasGroup {
  readonly terms: readonly string[];
  readonly forms: readonly (readonly string[])[];
}

/**
 * Finds glossary terms inside an analysed question, longest first, so that "Pakistani Taliban" is recognised as
 * one term before "Taliban" alone.
 */
export class GlossaryLookup {
  /** Every term of every entry, longest first. */
  private readonly terms: {
    readonly stems: readonly string[];
    readonly words: readonly string[];
    readonly group: AliasGroup;
    /** How many of its words may be a slip off (see `PHRASE_SLIP_MIN_LENGTH`). */
    readonly phraseSlips: number;
  }[] = [];
  private readonly groupsByHead = new Map<string, Set<AliasGroup>>();
  /** The groups whose kind is headed by the stem: "group" → the entry of kind "militant group". */
  private readonly groupsByKind = new Map<string, Set<AliasGroup>>();

  constructor(glossary: Glossary) {
    for (const entry of glossary.entries) {
      const tokenized = entry.terms.map((term) => tokenize(term));
      const forms = uniqueForms(tokenized.map((tokens) => tokens.map((token) => token.stem)));
      const group: AliasGroup = { terms: entry.terms, forms };
      // A kind is named by its head, the last word: a "militant group" is a group, not a militant.
      const kindHead = tokenize(entry.kind ?? '').findLast((token) => !isStopStem(token.stem))?.stem;
      if (kindHead !== undefined) this.groupsByKind.set(kindHead, (this.groupsByKind.get(kindHead) ?? new Set()).add(group));
      for (const tokens of tokenized) {
        const stems = tokens.map((token) => token.stem);
        if (stems.length === 0) continue;
        const words = tokens.map((token) => token.word);
        this.terms.push({ stems, words, group, phraseSlips: words.join(' ').length >= PHRASE_SLIP_MIN_LENGTH ? 1 : 0 });
        const head = stems.findLast((stem) => !isStopStem(stem));
        if (stems.length > 1 && head !== undefined) {
          this.groupsByHead.set(head, (this.groupsByHead.get(head) ?? new Set()).add(group));
        }
      }
    }
    this.terms.sort((a, b) => b.stems.length - a.stems.length);
  }

  /**
   * The longest glossary term starting at `index` of the question's tokens, with its group and its stems (the
   * term as the glossary spells it), if any. A word English lacks matches a term's word a slip away ("Talian"
   * for "Taliban").
   */
  matchAt(
    tokens: readonly Token[],
    index: number,
  ): { length: number; group: AliasGroup; stems: readonly string[] } | undefined {
    const matches = (token: Token | undefined, stem: string, word: string): boolean =>
      token !== undefined &&
      (token.stem === stem ||
        (token.word.length >= SLIP_MIN_LENGTH &&
          !isEnglishWord(token.word) &&
          Math.min(typingDistance(token.word, word, 1), typingDistance(token.word, stem, 1)) <= 1));
    // Stems can join words a glossary keeps apart ("attackers" and "attacks" are both "attack"): among terms of
    // the same length, one the question spells out wins over one it only shares stems with.
    let stemOnly: { length: number; group: AliasGroup; stems: readonly string[] } | undefined;
    for (const { stems, words, group, phraseSlips } of this.terms) {
      if (stemOnly && stems.length < stemOnly.length) break;
      // A long phrase with one word a slip off is still that phrase, even when the slip makes another word
      // ("lost their lies"): a whole phrase seldom comes that close by chance. A loop, not a callback per term:
      // every term is tried at every word of every question.
      let slips = phraseSlips;
      let phraseMatches = true;
      for (let offset = 0; offset < stems.length && phraseMatches; offset++) {
        const token = tokens[index + offset];
        if (matches(token, stems[offset]!, words[offset]!)) continue;
        if (slips === 0 || token === undefined || token.word.length < PHRASE_SLIP_MIN_WORD) phraseMatches = false;
        else {
          slips--;
          phraseMatches = typingDistance(token.word, words[offset]!, 1) <= 1;
        }
      }
      if (!phraseMatches) continue;
      if (words.every((word, offset) => tokens[index + offset]!.word === word)) return { length: stems.length, group, stems };
      stemOnly ??= { length: stems.length, group, stems };
    }
    return stemOnly;
  }

  /**
   * The one group having a several-word term whose head (its last word) is `stem`: "station" alone stands for
   * "police station" and so for its aliases. Undefined when no group, or more than one, has such a term.
   */
  groupHeadedBy(stem: string): AliasGroup | undefined {
    const groups = this.groupsByHead.get(stem);
    return groups?.size === 1 ? [...groups][0] : undefined;
  }

  /** The groups whose kind is named by one of `stems`: for "group", the entry of kind "militant group". */
  groupsOfKind(stems: readonly string[]): AliasGroup[] {
    return [...new Set(stems.flatMap((stem) => [...(this.groupsByKind.get(stem) ?? [])]))];
  }
}

function uniqueForms(forms: readonly (readonly string[])[]): (readonly string[])[] {
  const seen = new Set<string>();
  return forms.filter((form) => {
    const key = form.join(' ');
    if (form.length === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
