import type { RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { CommandContext, Reply } from './command.js';

/** The message a context-menu command was used on: what the command may read of it. */
export interface TargetMessage {
  readonly content: string;
  /** Files and embeds it carries, whose text is not read. */
  readonly attachments: number;
}

/**
 * A message context-menu command (right-click a message, Apps): its Discord definition and a handler that
 * returns a `Reply`, as slash commands do.
 */
export interface MessageCommand {
  readonly name: string;
  readonly definition: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(message: TargetMessage, context: CommandContext): Promise<Reply> | Reply;
}
