import { ApplicationCommandType, InteractionContextType } from 'discord-api-types/payloads/v10';
import * as z from 'zod';
import type { Command } from '../src/commands/command.js';
import { corpusVersion } from '../src/library/corpus-version.js';
import { overviewOf } from '../src/library/overview.js';

/** `/help`: what the corpus covers (documents, passages), questions to try, and the corpus version served. */
export const help: Command<Record<string, never>> = {
  name: 'help',
  definition: {
    name: 'help',
    type: ApplicationCommandType.ChatInput,
    description: 'What this bot knows about the Bannu siege, and how to ask',
    contexts: [InteractionContextType.Guild],
  },
  options: z.object({}).strip(),
  moderatorOnly: false,
  async execute(_options, { library, questions, readsMessages }) {
    const { engine } = library.current;
    return {
      kind: 'help',
      overview: { ...overviewOf(engine), version: await corpusVersion(engine.corpus) },
      private: true,
      recording: questions?.status.text,
      conversation: readsMessages,
    };
  },
};
