/** The answer to "may this user go now?". */
export type CooldownCheck = { readonly ok: true } | { readonly ok: false; readonly secondsLeft: number };

/**
 * A per-user cooldown: after a use, the same user waits `seconds` before the next. Zero disables it. Entries
 * are dropped once expired, so memory stays bounded by the users active within one cooldown.
 */
export class Cooldown {
  private readonly lastUse = new Map<string, number>();

  constructor(
    readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a use by `userId` if allowed; otherwise says how long is left, rounded up to whole seconds. */
  take(userId: string): CooldownCheck {
    const now = this.now();
    const windowMs = this.seconds * 1000;
    for (const [user, at] of this.lastUse) if (now - at >= windowMs) this.lastUse.delete(user);
    const last = this.lastUse.get(userId);
    if (last !== undefined) return { ok: false, secondsLeft: Math.max(1, Math.ceil((last + windowMs - now) / 1000)) };
    if (windowMs > 0) this.lastUse.set(userId, now);
    return { ok: true };
  }
}
