import type { Reply } from '../commands/command.js';

/**
 * One line of `--json` output, the scripting interface (documented in the README; keep it stable).
 * `text` is verbatim corpus text, best quote first; `answered` is false when the bot abstains.
 */
export interface JsonAnswerLine {
  readonly question: string;
  readonly answered: boolean;
  readonly quotes: readonly { readonly text: string; readonly cite: string; readonly source: string; readonly title: string }[];
  readonly confidence: number;
  /** Why the bot did not answer: an abstention reason, or a problem with the question. */
  readonly abstention?: string | undefined;
  readonly notice?: string | undefined;
  /** When abstaining, the nearest passage, which is not an answer. */
  readonly closest?: { readonly text: string; readonly cite: string } | undefined;
  /** `fused` when the sentence model took part, `lexical` when only the words did (model off, loading or failed). */
  readonly mode?: 'fused' | 'lexical' | undefined;
  /** For a follow-up read in the light of the previous answer: the question as read, and how deep in its chain. */
  readonly readAs?: string | undefined;
  readonly followUpDepth?: number | undefined;
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
    })),
    confidence: answer.confidence,
    abstention: answer.abstention,
    closest: answer.closest && { text: answer.closest.text, cite: answer.closest.citation.passageId },
    mode: answer.mode,
    readAs: reply.followUp ? answer.question : undefined,
    followUpDepth: reply.followUp?.depth,
  };
}
