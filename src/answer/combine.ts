/**
 * The one place where the ranking's signals meet: each comes from a small scorer (coverage and cue from
 * `SpanMeasure`, BM25 from MiniSearch, position from the document, closeness from the sentence model), and here
 * they become a passage's score and an answer's confidence. Each weight is measured (docs/semantic.md).
 */

/** What one candidate passage's best quote shows. */
export interface PassageSignals {
  /** The quote's share of the question, with the bonus for its words standing in the question's order. */
  readonly quote: number;
  /** MiniSearch's BM25 for the passage, as a share of the best candidate's (0 for a passage found by meaning). */
  readonly bm25: number;
  /** 1 for the first passage of its document, down to 1/n for the last of n: news tells the heart first. */
  readonly lead: number;
  /** A photo caption: when the article's text says as much, the text is the better citation. */
  readonly caption: boolean;
  /** The question asks for a number or a time ("how many", "when") that the quote lacks. */
  readonly cueMissing: boolean;
  /** The quote's cosine with the question; 0 when answering by words. */
  readonly similarity: number;
}

export interface ScoreWeights {
  readonly quoteWeight: number;
  readonly bm25Weight: number;
  readonly leadWeight: number;
  readonly captionFactor: number;
  readonly cueMissingFactor: number;
  readonly semanticWeight: number;
}

/**
 * A passage's score. The cosine counts in proportion to `uncovered`, the share of the question the best-covering
 * candidate leaves uncovered: where words cover the whole question they decide; where they fail (a paraphrase,
 * chat), meaning does.
 */
export function passageScore(signals: PassageSignals, uncovered: number, weights: ScoreWeights): number {
  const words = weights.quoteWeight * signals.quote + weights.bm25Weight * signals.bm25 + weights.leadWeight * signals.lead;
  const factors = (signals.caption ? weights.captionFactor : 1) * (signals.cueMissing ? weights.cueMissingFactor : 1);
  return words * factors + weights.semanticWeight * uncovered * signals.similarity;
}

export interface ConfidenceWeights {
  /** The share of the confidence that closeness in meaning makes up; the rest is the quote's coverage. */
  readonly similarityShare: number;
  /** Cosines from the floor to the ceiling map to closeness 0..1. */
  readonly similarityFloor: number;
  readonly similarityCeiling: number;
}

/**
 * How sure the engine is that a quote answers, from 0 to 1. Either signal alone misjudges: the cosine near-topic
 * questions, the coverage paraphrases and chance matches. Without the sentence model, the coverage alone.
 */
export function confidence(coverage: number, similarity: number | undefined, weights: ConfidenceWeights): number {
  if (similarity === undefined) return coverage;
  const { similarityShare, similarityFloor, similarityCeiling } = weights;
  const closeness = Math.min(Math.max((similarity - similarityFloor) / (similarityCeiling - similarityFloor), 0), 1);
  return (1 - similarityShare) * coverage + similarityShare * closeness;
}
