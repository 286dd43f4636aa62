/**
 * The first of `count` sorted items that does not come before what is sought (`count` when all do), found by
 * halves: `before(i)` says whether item i comes before it. The word lists and token runs searched this way are
 * sorted once and read often.
 */
export function firstNotBefore(count: number, before: (i: number) => boolean): number {
  let low = 0;
  for (let high = count; low < high; ) {
    const middle = (low + high) >>> 1;
    if (before(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}
