import type { Command } from '../src/commands/command.js';
import { ask } from './ask.js';
import { help } from './help.js';
import { reload } from './reload.js';
import { source } from './source.js';

/** Every slash command, in the order `/help` and the deploy script list them. */
export const commands: readonly Command[] = [ask, source, reload, help];

/** The command registered under `name`, if any. */
export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name);
}
