import type { Candidate, CandidateSignals, QuestionSignals } from './candidates.js';

/**
 * The numbers the learned combiner sees of a candidate quote, made from its signals and from how it compares with
 * the question's other candidates. The model file lists the names it was trained on; the engine refuses a model
 * whose list is not this one (`combine.ts`).
 */
export interface Feature {
  readonly name: string;
  /** Whether it comes from the sentence model: a lexical model is trained and served without these. */
  readonly meaning: boolean;
  readonly value: (candidate: CandidateSignals, context: CandidateContext) => number;
}

/** What the question's candidates show as a whole, against which one candidate is compared. */
export interface CandidateContext {
  /** The best share of any candidate, and of any span of this candidate's passage and of its document. */
  readonly bestShare: number;
  readonly passageBestShare: number;
  readonly documentBestShare: number;
  /** The best cosine of any candidate. */
  readonly bestSimilarity: number;
  /** Whether the question's form asks for a kind of answer ("how many": a number). */
  readonly cueAsked: boolean;
}

const flag = (value: boolean): number => (value ? 1 : 0);

/** Every candidate feature, in the order the model's weights follow. */
export const CANDIDATE_FEATURES: readonly Feature[] = [
  { name: 'share', meaning: false, value: (c) => c.share },
  { name: 'ownShare', meaning: false, value: (c) => c.ownShare },
  { name: 'exactShare', meaning: false, value: (c) => c.exactShare },
  { name: 'phrase', meaning: false, value: (c) => c.phrase },
  { name: 'heaviestMissing', meaning: false, value: (c) => c.heaviestMissing },
  { name: 'softShare', meaning: false, value: (c) => c.softShare },
  { name: 'passageShare', meaning: false, value: (c) => c.passageShare },
  { name: 'shareGap', meaning: false, value: (c, x) => c.share - x.bestShare },
  { name: 'passageShareGap', meaning: false, value: (c, x) => c.share - x.passageBestShare },
  // Another document covering the question better says this one is not where the answer is.
  { name: 'documentShareGap', meaning: false, value: (c, x) => x.documentBestShare - x.bestShare },
  { name: 'previousShare', meaning: false, value: (c) => c.previousShare },
  { name: 'nextShare', meaning: false, value: (c) => c.nextShare },
  { name: 'sentencePosition', meaning: false, value: (c) => c.sentencePosition },
  { name: 'cueAnswered', meaning: false, value: (c, x) => flag(x.cueAsked && c.answersCue) },
  { name: 'cueUnanswered', meaning: false, value: (c, x) => flag(x.cueAsked && !c.answersCue) },
  { name: 'focusMissing', meaning: false, value: (c) => flag(c.focusMissing) },
  { name: 'twoSentences', meaning: false, value: (c) => flag(c.twoSentences) },
  { name: 'words', meaning: false, value: (c) => Math.log1p(c.words) },
  { name: 'lead', meaning: false, value: (c) => c.lead },
  { name: 'caption', meaning: false, value: (c) => flag(c.caption) },
  { name: 'bm25', meaning: false, value: (c) => c.bm25 },
  { name: 'similarity', meaning: true, value: (c) => c.similarity },
  { name: 'passageSimilarity', meaning: true, value: (c) => c.passageSimilarity },
  { name: 'similarityGap', meaning: true, value: (c, x) => c.similarity - x.bestSimilarity },
  { name: 'passageSimilarityGap', meaning: true, value: (c) => c.similarity - c.passageSimilarity },
  // Where no candidate covers much of the question (a paraphrase, chat), meaning has to decide.
  { name: 'similarityWhereWordsFail', meaning: true, value: (c, x) => c.similarity * (1 - x.bestShare) },
];

const LEXICAL_CANDIDATE_FEATURES = CANDIDATE_FEATURES.filter((feature) => !feature.meaning);

/** The candidate features a model of this mode uses. */
export function candidateFeatures(mode: 'fused' | 'lexical'): readonly Feature[] {
  return mode === 'fused' ? CANDIDATE_FEATURES : LEXICAL_CANDIDATE_FEATURES;
}

/** The candidates a mode answers from: lexically, only those kept for their words (the rest came by meaning). */
export function candidatesFor<T extends Pick<Candidate, 'byWords'>>(candidates: readonly T[], mode: 'fused' | 'lexical'): readonly T[] {
  return mode === 'fused' ? candidates : candidates.filter((candidate) => candidate.byWords);
}

