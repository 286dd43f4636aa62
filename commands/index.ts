import type { Command } from '../src/commands/command.js';
import type { MessageCommand } from '../src/commands/message-command.js';
import { ask } from './ask.js';
import { check } from './check.js';
import { conversation } from './conversation.js';
import { gaps } from './gaps.js';
import { help } from './help.js';
import { reload } from './reload.js';
import { source } from './source.js';

/** Every slash command, in the order `/help` and the deploy script list them. */
export const commands: readonly Command[] = [ask, source, reload, gaps, conversation, help];

/** Every message context-menu command (right-click a message, Apps). */
export const messageCommands: readonly MessageCommand[] = [check];

/** The command registered under `name`, if any. */
export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name);
}
