import { describe, expect, it } from 'vitest';
import { AnswerModel } from '../../src/answer/combine.js';
import { DEFAULT_FIT_OPTIONS, fitMode, fitModel } from '../../src/train/fit.js';
import { modelText } from '../../src/train/model-text.js';
import { encodeTable } from '../../src/train/table.js';
import { syntheticTable } from '../fixtures/synthetic-table.js';

const OPTIONS = { ...DEFAULT_FIT_OPTIONS, epochs: 8, thresholdSources: ['wiki-chat', 'own', 'squad-train'] };

describe('fitting the models from a training table', () => {
  it('gives the same model twice from the same table, and a model the engine accepts', async () => {
    const table = syntheticTable();
    const bytes = encodeTable(table);
    const [first, second] = [await fitModel(table, bytes, OPTIONS), await fitModel(table, bytes, OPTIONS)];
    expect(modelText(second)).toBe(modelText(first));
    expect(() => AnswerModel.from(first, '(fitted)')).not.toThrow();
  }, 120_000);

  it('learns to put the right quote first and to be surer of answerable questions than of the others', async () => {
    const table = syntheticTable();
    const model = await fitModel(table, encodeTable(table), OPTIONS);
    const served = AnswerModel.from(model, '(fitted)');
    let first = 0;
    let answerable = 0;
    const confidence = { answerable: 0, unanswerable: 0 };
    for (const q of table.questions) {
      const ranked = served.rank({ question: q.signals, candidates: q.candidates.map((c) => ({ ...c, passageId: String(c.passage), documentId: '', span: { start: 0, end: 0 }, highlights: [] })) }, 'fused');
      if (q.answerable) {
        answerable++;
        if (ranked[0]!.passageId === String(q.candidates.findIndex((c) => c.right))) first++;
        confidence.answerable += ranked[0]!.confidence;
      } else confidence.unanswerable += ranked[0]!.confidence;
    }
    expect(first / answerable).toBeGreaterThan(0.9);
    expect(confidence.answerable / answerable).toBeGreaterThan(confidence.unanswerable / (table.questions.length - answerable) + 0.3);
  }, 120_000);

  it('chooses the lowest threshold at which the answered validation questions are right as often as asked', async () => {
    const table = syntheticTable();
    const precision = 0.9;
    const model = await fitModel(table, encodeTable(table), { ...OPTIONS, precision });
    const served = AnswerModel.from(model, '(fitted)');
    const outcomes = table.questions
      .filter((q) => q.split === 'validation')
      .map((q) => {
        const [top] = served.rank({ question: q.signals, candidates: q.candidates.map((c) => ({ ...c, passageId: String(c.passage), documentId: '', span: { start: 0, end: 0 }, highlights: [] })) }, 'fused');
        return { confidence: top!.confidence, right: q.candidates[Number(top!.passageId)]!.right };
      });
    const threshold = model.modes.fused.threshold;
    const answered = outcomes.filter((o) => o.confidence >= threshold);
    expect(answered.filter((o) => o.right).length / answered.length).toBeGreaterThanOrEqual(precision);
    // Lowering it to the next question's confidence would break the precision (or there is no question left).
    const next = Math.max(...outcomes.filter((o) => o.confidence < threshold).map((o) => o.confidence));
    const lower = outcomes.filter((o) => o.confidence >= next);
    if (lower.length > answered.length) expect(lower.filter((o) => o.right).length / lower.length).toBeLessThan(precision);
  }, 120_000);

  it('keeps the weight of a left-out feature at 0 in the ranker and the confidence, and fits the others', async () => {
    const table = syntheticTable();
    const weightOf = (scorer: { features: readonly string[]; weights: readonly number[] }, name: string): number => scorer.weights[scorer.features.indexOf(name)]!;
    const whole = await fitMode(table, 'fused', OPTIONS);
    const without = await fitMode(table, 'fused', { ...OPTIONS, leftOut: ['share'] });
    expect(weightOf(whole.ranker, 'share')).not.toBe(0);
    expect(weightOf(whole.confidence, 'share')).not.toBe(0);
    expect(weightOf(without.ranker, 'share')).toBe(0);
    expect(weightOf(without.confidence, 'share')).toBe(0);
    expect(weightOf(without.ranker, 'similarity')).not.toBe(0);
  });
});
