import type { SentenceSpan } from '../corpus/types.js';
import { isStopStem, tokenize, type Token } from '../search/analyzer.js';
import type { PassageIndex } from '../search/passage-index.js';
import type { AnalysedQuestion, AnswerCue, Concept } from '../search/question.js';
import type { Highlight } from './types.js';

/** Weights and limits of the ranking, in one place. */
export interface RankingOptions {
  /** How many of MiniSearch's best passages are re-ranked sentence by sentence. */
  readonly candidates: number;
  /** Words of at least this many letters may match misspelt. */
  readonly fuzzyMinLength: number;
  /** Credit for a misspelt match, and for a glossary alias, relative to the question's own word. */
  readonly fuzzyWeight: number;
  readonly aliasWeight: number;
  /** A two-sentence quote must cover this much more than one sentence to be chosen over it. */
  readonly twoSentencePenalty: number;
  /** How the passage score combines the best quote, the whole passage and MiniSearch's BM25. */
  readonly quoteWeight: number;
  readonly passageWeight: number;
  readonly bm25Weight: number;
  /** Bonus when the quote holds what the question's form asks for (a number for "how many", …). */
  readonly cueBonus: number;
}

/** The ranking used unless told otherwise. */
export const DEFAULT_RANKING_OPTIONS: RankingOptions = {
  candidates: 30,
  fuzzyMinLength: 5,
  fuzzyWeight: 0.7,
  aliasWeight: 0.9,
  twoSentencePenalty: 0.85,
  quoteWeight: 1,
  passageWeight: 0.3,
  bm25Weight: 0.2,
  cueBonus: 0.1,
};

/** A concept made concrete against the corpus: which stems express it, and how much it weighs. */
interface ResolvedConcept {
  readonly concept: Concept;
  /** Inverse document frequency: rare words weigh more; words the corpus lacks weigh the most. */
  readonly weight: number;
  readonly forms: readonly { readonly positions: readonly ReadonlyMap<string, number>[] }[];
}

/** A candidate quote: whole sentences of one passage. */
export interface RankedQuote {
  readonly passageId: string;
  readonly span: SentenceSpan;
  readonly highlights: readonly Highlight[];
  /** Share of the question's weighted concepts the quote covers, from 0 to 1. */
  readonly coverage: number;
  readonly score: number;
}

interface Occurrence {
  readonly concept: number;
  readonly start: number;
  readonly end: number;
  readonly credit: number;
}

/** Ranks passages for a question and chooses, in each, the sentence(s) that answer it best. */
export function rankQuotes(
  question: AnalysedQuestion,
  index: PassageIndex,
  options: RankingOptions = DEFAULT_RANKING_OPTIONS,
): RankedQuote[] {
  const concepts = question.concepts.map((concept) => resolveConcept(concept, index, options));
  const totalWeight = concepts.reduce((sum, concept) => sum + concept.weight, 0);
  if (totalWeight === 0) return [];

  const searchWeights = new Map<string, number>();
  for (const resolved of concepts) {
    for (const form of resolved.forms) {
      for (const position of form.positions) {
        for (const [stem, credit] of position) {
          if (!isStopStem(stem)) searchWeights.set(stem, Math.max(searchWeights.get(stem) ?? 0, credit));
        }
      }
    }
  }
  const hits = index.find(searchWeights, options.candidates);
  const bestBm25 = hits[0]?.score ?? 1;

  const ranked = hits.map((hit) => {
    const { passage } = hit.entry;
    const tokens = tokenize(passage.text);
    const occurrences = findOccurrences(concepts, tokens);
    const coverageOf = (start: number, end: number): number =>
      coverage(concepts, occurrences.filter((o) => o.start >= start && o.end <= end), totalWeight);

    let best: { span: SentenceSpan; coverage: number; value: number } | undefined;
    for (const [i, sentence] of passage.sentences.entries()) {
      const windows: [SentenceSpan, number][] = [[sentence, 1]];
      const next = passage.sentences[i + 1];
      if (next) windows.push([{ start: sentence.start, end: next.end }, options.twoSentencePenalty]);
      for (const [span, penalty] of windows) {
        const covered = coverageOf(span.start, span.end);
        const cue = hasCue(question.cue, passage.text.slice(span.start, span.end)) ? options.cueBonus : 0;
        const value = covered * penalty + cue;
        if (!best || value > best.value) best = { span, coverage: covered, value };
      }
    }
    if (!best) return undefined;
    const passageCoverage = coverageOf(0, passage.text.length);
    const score =
      options.quoteWeight * best.value + options.passageWeight * passageCoverage + options.bm25Weight * (hit.score / bestBm25);
    const span = best.span;
    const highlights = occurrences
      .filter((o) => o.start >= span.start && o.end <= span.end)
      .map((o) => ({ start: o.start - span.start, end: o.end - span.start }));
    return { passageId: passage.id, span, highlights: mergeHighlights(highlights), coverage: best.coverage, score };
  });
  return ranked.filter((quote) => quote !== undefined).sort((a, b) => b.score - a.score);
}

