import type { ClaimCheck } from '../check/claims.js';
import { COLOURS, fitQuotes, LIMITS, renderNotice, type RenderedMessage } from './render.js';

/** What "Check against the articles" found: the passages bearing on the message under "The articles say:". */
export function renderCheck(check: ClaimCheck, ephemeral: boolean): RenderedMessage {
  const left = check.leftOut > 0 ? ` The message's other ${check.leftOut} sentence(s) were not checked.` : '';
  if (check.quotes.length === 0) return renderNotice(`The articles don't mention this.${left}`, 'info', ephemeral);
  const title = 'The articles say:';
  const footer = `Quotes that bear on the first ${check.checked} sentence(s) of the message, verbatim.${left}`;
  return {
    embeds: [
      {
        title,
        description: fitQuotes(check.quotes, LIMITS.description - 40),
        color: COLOURS.passage,
        footer: { text: footer },
      },
    ],
    components: [],
    ephemeral,
  };
}
