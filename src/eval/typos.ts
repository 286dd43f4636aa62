/** A small seeded generator (mulberry32): the typo run must be the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Puts one typo (a letter dropped, doubled, swapped with its neighbour or replaced) inside one word of five or
 * more letters, never its first letter. Returns the question unchanged when it has no such word.
 */
export function addTypo(question: string, random: () => number): string {
  const words = [...question.matchAll(/\p{L}{5,}/gu)];
  if (words.length === 0) return question;
  const word = words[Math.floor(random() * words.length)]!;
  const text = word[0];
  const at = 1 + Math.floor(random() * (text.length - 1));
  const letter = LETTERS[Math.floor(random() * LETTERS.length)]!;
  const edits = [
    () => text.slice(0, at) + text.slice(at + 1),
    () => text.slice(0, at) + text[at] + text.slice(at),
    () => (at < text.length - 1 ? text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2) : text.slice(0, at)),
    () => text.slice(0, at) + letter + text.slice(at + 1),
  ];
  const typo = edits[Math.floor(random() * edits.length)]!();
  return question.slice(0, word.index) + typo + question.slice(word.index + text.length);
}
