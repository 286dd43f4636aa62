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

function describeOptionProblems(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('\n');
}
