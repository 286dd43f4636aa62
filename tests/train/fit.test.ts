import { describe, expect, it } from 'vitest';
import { AnswerModel } from '../../src/answer/combine.js';
import { DEFAULT_FIT_OPTIONS, fitModel } from '../../src/train/fit.js';
import { modelText } from '../../src/train/model-text.js';
import { encodeTable, TABLE_FORMAT, type TrainingCandidate, type TrainingQuestion, type TrainingTable } from '../../src/train/table.js';
import { seededRandom } from '../../src/eval/typos.js';

/**
 * A table where the right quote is the one whose words cover most of the question and whose meaning is nearest,
 * with noise; unanswerable questions have no candidate that covers much.
 */
function syntheticTable(): TrainingTable {
  const random = seededRandom(7);
  const questions: TrainingQuestion[] = [];
  for (let q = 0; q < 240; q++) {
    const answerable = q % 4 !== 0;
    const source = ['squad-train', 'wiki-chat', 'own'][q % 3]!;
    const candidates: TrainingCandidate[] = [];
    for (let c = 0; c < 6; c++) {
      const right = answerable && c === q % 6;
      const share = Math.round((right ? 0.6 + 0.4 * random() : 0.5 * random()) * 1e4) / 1e4;
      const similarity = Math.round((right ? 0.5 + 0.3 * random() : 0.2 + 0.3 * random()) * 1e4) / 1e4;
      candidates.push({
        passage: c,
        document: 0,
        previousShare: 0,
        nextShare: 0,
        sentencePosition: 0,
        byWords: true,
        byMeaning: c < 3,
        right,
        goldPassage: right,
        share,
        ownShare: share,
        exactShare: share,
        phrase: 0,
        heaviestMissing: Math.round((1 - share) * 0.5 * 1e4) / 1e4,
        answersCue: false,
        focusMissing: false,
        subjectAbsent: false,
        twoSentences: false,
        words: 10,
        similarity,
        passageShare: share,
        passageSimilarity: similarity,
        bm25: Math.round(random() * 1e4) / 1e4,
        lead: 1,
        caption: false,
      });
    }
    questions.push({ source, split: q % 5 === 0 ? 'validation' : 'train', question: `q${q}`, answerable, signals: { concepts: 3, absentShare: 0, cue: undefined }, candidates });
  }
  return { format: TABLE_FORMAT, sources: {}, questions };
}

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
});
