/** Defaults for {@link RecentAnswers}: how many answers are kept, and for how long. */
export const RECENT_ANSWERS_DEFAULTS = {
  maxEntries: 5_000,
  ttlMs: 60 * 60 * 1000,
} as const;

export interface RecentAnswersLimits {
  readonly maxEntries: number;
  readonly ttlMs: number;
}

/**
 * The bot's recent answers by message id, in memory: at most `maxEntries`, each forgotten `ttlMs` after it was
 * kept, the oldest first when full. What is kept is what a follow-up needs (the question as read, quote ids, chain
 * depth), never who asked. A follow-up to an answer no longer here is read from the answer's message instead.
 */
export class RecentAnswers<Turn> {
  /** In the order kept (a Map keeps insertion order), so the oldest is first. */
  private readonly entries = new Map<string, { readonly turn: Turn; readonly at: number }>();

  constructor(
    private readonly limits: RecentAnswersLimits = RECENT_ANSWERS_DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps the turn an answer (message `id`) gave; the oldest entries go when the record is full. */
  remember(id: string, turn: Turn): void {
    if (this.limits.maxEntries <= 0) return;
    this.forgetExpired();
    this.entries.delete(id);
    this.entries.set(id, { turn, at: this.now() });
    while (this.entries.size > this.limits.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The turn of answer `id`, unless it expired or was pushed out. */
  recall(id: string): Turn | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at >= this.limits.ttlMs) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.turn;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops the expired entries, which are the first in order. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (now - entry.at < this.limits.ttlMs) break;
      this.entries.delete(id);
    }
  }
}
