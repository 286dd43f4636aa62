import type { DocumentMeta, Passage } from '../corpus/types.js';

/** Where a quote comes from: enough for a reader to find it and for `/source` to show it. */
export interface Citation {
  readonly passageId: string;
  readonly documentId: string;
  readonly documentTitle: string;
  readonly source: string;
  readonly url?: string | undefined;
  /** Position of the passage in its document, from 1, and how many passages the document has. */
  readonly position: number;
  readonly passageCount: number;
  /** The section of the document the passage stands in (`Passage.section`), when its document has headings. */
  readonly section?: string | undefined;
}

/** A span of the quote's text that matched the question, as offsets into `Quote.text`. */
export interface Highlight {
  readonly start: number;
  readonly end: number;
}

/** A verbatim piece of one passage: one or more whole sentences, never reworded or stitched. */
export interface Quote {
  readonly text: string;
  readonly citation: Citation;
  readonly highlights: readonly Highlight[];
  /** Ranking score, comparable only within one answer. */
  readonly score: number;
  /** How much of the question's content this quote covers, from 0 to 1. */
  readonly coverage: number;
}

/** Why the engine abstained. */
export type AbstentionReason = 'empty-question' | 'no-content-words' | 'small-talk' | 'no-match' | 'low-confidence';

/** The engine's answer to a question: quotes best first, or an abstention. */
export interface Answer {
  readonly question: string;
  readonly answered: boolean;
  /** The quotes that answer, best first; empty when the engine abstains. */
  readonly quotes: readonly Quote[];
  /** How many quotes answer in all, across pages, and how many came before `quotes[0]`. */
  readonly totalQuotes: number;
  readonly offset: number;
  /** From 0 to 1: how sure the engine is that the first quote answers. */
  readonly confidence: number;
  /** When abstaining: the nearest passage, to be shown clearly labelled as not an answer. */
  readonly closest?: Quote | undefined;
  readonly abstention?: AbstentionReason | undefined;
  /** Whether the sentence model took part (`fused`) or only the words did (`lexical`). */
  readonly mode: 'fused' | 'lexical';
}

/** A whole passage with its place in its document, for `/source` and the "whole passage" button. */
export interface PassageView {
  readonly passage: Passage;
  readonly document: DocumentMeta;
  readonly passageCount: number;
  readonly previousId?: string | undefined;
  readonly nextId?: string | undefined;
}
