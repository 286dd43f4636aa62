import { contentTokens } from '../search/analyzer.js';

/** Distinct questions as recorded: one wording (the latest), its content words, how often and when last asked. */
export interface AskedQuestion {
  readonly text: string;
  /** Stemmed content words, sorted and unique (see {@link questionWords}); empty for a question with none. */
  readonly words: readonly string[];
  readonly count: number;
  readonly lastAskedAt: number;
}

/**
 * Puts questions that ask the same thing into one group. Each group is non-empty, most asked first; every
 * question is in exactly one group. Words are one way to tell; sentence vectors can be plugged in here instead.
 */
export type Grouping = (questions: readonly AskedQuestion[]) => AskedQuestion[][];

/** The stemmed content words of a question, sorted and unique: what word grouping compares. */
export function questionWords(question: string): string[] {
  return [...new Set(contentTokens(question).map((token) => token.stem))].sort();
}

/** Defaults for {@link wordGrouping}. */
export const DEFAULT_WORD_GROUPING = {
  /** Jaccard similarity of content words at which two questions are near-duplicates. */
  similarity: 0.6,
} as const;

/**
 * Groups questions whose content words overlap by at least `similarity` (Jaccard), each compared with the most
 * asked question of a group. A prefix filter over words, rarest first, keeps this near linear: two sets this
 * similar must share one of their first few rare words, so only groups sharing one of those are compared, and
 * only when their sizes allow it (Jaccard is at most the smaller size over the larger).
 */
export function wordGrouping(similarity: number = DEFAULT_WORD_GROUPING.similarity): Grouping {
  return (questions) => {
    const frequency = new Map<string, number>();
    for (const question of questions) for (const word of question.words) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    const rarestFirst = (words: readonly string[]): string[] =>
      [...words].sort((a, b) => frequency.get(a)! - frequency.get(b)! || (a < b ? -1 : 1));
    const prefixLength = (size: number): number => size - Math.ceil(similarity * size) + 1;

    // `probedBy` marks a group as compared with the current question: cheaper than a set per question.
    const groups: { words: ReadonlySet<string>; members: AskedQuestion[]; probedBy: number }[] = [];
    const byPrefixWord = new Map<string, number[]>();
    const ordered = [...questions].sort((a, b) => b.count - a.count || b.lastAskedAt - a.lastAskedAt);
    for (const [turn, question] of ordered.entries()) {
      const words = rarestFirst(question.words);
      const prefix = words.slice(0, prefixLength(words.length));
      const [smallest, largest] = [similarity * words.length, words.length / similarity];
      let best: { index: number; score: number } | undefined;
      for (const word of prefix) {
        for (const index of byPrefixWord.get(word) ?? []) {
          const group = groups[index]!;
          if (group.probedBy === turn) continue;
          group.probedBy = turn;
          if (group.words.size < smallest || group.words.size > largest) continue;
          const score = jaccard(group.words, words);
          if (score >= similarity && (!best || score > best.score)) best = { index, score };
        }
      }
      if (best) {
        groups[best.index]!.members.push(question);
        continue;
      }
      // A question without content words ("???") matches nothing: it stands alone.
      groups.push({ words: new Set(words), members: [question], probedBy: turn });
      for (const word of prefix) {
        const list = byPrefixWord.get(word);
        if (list) list.push(groups.length - 1);
        else byPrefixWord.set(word, [groups.length - 1]);
      }
    }
    return groups.map((group) => group.members);
  };
}

function jaccard(group: ReadonlySet<string>, words: readonly string[]): number {
  let shared = 0;
  for (const word of words) if (group.has(word)) shared += 1;
  const union = group.size + words.length - shared;
  return union === 0 ? 0 : shared / union;
}
