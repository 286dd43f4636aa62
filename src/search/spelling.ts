import { englishRarity, isEnglishWord } from './english-rarity.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Every string one typing slip from `word`: a letter dropped, added, changed, or swapped with its neighbour. */
function* oneSlipAway(word: string): Generator<string> {
  for (let i = 0; i <= word.length; i++) {
    const before = word.slice(0, i);
    const after = word.slice(i);
    if (after.length > 0) yield before + after.slice(1);
    if (after.length > 1) yield before + after[1] + after[0] + after.slice(2);
    for (const letter of LETTERS) {
      yield before + letter + after;
      if (after.length > 0 && letter !== after[0]) yield before + letter + after.slice(1);
    }
  }
}

/**
 * The word a misspelling most likely stands for: the commonest English word one typing slip from it ("cused":
 * "used"), or undefined when `word` is English or nothing English is that close. Only the everyday frequency
 * decides, so this tells how much a misspelt word weighs, not what it means.
 */
export function likelyEnglishWord(word: string): string | undefined {
  if (isEnglishWord(word)) return undefined;
  let best: string | undefined;
  for (const candidate of oneSlipAway(word)) {
    if (isEnglishWord(candidate) && (best === undefined || englishRarity(candidate) < englishRarity(best))) best = candidate;
  }
  return best;
}
