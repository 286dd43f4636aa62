import { describe, expect, it } from 'vitest';
import { RecentAnswers } from '../../src/conversation/recent-answers.js';

describe('RecentAnswers', () => {
  it('recalls what it was told, by message id', () => {
    const record = new RecentAnswers<string>({ maxEntries: 10, ttlMs: 1000 });
    record.remember('m1', 'turn one');
    expect(record.recall('m1')).toBe('turn one');
    expect(record.recall('m2')).toBeUndefined();
  });

  it('forgets an answer once it is older than its time to live', () => {
    let now = 0;
    const record = new RecentAnswers<string>({ maxEntries: 10, ttlMs: 1000 }, () => now);
    record.remember('m1', 'old');
    now = 999;
    expect(record.recall('m1')).toBe('old');
    now = 1000;
    expect(record.recall('m1')).toBeUndefined();
    expect(record.size).toBe(0);
  });

  it('keeps at most maxEntries, pushing out the oldest first', () => {
    const record = new RecentAnswers<number>({ maxEntries: 3, ttlMs: 60_000 });
    for (let i = 1; i <= 5; i++) record.remember(`m${i}`, i);
    expect(record.size).toBe(3);
    expect(['m1', 'm2', 'm3', 'm4', 'm5'].map((id) => record.recall(id))).toEqual([undefined, undefined, 3, 4, 5]);
  });

  it('drops expired answers when new ones come, so an idle bot does not hold them', () => {
    let now = 0;
    const record = new RecentAnswers<number>({ maxEntries: 100, ttlMs: 10 }, () => now);
    for (let i = 0; i < 50; i++) record.remember(`old${i}`, i);
    now = 20;
    record.remember('new', 1);
    expect(record.size).toBe(1);
  });

  it('keeps nothing with a limit of zero', () => {
    const record = new RecentAnswers<number>({ maxEntries: 0, ttlMs: 60_000 });
    record.remember('m1', 1);
    expect(record.recall('m1')).toBeUndefined();
  });
});
