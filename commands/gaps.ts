import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/payloads/v10';
import * as z from 'zod';
import type { Command } from '../src/commands/command.js';

/** Defaults for `/gaps`: the period looked at, and the longest allowed. */
export const GAPS_DEFAULTS = { days: 30, maxDays: 365 } as const;

const gapsOptions = z.object({
  action: z.enum(['show', 'clear'], { error: 'action must be show or clear.' }).default('show'),
  // Coerced: the console passes option values as typed text.
  days: z.coerce
    .number({ error: 'days must be a whole number.' })
    .int('days must be a whole number.')
    .min(1, 'days must be at least 1.')
    .max(GAPS_DEFAULTS.maxDays, `days can be at most ${GAPS_DEFAULTS.maxDays}.`)
    .default(GAPS_DEFAULTS.days),
  page: z.coerce.number({ error: 'page must be a whole number.' }).int('page must be a whole number.').min(1, 'page must be at least 1.').default(1),
});

/**
 * `/gaps` (moderators): the questions the bot did not answer, or answered with low confidence, near-duplicates
 * grouped; then the quotes members marked wrong. `/gaps action: clear` deletes everything recorded.
 */
export const gaps: Command<z.infer<typeof gapsOptions>> = {
  name: 'gaps',
  definition: {
    name: 'gaps',
    type: ApplicationCommandType.ChatInput,
    description: 'Moderators: questions the articles did not answer, and quotes marked wrong',
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'action',
        description: 'show (the default) or clear: delete every recorded question and vote',
        required: false,
        choices: [
          { name: 'show', value: 'show' },
          { name: 'clear: delete everything recorded', value: 'clear' },
        ],
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'days',
        description: `Look at the last this many days (default ${GAPS_DEFAULTS.days})`,
        required: false,
        min_value: 1,
        max_value: GAPS_DEFAULTS.maxDays,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'page',
        description: 'Which page to show first (the buttons turn the pages)',
        required: false,
        min_value: 1,
      },
    ],
  },
  options: gapsOptions,
  moderatorOnly: true,
  async execute({ action, days, page }, { questions }) {
    const status = questions?.status;
    if (!questions || !status?.available) {
      const why = status ? `Question recording is ${status.text}` : 'This bot keeps no record of questions.';
      return { kind: 'notice', tone: 'info', text: `${why} There is nothing to show or clear.`, private: true };
    }
    if (action === 'clear') {
      const deleted = await questions.clear();
      const text =
        deleted === undefined
          ? 'Sorry, the records could not be deleted; the error has been logged. Please try again.'
          : `Deleted every recorded question (${deleted}) and every vote.`;
      return { kind: 'notice', tone: deleted === undefined ? 'error' : 'info', text, private: true };
    }
    const report = await questions.gaps(days, page - 1);
    if (!report) return { kind: 'notice', tone: 'error', text: 'Sorry, the records could not be read; the error has been logged.', private: true };
    return { kind: 'gaps', report, private: true };
  },
};
