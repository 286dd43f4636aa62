import * as z from 'zod';
import type { Command, CommandContext, Reply } from '../commands/command.js';
import { askInConversation, type AnsweredTurn } from '../commands/conversation.js';
import type { RunCommandHooks } from '../commands/run-command.js';

/** Marks a console line (or a `--json` line's text) as a follow-up to the last answer: `> and when?`. */
export const FOLLOW_UP_MARK = '>';

/** A question as the console reads one: its text, and whether it follows up the last answer. */
export interface ConsoleQuestion {
  readonly question: string;
  readonly followUp: boolean;
}

const jsonQuestion = z.object({ q: z.string(), followUp: z.boolean().default(false) }).strict();

/**
 * A `--json` input line: `{"q": "…", "followUp": true}`, or a plain line, a question as it always was (a line
 * starting with `>` too: scripts may quote). A line that opens like JSON but is not that object gets a problem to
 * report, not a guess.
 */
export function readJsonLine(line: string): ConsoleQuestion | { readonly problem: string } {
  if (!line.trimStart().startsWith('{')) return { question: line, followUp: false };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'console: this line starts like JSON but is not valid JSON; send {"q": "your question", "followUp": true} or a plain question' };
  }
  const parsed = jsonQuestion.safeParse(value);
  if (!parsed.success) return { problem: 'console: a JSON line takes {"q": "<question>", "followUp": <true|false>} and nothing else' };
  return { question: parsed.data.q, followUp: parsed.data.followUp };
}

/** A plain line: `> …` follows up the last answer; anything else is a question of its own. */
export function readMarked(line: string): ConsoleQuestion {
  const trimmed = line.trimStart();
  return trimmed.startsWith(FOLLOW_UP_MARK) ? { question: trimmed.slice(FOLLOW_UP_MARK.length).trim(), followUp: true } : { question: line, followUp: false };
}

/**
 * The console's side of a conversation: it remembers the last answer, so a follow-up line is read in its light,
 * the same way a reply to an answer is on Discord. A follow-up with no answer before it is asked on its own.
 */
export class ConsoleConversation {
  private last: AnsweredTurn | undefined;

  constructor(
    private readonly ask: Command,
    private readonly context: CommandContext,
    private readonly hooks: RunCommandHooks,
  ) {}

  async answer({ question, followUp }: ConsoleQuestion): Promise<Reply> {
    const { reply, turn } = await askInConversation(this.ask, question, followUp ? this.last : undefined, this.context, this.hooks);
    // A question refused (too long, empty) leaves the conversation where it was.
    if (turn) this.last = turn;
    return reply;
  }
}
