import type { Reply } from '../commands/command.js';

/** A quote in `--json`: its text, citation, document and (when the document has headings) section. */
export interface JsonQuote {
  readonly text: string;
  readonly cite: string;
  readonly source: string;
  readonly title: string;
  readonly section?: string | undefined;
}

/**
 * One line of `--json` output, the scripting interface (documented in the README; keep it stable).
 * `text` is verbatim corpus text, best quote first; `answered` is false when the bot abstains.
 */
export interface JsonAnswerLine {
  readonly question: string;
  readonly answered: boolean;
  readonly quotes: readonly JsonQuote[];
  readonly confidence: number;
  /** Why the bot did not answer: an abstention reason, or a problem with the question. */
  readonly abstention?: string | undefined;
  readonly notice?: string | undefined;
  /** When abstaining, the nearest passage, which is not an answer. */
  readonly closest?: { readonly text: string; readonly cite: string; readonly section?: string | undefined } | undefined;
  /** `fused` when the sentence model took part, `lexical` when only the words did (model off, loading or failed). */
  readonly mode?: 'fused' | 'lexical' | undefined;
}

/** Turns the reply to a question into its `--json` line. */
export function toJsonLine(question: string, reply: Reply): JsonAnswerLine {
  if (reply.kind !== 'answer') {
    return { question, answered: false, quotes: [], confidence: 0, notice: reply.kind === 'notice' ? reply.text : reply.kind };
  }
  const { answer } = reply;
  return {
    question,
    answered: answer.answered,
    quotes: answer.quotes.map((quote) => ({
      text: quote.text,
      cite: quote.citation.passageId,
      source: quote.citation.source,
      title: quote.citation.documentTitle,
      section: quote.citation.section,
    })),
    confidence: answer.confidence,
    abstention: answer.abstention,
    closest: answer.closest && { text: answer.closest.text, cite: answer.closest.citation.passageId, section: answer.closest.citation.section },
    mode: answer.mode,
  };
}
