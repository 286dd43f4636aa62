import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType } from 'discord-api-types/payloads/v10';
import * as z from 'zod';
import type { Choice, Command } from '../src/commands/command.js';
import { MAX_CHOICE_LENGTH, passageChoices } from '../src/commands/choices.js';
import { lookUpPassage, type PassageLookup } from '../src/commands/passage-lookup.js';

const sourceOptions = z.object({
  passage: z
    .string({ error: 'Please give a passage id, e.g. bannu-siege#p5.' })
    .trim()
    .min(1, 'Please give a passage id, e.g. bannu-siege#p5.')
    .max(MAX_CHOICE_LENGTH, 'Passage ids are short, like bannu-siege#p5: that is too long to be one.'),
  private: z.boolean({ error: 'private must be true or false.' }).default(false),
});

/**
 * `/source passage:<id>`: the whole passage a quote comes from, and where it sits in its document. Takes the id as
 * typed (`p5` when one document has a fifth passage) and suggests the nearest ids when there is none such.
 */
export const source: Command<z.infer<typeof sourceOptions>> = {
  name: 'source',
  definition: {
    name: 'source',
    type: ApplicationCommandType.ChatInput,
    description: 'Show the whole passage a quote comes from, e.g. bannu-siege#p5',
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'passage',
        description: 'The passage id from a citation, e.g. bannu-siege#p5',
        required: true,
        min_length: 1,
        max_length: MAX_CHOICE_LENGTH,
        autocomplete: true,
      },
    ],
  },
  options: sourceOptions,
  moderatorOnly: false,
  execute({ passage, private: isPrivate }, { library }) {
    const found = lookUpPassage(library.current.engine, passage);
    if (found.kind === 'found') return { kind: 'passage', view: found.view, private: isPrivate };
    return { kind: 'notice', tone: 'info', text: notFound(passage, found), private: true };
  },
  autocomplete(focused, { library }): Choice[] {
    return passageChoices(library.current.engine, focused.value);
  },
};

/** Why no passage was shown, and what to type instead. */
function notFound(typed: string, lookup: Exclude<PassageLookup, { kind: 'found' }>): string {
  const list = (ids: readonly string[]): string => ids.join(', ');
  if (lookup.kind === 'ambiguous') {
    const more = lookup.count > lookup.ids.length ? ` and ${lookup.count - lookup.ids.length} more` : '';
    return `"${typed}" could be any of ${lookup.count} passages: ${list(lookup.ids)}${more}. Please give the whole id.`;
  }
  const hint = lookup.hint ? ` (${lookup.hint})` : '';
  const suggestions = lookup.suggestions.length > 0 ? ` Did you mean ${list(lookup.suggestions)}?` : '';
  return `There is no passage "${typed}"${hint}.${suggestions} Passage ids look like bannu-siege#p5, or p5 when one document has a fifth passage: copy one from a citation.`;
}
