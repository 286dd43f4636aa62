/** Words the bot says the same way on every transport. */

/** When the articles do not answer a question. */
export const NOT_IN_THE_ARTICLES = "The articles I have don't say. I only answer with quotes from them, and none answers that.";

/** When someone says hello or thanks rather than asking (see `src/semantic/small-talk.ts`). */
export const SMALL_TALK_REPLY =
  'Hello! I answer questions about the December 2022 siege in Bannu, only with quotes from the articles I have. Ask me something about it, or try /help.';

/** A count with its noun, singular for one: "1 passage", "20 passages", "0 documents". */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
