import { ApplicationCommandOptionType } from 'discord-api-types/payloads/v10';
import type { Command, RawOptions } from '../commands/command.js';

/** What a console line asks for: a command with its raw options, or a problem to tell the user. */
export type ParsedLine =
  | { readonly kind: 'command'; readonly command: Command; readonly options: RawOptions }
  | { readonly kind: 'unknown'; readonly name: string }
  | { readonly kind: 'empty' };

/**
 * Reads a console line the way Discord reads a slash command: `/ask question: … private: true`. A line that does
 * not start with "/" is a question for `/ask`. Option names are those in the command's definition; an option's
 * value runs until the next option name.
 */
export function parseLine(line: string, commands: readonly Command[]): ParsedLine {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  const ask = commands.find((command) => command.name === 'ask');
  if (!text.startsWith('/')) {
    return ask ? { kind: 'command', command: ask, options: { question: text } } : { kind: 'unknown', name: 'ask' };
  }
  const name = /^\/(\S*)/.exec(text)?.[1]?.toLowerCase() ?? '';
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) return { kind: 'unknown', name };
  return { kind: 'command', command, options: parseOptions(text.slice(name.length + 1), command) };
}

function parseOptions(rest: string, command: Command): RawOptions {
  const definitions = command.definition.options ?? [];
  if (definitions.length === 0) return {};
  const names = definitions.map((option) => escapeRegExp(option.name)).join('|');
  const marker = new RegExp(`(?:^|\\s)(${names}):`, 'gi');
  const found = [...rest.matchAll(marker)];
  const options: Record<string, string | boolean> = {};
  if (found.length === 0) {
    // "/ask why was it attacked" or "/source bannu-siege#p5": the words are the first option's value.
    const first = definitions[0];
    if (first && rest.trim() !== '') options[first.name] = rest.trim();
    return options;
  }
  found.forEach((match, i) => {
    const name = match[1]!.toLowerCase();
    const valueStart = match.index + match[0].length;
    const valueEnd = found[i + 1]?.index ?? rest.length;
    const value = rest.slice(valueStart, valueEnd).trim();
    const definition = definitions.find((option) => option.name === name);
    options[name] = definition?.type === ApplicationCommandOptionType.Boolean ? parseBoolean(value) ?? value : value;
  });
  return options;
}

function parseBoolean(value: string): boolean | undefined {
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
