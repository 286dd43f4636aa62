import { describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER_ENGINE_OPTIONS } from '../../src/answer/engine.js';
import { confidence, passageScore, type PassageSignals } from '../../src/answer/combine.js';
import { DEFAULT_RANKING_OPTIONS } from '../../src/answer/ranking.js';

const plain: PassageSignals = { quote: 0.5, bm25: 1, lead: 0.5, caption: false, cueMissing: false, similarity: 0.6 };

describe('passageScore', () => {
  it('lets the cosine count in full when no candidate covers the question, and not at all when one covers it all', () => {
    const words = passageScore({ ...plain, similarity: 0 }, 1, DEFAULT_RANKING_OPTIONS);
    expect(passageScore(plain, 1, DEFAULT_RANKING_OPTIONS)).toBeCloseTo(words + DEFAULT_RANKING_OPTIONS.semanticWeight * 0.6, 9);
    expect(passageScore(plain, 0, DEFAULT_RANKING_OPTIONS)).toBeCloseTo(words, 9);
    expect(passageScore(plain, 0.5, DEFAULT_RANKING_OPTIONS)).toBeCloseTo(words + DEFAULT_RANKING_OPTIONS.semanticWeight * 0.3, 9);
  });

  it('lowers a caption and a quote lacking the number asked for by their factors, leaving the cosine\'s share alone', () => {
    const words = passageScore({ ...plain, similarity: 0 }, 0, DEFAULT_RANKING_OPTIONS);
    const { captionFactor, cueMissingFactor, semanticWeight } = DEFAULT_RANKING_OPTIONS;
    expect(passageScore({ ...plain, caption: true, cueMissing: true }, 1, DEFAULT_RANKING_OPTIONS)).toBeCloseTo(
      words * captionFactor * cueMissingFactor + semanticWeight * 0.6,
      9,
    );
  });
});

describe('confidence', () => {
  it('is the coverage alone when answering by words', () => {
    expect(confidence(0.73, undefined, DEFAULT_ANSWER_ENGINE_OPTIONS)).toBe(0.73);
  });

  it('mixes in closeness, the cosine mapped from the floor to the ceiling and held within 0..1', () => {
    const { similarityShare: share, similarityFloor: floor, similarityCeiling: ceiling } = DEFAULT_ANSWER_ENGINE_OPTIONS;
    expect(confidence(0.5, floor - 0.1, DEFAULT_ANSWER_ENGINE_OPTIONS)).toBeCloseTo((1 - share) * 0.5, 9);
    expect(confidence(0.5, ceiling + 0.2, DEFAULT_ANSWER_ENGINE_OPTIONS)).toBeCloseTo((1 - share) * 0.5 + share, 9);
    expect(confidence(0.5, (floor + ceiling) / 2, DEFAULT_ANSWER_ENGINE_OPTIONS)).toBeCloseTo((1 - share) * 0.5 + share / 2, 9);
  });
});
