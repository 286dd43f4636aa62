import type { Verdict } from '../store/question-log.js';

/**
 * The custom ids of the buttons under an answer. They carry all the button needs (a passage id, a page number)
 * so a click works after a restart; the question for "more quotes" is read back from the answer's footer, since
 * questions can be longer than a custom id's 100 characters.
 */
const PASSAGE_PREFIX = 'passage:';
const MORE_PREFIX = 'more:';
const VOTE_PREFIX = 'vote:';
const GAPS_PREFIX = 'gaps:';

/** A clicked button, decoded. */
export type ButtonAction =
  | { readonly kind: 'passage'; readonly passageId: string }
  | { readonly kind: 'more'; readonly page: number }
  | { readonly kind: 'vote'; readonly verdict: Verdict; readonly answerId: number }
  | { readonly kind: 'gaps'; readonly days: number; readonly page: number };

/** The "whole passage" button of a quote: passage ids are at most 66 characters, well within 100. */
export function passageButtonId(passageId: string): string {
  return `${PASSAGE_PREFIX}${passageId}`;
}

/** The "more quotes" button: which page of the answer's quotes to show. */
export function moreQuotesId(page: number): string {
  return `${MORE_PREFIX}${page}`;
}

/** A feedback button under an answer: the verdict and the recorded answer's id. */
export function voteButtonId(verdict: Verdict, answerId: number): string {
  return `${VOTE_PREFIX}${verdict}:${answerId}`;
}

/** A page button of `/gaps`: the period looked at and the page to show. */
export function gapsPageId(days: number, page: number): string {
  return `${GAPS_PREFIX}${days}:${page}`;
}

/** Decodes a custom id, or undefined for one this bot did not make. */
export function parseButtonId(customId: string): ButtonAction | undefined {
  if (customId.startsWith(PASSAGE_PREFIX) && customId.length > PASSAGE_PREFIX.length) {
    return { kind: 'passage', passageId: customId.slice(PASSAGE_PREFIX.length) };
  }
  if (customId.startsWith(MORE_PREFIX)) {
    const page = Number(customId.slice(MORE_PREFIX.length));
    if (Number.isInteger(page) && page > 0) return { kind: 'more', page };
  }
  const vote = /^vote:(helpful|wrong):(\d{1,15})$/.exec(customId);
  if (vote) return { kind: 'vote', verdict: vote[1] as Verdict, answerId: Number(vote[2]) };
  const gaps = /^gaps:(\d{1,3}):(\d{1,6})$/.exec(customId);
  if (gaps) return { kind: 'gaps', days: Number(gaps[1]), page: Number(gaps[2]) };
  return undefined;
}
