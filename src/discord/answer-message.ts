import type { Message } from 'discord.js';
import type { AnsweredTurn } from '../commands/conversation.js';
import { parseButtonId } from './buttons.js';
import { FOLLOW_UP_LABEL, QUESTION_LABEL } from './render.js';

/** What an answer's footer says (see `answerFooter` in `render.ts`): the question as read, and its follow-up depth. */
interface AnswerFooter {
  readonly question: string;
  readonly depth: number;
  readonly answered: boolean;
}

const DEPTH = new RegExp(` · ${FOLLOW_UP_LABEL}(\\d{1,2}): `);

/** Reads an answer's footer back; undefined for a footer that is not an answer's. */
export function readAnswerFooter(footer: string | undefined): AnswerFooter | undefined {
  const at = footer?.lastIndexOf(QUESTION_LABEL) ?? -1;
  if (footer === undefined || at < 0) return undefined;
  const question = footer.slice(at + QUESTION_LABEL.length).trim();
  if (question === '') return undefined;
  const depth = DEPTH.exec(footer.slice(0, at));
  return { question, depth: depth ? Number(depth[1]) : 0, answered: !footer.startsWith('No answer') };
}

/**
 * The turn one of the bot's answers gave, read from its message alone: the question from the footer, the quoted
 * passages from the "whole passage" buttons. So a follow-up works after a restart, or when another process sent
 * the answer. Undefined for a message that is not an answer of this bot's.
 */
export function turnOfAnswerMessage(message: Message, botId: string): AnsweredTurn | undefined {
  if (message.author.id !== botId) return undefined;
  const footer = readAnswerFooter(message.embeds[0]?.footer?.text);
  if (!footer) return undefined;
  const quoteIds: string[] = [];
  if (footer.answered) {
    for (const row of message.components) {
      for (const component of (row as { components?: readonly { customId?: string | null }[] }).components ?? []) {
        const action = component.customId ? parseButtonId(component.customId) : undefined;
        if (action?.kind === 'passage') quoteIds.push(action.passageId);
      }
    }
  }
  return { question: footer.question, quoteIds, depth: footer.depth };
}
