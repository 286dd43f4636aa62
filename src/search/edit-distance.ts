/**
 * Three rows of the distance table, reused by every call: typing distances are measured for many word pairs per
 * question (misspelt stop words, glossary terms, corpus words), and fresh rows for each were much of what an
 * answer allocated. Grown when a longer word comes.
 */
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)] as const;

/**
 * Edit distance counting a swap of two neighbouring letters as one edit ("optimal string alignment"), as
 * typing errors are: "Bnanu" is one slip from "Bannu", where Levenshtein counts two. Stops early once the
 * distance must exceed `limit`, returning `limit + 1`.
 */
export function typingDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  if (rows[0].length < width) rows = [new Int32Array(2 * width), new Int32Array(2 * width), new Int32Array(2 * width)];
  // Row i - 2 (for swaps), row i - 1, and row i being filled.
  let [before, previous, current] = rows;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, before[j - 2]! + 1);
      current[j] = distance;
      rowMinimum = Math.min(rowMinimum, distance);
    }
    if (rowMinimum > limit) return limit + 1;
    const oldest = before;
    before = previous;
    previous = current;
    current = oldest;
  }
  return Math.min(previous[b.length]!, limit + 1);
}