function resolveConcept(concept: Concept, index: PassageIndex, options: RankingOptions): ResolvedConcept {
  const passages = Math.max(index.passageCount, 1);
  const idf = (frequency: number): number => Math.log(1 + (passages - frequency + 0.5) / (frequency + 0.5));
  const [own = [], ...aliases] = concept.forms;

  const ownPositions = own.map((stem, i) => {
    const credits = new Map<string, number>([[stem, 1]]);
    const word = concept.words[i]?.word ?? stem;
    if (index.documentFrequency(stem) === 0 && word.length >= options.fuzzyMinLength) {
      const maxEdits = word.length >= 8 ? 2 : 1;
      for (const [variant] of index.similarStems(stem, maxEdits)) credits.set(variant, options.fuzzyWeight);
    }
    return credits;
  });
  const aliasForms = aliases.map((form) => ({
    positions: form.map((stem) => new Map([[stem, options.aliasWeight]])),
  }));

  // A concept weighs what its rarest present wording weighs; if the corpus has none of its wordings,
  // it weighs the most, so a question about something absent cannot be covered.
  const presentWeights = [{ positions: ownPositions }, ...aliasForms].flatMap(({ positions }) => {
    const frequencies = positions
      .filter((position) => ![...position.keys()].every(isStopStem))
      .map((position) => Math.max(...[...position.keys()].map((stem) => index.documentFrequency(stem))));
    if (frequencies.length === 0 || frequencies.some((frequency) => frequency === 0)) return [];
    return [frequencies.reduce((sum, frequency) => sum + idf(frequency), 0) / frequencies.length];
  });
  const weight = presentWeights.length > 0 ? Math.max(...presentWeights) : idf(0);
  return { concept, weight, forms: [{ positions: ownPositions }, ...aliasForms] };
}

function findOccurrences(concepts: readonly ResolvedConcept[], tokens: readonly Token[]): Occurrence[] {
  const occurrences: Occurrence[] = [];
  concepts.forEach((resolved, concept) => {
    for (const { positions } of resolved.forms) {
      for (let start = 0; start + positions.length <= tokens.length; start++) {
        let credit = 1;
        for (const [offset, position] of positions.entries()) {
          credit = Math.min(credit, position.get(tokens[start + offset]!.stem) ?? 0);
          if (credit === 0) break;
        }
        if (credit > 0) {
          const last = tokens[start + positions.length - 1]!;
          occurrences.push({ concept, start: tokens[start]!.start, end: last.end, credit });
        }
      }
    }
  });
  return occurrences;
}

function coverage(concepts: readonly ResolvedConcept[], occurrences: readonly Occurrence[], totalWeight: number): number {
  const credits = new Map<number, number>();
  for (const occurrence of occurrences) {
    credits.set(occurrence.concept, Math.max(credits.get(occurrence.concept) ?? 0, occurrence.credit));
  }
  let covered = 0;
  for (const [concept, credit] of credits) covered += concepts[concept]!.weight * credit;
  return covered / totalWeight;
}

const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|dozens?|all|several|many';
const WEEKDAYS_AND_MONTHS =
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december';

const CUE_PATTERNS: Record<AnswerCue, RegExp> = {
  number: new RegExp(`\\b(\\d[\\d,.]*|${NUMBER_WORDS})\\b`, 'i'),
  time: new RegExp(
    `\\b(${WEEKDAYS_AND_MONTHS}|\\d{1,2}:\\d{2}|1[0-9]{3}|20[0-9]{2}|yesterday|today|tonight|ago|morning|afternoon|evening|night|dawn|midnight|noon|(last|next|this) (week|month|year)|years?|decades?|centur(y|ies))\\b`,
    'i',
  ),
  person: /(?<!^)\b\p{Lu}\p{Ll}+/u,
  place: /(?<!^)\b\p{Lu}\p{Ll}+/u,
};

function hasCue(cue: AnswerCue | undefined, text: string): boolean {
  return cue !== undefined && CUE_PATTERNS[cue].test(text);
}

function mergeHighlights(highlights: readonly Highlight[]): Highlight[] {
  const sorted = [...highlights].sort((a, b) => a.start - b.start);
  const merged: Highlight[] = [];
  for (const highlight of sorted) {
    const last = merged.at(-1);
    if (last && highlight.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, highlight.end) };
    else merged.push(highlight);
  }
  return merged;
}
