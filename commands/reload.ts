import { ApplicationCommandType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { z } from 'zod';
import type { Command } from '../src/commands/command.js';

/**
 * `/reload` (moderators): re-reads the corpus folder and swaps in the new corpus, or reports the problems while
 * the previous corpus keeps serving.
 */
export const reload: Command<Record<string, never>> = {
  name: 'reload',
  definition: {
    name: 'reload',
    type: ApplicationCommandType.ChatInput,
    description: 'Moderators: reload the articles and glossary from the corpus folder',
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  },
  options: z.object({}).strip(),
  moderatorOnly: true,
  async execute(_options, { library }) {
    return { kind: 'reload', outcome: await library.reload(), private: true };
  },
};
