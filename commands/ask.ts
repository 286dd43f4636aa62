import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType } from 'discord-api-types/payloads/v10';
import * as z from 'zod';
import { QUOTES_PER_PAGE } from '../src/answer/engine.js';
import type { Choice, Command } from '../src/commands/command.js';
import { previewChoices } from '../src/commands/choices.js';
import { corpusVersion } from '../src/library/corpus-version.js';

/** Longest question accepted; Discord enforces it in the client too (`max_length`). */
export const MAX_QUESTION_LENGTH = 300;

const askOptions = z.object({
  question: z
    .string({ error: 'Please type a question.' })
    .trim()
    .min(1, 'Please type a question, e.g. "How many hostage-takers were killed?"')
    .max(MAX_QUESTION_LENGTH, { error: (issue) => `Questions can be at most ${MAX_QUESTION_LENGTH} characters; yours has ${String((issue.input as string).length)}. Please shorten it.` }),
  private: z.boolean({ error: 'private must be true or false.' }).default(false),
  /** Which page of quotes: set by the "more quotes" button, not a Discord option. */
  page: z.number().int().min(0).max(20).default(0),
});

/** `/ask question:<text> private:<bool>`: answers with verbatim, cited quotes, or says the corpus does not say. */
export const ask: Command<z.infer<typeof askOptions>> = {
  name: 'ask',
  definition: {
    name: 'ask',
    type: ApplicationCommandType.ChatInput,
    description: 'Ask about the Bannu police station siege; answered only with quotes from the articles',
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'Your question, e.g. "How many hostage-takers were killed?"',
        required: true,
        min_length: 1,
        max_length: MAX_QUESTION_LENGTH,
        autocomplete: true,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'private',
        description: 'Only you see the answer',
        required: false,
      },
    ],
  },
  options: askOptions,
  moderatorOnly: false,
  async execute({ question, private: isPrivate, page }, { library, questions, guildId }) {
    const answer = await library.answer(question, { offset: page * QUOTES_PER_PAGE, limit: QUOTES_PER_PAGE });
    // The snapshot that answered, for its corpus version: nothing is awaited between the answer and here.
    const { engine } = library.current;
    // A "more quotes" page repeats a question already recorded: only the first answer is.
    const feedback = page === 0 && questions ? await questions.record({ question, guildId, answer, corpusVersion: await corpusVersion(engine.corpus) }) : undefined;
    return { kind: 'answer', answer, private: isPrivate, feedback };
  },
  autocomplete(focused, { library }): Choice[] {
    return previewChoices(library.current.engine, focused.value);
  },
};
