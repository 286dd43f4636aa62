import { MAX_QUESTION_LENGTH } from '../../commands/ask.js';
import { FOLLOW_UP_DEFAULTS, readFollowUp } from '../conversation/follow-up.js';
import type { Command, CommandContext, Reply } from './command.js';
import { runCommand, type RunCommandHooks } from './run-command.js';

/**
 * What a reply to an answer follows up: the question as the bot read it, the passages it quoted (ids only) and how
 * many follow-ups deep it was. The recent-answers record keeps this, and an answer's message shows it, so either
 * gives the same follow-up after a restart or on another process.
 */
export interface AnsweredTurn {
  readonly question: string;
  readonly quoteIds: readonly string[];
  readonly depth: number;
}

/** A reply to a question asked in the conversation, and what a follow-up to it would follow up (undefined: nothing to). */
export interface ConversationAnswer {
  readonly reply: Reply;
  readonly turn?: AnsweredTurn | undefined;
}

/**
 * Asks `ask` a question from the conversation (a mention, a DM, a console line): a reply to an earlier answer is read
 * in its light first (`readFollowUp`), unless the chain is already `maxDepth` deep, when it is asked on its own.
 * The question recorded and answered is the question as read; the reply carries the follow-up as asked.
 */
export async function askInConversation(
  ask: Command,
  question: string,
  previous: AnsweredTurn | undefined,
  context: CommandContext,
  hooks: RunCommandHooks = {},
  maxDepth: number = FOLLOW_UP_DEFAULTS.maxDepth,
): Promise<ConversationAnswer> {
  const { engine } = context.library.current;
  const follows = previous !== undefined && previous.depth < maxDepth;
  const quotes = follows ? previous.quoteIds.flatMap((id) => engine.passage(id)?.passage.text ?? []) : [];
  const reading = follows ? readFollowUp(question, { question: previous.question, quotes }) : { question, usedContext: false };
  const reply = await runCommand(ask, { question: reading.usedContext ? clipQuestion(reading.question, question) : question }, context, hooks);
  if (reply.kind !== 'answer') return { reply };
  const depth = reading.usedContext ? previous!.depth + 1 : 0;
  const { answer } = reply;
  const turn: AnsweredTurn = { question: answer.question, quoteIds: [...new Set(answer.quotes.map((quote) => quote.citation.passageId))], depth };
  return { reply: reading.usedContext ? { ...reply, followUp: { asked: question, depth } } : reply, turn };
}

/** The question as read, within `/ask`'s limit: a follow-up that fits as typed must still fit once read with its context. */
function clipQuestion(read: string, asked: string): string {
  if (read.length <= MAX_QUESTION_LENGTH || asked.trim().length > MAX_QUESTION_LENGTH) return read;
  return `${read.slice(0, MAX_QUESTION_LENGTH - 1).replace(/\s+\S*$/, '')}?`;
}
