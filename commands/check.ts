import { ApplicationCommandType, InteractionContextType } from 'discord-api-types/payloads/v10';
import { checkClaims, claimsOf } from '../src/check/claims.js';
import type { MessageCommand } from '../src/commands/message-command.js';

/**
 * "Check against the articles" (right-click a message, Apps): the message's sentences are taken as claims and
 * answered privately with the passages that bear on them, or "The articles don't mention this." Never a verdict.
 */
export const check: MessageCommand = {
  name: 'Check against the articles',
  definition: {
    name: 'Check against the articles',
    type: ApplicationCommandType.Message,
    contexts: [InteractionContextType.Guild],
  },
  async execute(message, { library }) {
    const claims = claimsOf(message.content);
    if (claims.kind === 'nothing') {
      const text =
        claims.reason === 'code'
          ? 'That message is only code, so there is no claim to check against the articles.'
          : message.attachments > 0
            ? 'That message has no text to check: I only read the words of a message, not its attachments or images.'
            : 'That message has no text to check against the articles.';
      return { kind: 'notice', tone: 'info', text, private: true };
    }
    return { kind: 'check', check: await checkClaims((claim, page) => library.answer(claim, page), claims.claims, claims.leftOut), private: true };
  },
};
