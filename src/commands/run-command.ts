import type * as z from 'zod';
import type { Command, CommandContext, RawOptions, Reply } from './command.js';

export interface RunCommandHooks {
  /** Told about an error a handler threw; the user gets an apology instead. */
  readonly onError?: (error: unknown, command: Command) => void;
}

/**
 * Runs a command the same way for every transport: refuses non-moderators where the command is for moderators,
 * validates the options once, and turns a handler's failure into a polite error reply.
 */
export async function runCommand<Options>(
  command: Command<Options>,
  raw: RawOptions,
  context: CommandContext,
  hooks: RunCommandHooks = {},
): Promise<Reply> {
  if (command.moderatorOnly && !context.invoker.isModerator) {
    return {
      kind: 'notice',
      tone: 'refusal',
      text: `Only moderators (Manage Server, or a moderator role) can use /${command.name}. Nothing was changed.`,
      private: true,
    };
  }
  const parsed = command.options.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'notice', tone: 'error', text: describeOptionProblems(parsed.error), private: true };
  }
  try {
    return await command.execute(parsed.data, context);
  } catch (error) {
    hooks.onError?.(error, command);
    return {
      kind: 'notice',
      tone: 'error',
      text: 'Sorry, something went wrong while answering that. It has been logged; please try again.',
      private: true,
    };
  }
}

/**
 * One line per problem. The commands' messages are sentences naming their option ("days must be at least 1."):
 * the option is named before a message only when the message does not name it itself.
 */
function describeOptionProblems(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const option = issue.path.join('.');
      return option === '' || issue.message.startsWith(`${option} `) ? issue.message : `${option}: ${issue.message}`;
    })
    .join('\n');
}
