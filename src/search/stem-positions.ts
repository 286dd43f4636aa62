import type { Token } from './analyzer.js';

/** Keyed by the token list itself: a list lives as long as PassageIndex.tokensOf keeps its passage. */
const positionsByTokens = new WeakMap<readonly Token[], ReadonlyMap<string, readonly number[]>>();

/**
 * Where each stem occurs in a list of tokens: token indexes, ascending. Re-ranking looks a question's stems up
 * here instead of scanning every token of every candidate passage for each of them; the map is built once per
 * list and kept with it.
 */
export function stemPositions(tokens: readonly Token[]): ReadonlyMap<string, readonly number[]> {
  const known = positionsByTokens.get(tokens);
  if (known) return known;
  const positions = positionsWhere(tokens, () => true);
  positionsByTokens.set(tokens, positions);
  return positions;
}

/** The positions `stemPositions` has already worked out for a list of tokens, if any. */
export function knownStemPositions(tokens: readonly Token[]): ReadonlyMap<string, readonly number[]> | undefined {
  return positionsByTokens.get(tokens);
}

/**
 * Where each of `stems` occurs in a list of tokens (token indexes, ascending; stems absent are left out), not kept:
 * for a passage seen once, looking for the few stems a question asks is cheaper than mapping every stem it holds.
 */
export function positionsOfStems(tokens: readonly Token[], stems: ReadonlySet<string>): ReadonlyMap<string, readonly number[]> {
  return positionsWhere(tokens, (stem) => stems.has(stem));
}

/** The token indexes, ascending, of each stem `wanted` accepts. */
function positionsWhere(tokens: readonly Token[], wanted: (stem: string) => boolean): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  for (let index = 0; index < tokens.length; index++) {
    const { stem } = tokens[index]!;
    if (!wanted(stem)) continue;
    const indexes = positions.get(stem);
    if (indexes) indexes.push(index);
    else positions.set(stem, [index]);
  }
  return positions;
}
