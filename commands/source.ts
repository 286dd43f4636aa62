import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType } from 'discord-api-types/payloads/v10';
import * as z from 'zod';
import type { Choice, Command } from '../src/commands/command.js';
import { MAX_CHOICE_LENGTH, passageChoices } from '../src/commands/choices.js';

const sourceOptions = z.object({
  passage: z
    .string({ error: 'Please give a passage id, e.g. bannu-siege#p5.' })
    .trim()
    .min(1, 'Please give a passage id, e.g. bannu-siege#p5.')
    .max(MAX_CHOICE_LENGTH, 'Passage ids are short, like bannu-siege#p5: that is too long to be one.'),
  private: z.boolean({ error: 'private must be true or false.' }).default(false),
});

/** `/source passage:<id>`: the whole passage a quote comes from, and where it sits in its document. */
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
    const view = library.current.engine.passage(passage);
    if (view) return { kind: 'passage', view, private: isPrivate };
    return {
      kind: 'notice',
      tone: 'info',
      text: `There is no passage "${passage}". Passage ids look like bannu-siege#p5: copy one from a citation, or pick one as you type.`,
      private: true,
    };
  },
  autocomplete(focused, { library }): Choice[] {
    return passageChoices(library.current.engine, focused.value);
  },
};
