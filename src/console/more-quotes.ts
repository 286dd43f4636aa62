import { QUOTES_PER_PAGE } from '../answer/engine.js';
import type { RawOptions, Reply } from '../commands/command.js';

/**
 * The console's `/more`: what the "More quotes" button under an answer does on Discord. It follows the replies
 * to `/ask`, and gives the options for `/ask` that show the next page of the last answer's quotes.
 */
export class MoreQuotes {
  private next: { readonly question: string; readonly page: number } | undefined;
  private asked = false;

  /** Takes note of a reply to `/ask`: the next page of its quotes if it has more, otherwise none. */
  follow(reply: Reply): void {
    this.asked = true;
    if (reply.kind !== 'answer') {
      this.next = undefined;
      return;
    }
    const { answer } = reply;
    const more = answer.answered && answer.offset + answer.quotes.length < answer.totalQuotes;
    this.next = more ? { question: answer.question, page: Math.floor(answer.offset / QUOTES_PER_PAGE) + 1 } : undefined;
  }

  /** The options for `/ask` that show the next quotes, or what to tell the user when there are none. */
  options(): { readonly options: RawOptions } | { readonly none: string } {
    if (this.next) return { options: this.next };
    return { none: this.asked ? 'There are no more quotes for the last question.' : 'Ask a question first: /more then shows its next quotes.' };
  }
}