/** One of a question's best quotes (one per passage) as the confidence model sees it. */
export interface RankedSignals {
  readonly candidate: CandidateSignals;
  /** From 1, best first. */
  readonly rank: number;
  /** The ranker's score, the best quote's, and the next quote's (this one's own for the last). */
  readonly score: number;
  readonly topScore: number;
  readonly nextScore: number;
  /** The ranker's softmax over the question's passages. */
  readonly probability: number;
  readonly question: QuestionSignals;
  readonly bestSimilarity: number;
}

/**
 * What the confidence model sees of a quote: how the ranker placed it and what it holds of the question. Trained on
 * the first three quotes of each question, it gives the chance that a quote answers, the first quote's being the
 * answer's confidence.
 */
export const CONFIDENCE_FEATURES: readonly ConfidenceFeature[] = [
  { name: 'score', meaning: false, value: (r) => r.score },
  { name: 'scoreGap', meaning: false, value: (r) => r.score - r.topScore },
  // How far the quote leads the next: a close second says the ranker could not tell them apart.
  { name: 'margin', meaning: false, value: (r) => r.score - r.nextScore },
  { name: 'probability', meaning: false, value: (r) => r.probability },
  { name: 'share', meaning: false, value: (r) => r.candidate.share },
  { name: 'ownShare', meaning: false, value: (r) => r.candidate.ownShare },
  { name: 'heaviestMissing', meaning: false, value: (r) => r.candidate.heaviestMissing },
  { name: 'softShare', meaning: false, value: (r) => r.candidate.softShare },
  { name: 'cueUnanswered', meaning: false, value: (r) => flag(r.question.cue !== undefined && !r.candidate.answersCue) },
  { name: 'focusMissing', meaning: false, value: (r) => flag(r.candidate.focusMissing) },
  { name: 'absentShare', meaning: false, value: (r) => r.question.absentShare },
  { name: 'concepts', meaning: false, value: (r) => Math.log1p(r.question.concepts) },
  { name: 'second', meaning: false, value: (r) => flag(r.rank === 2) },
  { name: 'third', meaning: false, value: (r) => flag(r.rank >= 3) },
  { name: 'similarity', meaning: true, value: (r) => r.candidate.similarity },
  { name: 'bestSimilarity', meaning: true, value: (r) => r.bestSimilarity },
];

export interface ConfidenceFeature {
  readonly name: string;
  readonly meaning: boolean;
  readonly value: (ranked: RankedSignals) => number;
}

const LEXICAL_CONFIDENCE_FEATURES = CONFIDENCE_FEATURES.filter((feature) => !feature.meaning);

/** The confidence features a model of this mode uses. */
export function confidenceFeatures(mode: 'fused' | 'lexical'): readonly ConfidenceFeature[] {
  return mode === 'fused' ? CONFIDENCE_FEATURES : LEXICAL_CONFIDENCE_FEATURES;
}

/** A candidate's signals with where it comes from: its passage and its document, each named within the question. */
export interface Placeable extends CandidateSignals {
  readonly passageId: string;
  readonly documentId: string;
}

/** Each candidate's feature values, in `features` order. */
export function featureRows(candidates: readonly Placeable[], cueAsked: boolean, features: readonly Feature[]): Float64Array[] {
  const bestShare = Math.max(0, ...candidates.map((c) => c.share));
  const bestSimilarity = Math.max(0, ...candidates.map((c) => c.similarity));
  const passageBest = bestShareBy(candidates, (c) => c.passageId);
  const documentBest = bestShareBy(candidates, (c) => c.documentId);
  return candidates.map((candidate) => {
    const context: CandidateContext = {
      bestShare,
      passageBestShare: passageBest.get(candidate.passageId)!,
      documentBestShare: documentBest.get(candidate.documentId)!,
      bestSimilarity,
      cueAsked,
    };
    return Float64Array.from(features, (feature) => feature.value(candidate, context));
  });
}

function bestShareBy(candidates: readonly Placeable[], key: (candidate: Placeable) => string): Map<string, number> {
  const best = new Map<string, number>();
  for (const c of candidates) best.set(key(c), Math.max(best.get(key(c)) ?? 0, c.share));
  return best;
}
