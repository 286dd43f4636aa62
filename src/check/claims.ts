import type { AnswerPage } from '../answer/engine.js';
import type { Answer, Quote } from '../answer/types.js';
import { truncate } from '../commands/choices.js';

/** How much of a message is checked, and how many passages are quoted back. */
export const CLAIM_LIMITS = {
  /** Sentences taken from a message, in order; the rest are counted as left out. */
  claims: 5,
  /** A sentence is cut to this, as long as a question may be. */
  claimLength: 300,
  quotesPerClaim: 2,
  quotes: 4,
} as const;

/** The sentences of a message to check, or why there are none. */
export type Claims =
  | { readonly kind: 'claims'; readonly claims: readonly string[]; readonly leftOut: number }
  | { readonly kind: 'nothing'; readonly reason: 'empty' | 'code' };

/** What the articles say about a message's claims: quotes that bear on them, or none. */
export interface ClaimCheck {
  readonly quotes: readonly Quote[];
  readonly checked: number;
  readonly leftOut: number;
}

const CODE_BLOCK = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;
/**
 * User, role and channel mentions, custom emoji, timestamps, @everyone, links and invites: none of them is a claim,
 * nor part of a question (mentions and questions read them out of the text alike).
 */
export const NOT_WORDS = /<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:-?\d+(?::\w)?>|@(?:everyone|here)\b|https?:\/\/\S+|\b(?:discord(?:app)?\.com\/invite|discord\.gg)\/\S+/g;
const SENTENCE_END = /(?<=[.!?…])\s+|\n+/;
const LETTER = /\p{L}/u;

/** Takes a message's text apart into the sentences that can be checked against the articles. */
export function claimsOf(text: string): Claims {
  const withoutCode = text.replace(CODE_BLOCK, ' ');
  const sentences = withoutCode
    .replace(NOT_WORDS, ' ')
    .split(SENTENCE_END)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => LETTER.test(sentence));
  if (sentences.length === 0) return { kind: 'nothing', reason: withoutCode.length < text.length && text.trim() !== '' ? 'code' : 'empty' };
  return {
    kind: 'claims',
    claims: sentences.slice(0, CLAIM_LIMITS.claims).map((sentence) => truncate(sentence, CLAIM_LIMITS.claimLength)),
    leftOut: Math.max(0, sentences.length - CLAIM_LIMITS.claims),
  };
}

/**
 * Asks the engine about each claim as it would a question and keeps the quotes it answers with, each passage
 * once. The engine's threshold decides what bears on a claim; nothing here judges whether a claim is true.
 */
export async function checkClaims(
  ask: (question: string, page: AnswerPage) => Promise<Answer>,
  claims: readonly string[],
  leftOut = 0,
): Promise<ClaimCheck> {
  const quotes: Quote[] = [];
  const seen = new Set<string>();
  for (const claim of claims) {
    const answer = await ask(claim, { limit: CLAIM_LIMITS.quotesPerClaim });
    if (!answer.answered) continue;
    for (const quote of answer.quotes) {
      const key = `${quote.citation.passageId}\u0000${quote.text}`;
      if (seen.has(key) || quotes.length >= CLAIM_LIMITS.quotes) continue;
      seen.add(key);
      quotes.push(quote);
    }
  }
  return { quotes, checked: claims.length, leftOut };
}
