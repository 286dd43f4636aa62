import { describe, expect, it } from 'vitest';
import { DEFAULT_FIT_OPTIONS, fitMode } from '../../src/train/fit.js';
import { tableFigures } from '../../src/train/table-figures.js';
import { syntheticTable } from '../fixtures/synthetic-table.js';

const OPTIONS = { ...DEFAULT_FIT_OPTIONS, epochs: 8, thresholdSources: ['wiki-chat', 'own', 'squad-train'] };

describe('validation figures read off the training table', () => {
  it("counts each source's validation questions, and what the fitted mode ranks first and answers of them", async () => {
    const table = syntheticTable();
    const figures = tableFigures(table, 'fused', await fitMode(table, 'fused', OPTIONS));
    const validation = table.questions.filter((q) => q.split === 'validation');
    expect(figures.map((f) => f.source).sort()).toEqual([...new Set(validation.map((q) => q.source))].sort());
    for (const f of figures) {
      const own = validation.filter((q) => q.source === f.source);
      expect([f.answerable, f.unanswerable]).toEqual([own.filter((q) => q.answerable).length, own.filter((q) => !q.answerable).length]);
      expect(f.answeredRight).toBeLessThanOrEqual(Math.min(f.rankedFirst, f.answered));
      // The synthetic table's right quote covers most of the question: a fitted ranker puts it first.
      expect(f.rankedFirst / f.answerable).toBeGreaterThan(0.8);
      expect(f.auc).toBeGreaterThan(0.7);
    }
  });

  it('falls when the signals that find the right quote are left out', async () => {
    const table = syntheticTable();
    const rankedFirst = async (leftOut: readonly string[]): Promise<number> =>
      tableFigures(table, 'fused', await fitMode(table, 'fused', { ...OPTIONS, leftOut })).reduce((sum, f) => sum + f.rankedFirst, 0);
    const informative = ['share', 'ownShare', 'exactShare', 'passageShare', 'heaviestMissing', 'shareGap', 'passageShareGap', 'similarity', 'passageSimilarity', 'similarityGap', 'similarityWhereWordsFail'];
    expect(await rankedFirst(informative)).toBeLessThan(await rankedFirst([]));
  });
});
