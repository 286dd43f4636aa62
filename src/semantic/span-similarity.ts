import type { SentenceSpan } from '../corpus/types.js';

/** A question compared in meaning with a corpus's quotable spans: what the ranking needs of the sentence model. */
export interface SpanSimilarity {
  /** The cosine of the question with a passage's span, or undefined when that span has no vector. */
  similarity(passageId: string, span: SentenceSpan): number | undefined;
  /** The passages of the spans nearest the question, nearest first; none when the corpus is too large to search so. */
  nearestPassages(count: number): readonly string[];
}
