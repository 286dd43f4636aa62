import { ApplicationCommandType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/payloads/v10';
import * as z from 'zod';
import type { Command } from '../src/commands/command.js';
import { corpusVersion } from '../src/library/corpus-version.js';

/**
 * `/reload` (moderators): re-reads the corpus folder and swaps in the new corpus, or reports the problems while
 * the previous corpus keeps serving. When other processes serve the bot (shards, replicas), a successful reload
 * is passed on to them and the reply says which did not take it, and why.
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
  async execute(_options, { library, peers }) {
    const outcome = await library.reload();
    if (!outcome.ok || !peers) return { kind: 'reload', outcome, private: true };
    const version = await corpusVersion(library.current.engine.corpus);
    return { kind: 'reload', outcome, fleet: { version, peers: await peers.reload(version) }, private: true };
  },
};
