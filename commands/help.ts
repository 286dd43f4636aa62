import { ApplicationCommandType, InteractionContextType } from 'discord-api-types/v10';
import { z } from 'zod';
import type { Command } from '../src/commands/command.js';
import { overviewOf } from '../src/library/overview.js';

/** `/help`: what the corpus covers (documents, passages) and questions to try. */
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
  execute(_options, { library, questions }) {
    return { kind: 'help', overview: overviewOf(library.current.engine), private: true, recording: questions?.status.text };
  },
};
