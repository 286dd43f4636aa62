import { MAX_QUESTION_LENGTH } from '../../commands/ask.js';
import type { AbstentionReason } from '../answer/types.js';
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
 * Why a line was not answered: the engine's reasons, and for a question `/ask` refused before any search, an empty
 * line, one too long, or a failure (the `notice` then says what to do).
 */
export type JsonAbstention = AbstentionReason | 'too-long' | 'error';

/**
 * One line of `--json` output, the scripting interface (documented in the README; keep it stable).
 * `text` is verbatim corpus text, best quote first; `answered` is false when the bot abstains.
 */
export interface JsonAnswerLine {
  readonly question: string;
  readonly answered: boolean;
  readonly quotes: readonly JsonQuote[];
  readonly confidence: number;
  /** Why the bot did not answer; present whenever `answered` is false. */
  readonly abstention?: JsonAbstention | undefined;
  readonly notice?: string | undefined;
  /** When abstaining, the nearest passage, which is not an answer. */
  readonly closest?: { readonly text: string; readonly cite: string; readonly section?: string | undefined } | undefined;
  /**
   * `fused` when the sentence model took part, `lexical` when only the words did (model off, loading or failed);
   * absent when the question was refused before any search (`notice`).
   */
  readonly mode?: 'fused' | 'lexical' | undefined;
  /** For a follow-up read in the light of the previous answer: the question as read, and how deep in its chain. */
  readonly readAs?: string | undefined;
  readonly followUpDepth?: number | undefined;
}

/** Turns the reply to a question into its `--json` line. */
export function toJsonLine(question: string, reply: Reply): JsonAnswerLine {
  if (reply.kind !== 'answer') {
    return { question, answered: false, quotes: [], confidence: 0, abstention: refusalOf(question), notice: reply.kind === 'notice' ? reply.text : reply.kind };
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
    readAs: reply.followUp ? answer.question : undefined,
    followUpDepth: reply.followUp?.depth,
  };
}

/** Why `/ask` answered a question with a notice instead of an answer, as its options' schema decides. */
function refusalOf(question: string): JsonAbstention {
  const asked = question.trim();
  if (asked === '') return 'empty-question';
  return asked.length > MAX_QUESTION_LENGTH ? 'too-long' : 'error';
}
