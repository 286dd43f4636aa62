import type { CorpusDocument, SentenceSpan } from '../corpus/types.js';
import { isStopStem, isStopWord, tokenize, type Token } from '../search/analyzer.js';
import { englishRarity, isEnglishWord } from '../search/english-rarity.js';
import type { PassageHit, PassageIndex } from '../search/passage-index.js';
import { knownStemPositions, positionsOfStems, stemPositions } from '../search/stem-positions.js';
import { likelyEnglishWord } from '../search/spelling.js';
import type { AnalysedQuestion, AnswerCue, Concept, CueKind } from '../search/question.js';
import type { SpanSimilarity } from '../semantic/span-similarity.js';
import { passageScore, type PassageSignals, type ScoreWeights } from './combine.js';
import type { Highlight } from './types.js';

/** Weights and limits of the ranking, in one place (the score's weights are combined in `combine.ts`). */
export interface RankingOptions extends ScoreWeights {
  /** How many of MiniSearch's best passages are re-ranked sentence by sentence. */
  readonly candidates: number;
  /** Words of at least this many letters may match misspelt, with one slip per this many letters (two at most). */
  readonly fuzzyMinLength: number;
  readonly lettersPerEdit: number;
  /**
   * A word English lacks, of at least this many letters, weighs as the commonest English word a slip from it, and
   * may match a corpus word a slip away even when shorter than `fuzzyMinLength`.
   */
  readonly respellMinLength: number;
  /**
   * Credit for a misspelt match, for a glossary alias (or a term of the kind the question names: "Pakistani
   * Taliban" for "group"), and for part of a several-word term, against an exact match.
   */
  readonly fuzzyCredit: number;
  readonly aliasCredit: number;
  readonly partialCredit: number;
  /**
   * Credit for a concept found only in the passages a passage refers back to ("The group…"), or in its
   * document's title: what a passage is about need not be repeated in it.
   */
  readonly contextCredit: number;
  /** A two-sentence quote must cover this much more than one sentence to be chosen over it. */
  readonly twoSentencePenalty: number;
  /** How the passage score combines the best quote and MiniSearch's BM25. */
  readonly quoteWeight: number;
  readonly bm25Weight: number;
  /**
   * News tells the heart of a story first: a passage at the start of its document scores this much more, the last
   * of n passages 1/n of it, so that "What happened in Bannu?" gets the lead rather than a later detail.
   */
  readonly leadWeight: number;
  /** A photo caption's score is multiplied by this. */
  readonly captionFactor: number;
  /** A concept's weight: this much of its rarity in everyday English plus this much of its corpus IDF. */
  readonly rarityWeight: number;
  readonly idfWeight: number;
  /**
   * Two of the question's concepts that stand next to each other in it and in the quote ("oil crisis") add this
   * share of the lighter one's weight.
   */
  readonly phraseWeight: number;
  /**
   * Coverage is multiplied by this when the span lacks what the question asks about ("children" in "how many
   * children"), or its count, or when the corpus never mentions the subject of a "what is the X" question.
   */
  readonly focusMissingFactor: number;
  /** For "how many X", how many words before X the number may stand. */
  readonly countReach: number;
  /** Weight of the answer the question's form asks for ("how many": a number) when it names no word for it. */
  readonly cueWeight: number;
  /**
   * A passage whose quote lacks the number or time the question asks for ("how many", "when") has its score
   * multiplied by this: it may share the question's words, but it cannot say what was asked.
   */
  readonly cueMissingFactor: number;
  /** How many passages of the spans nearest the question in meaning join MiniSearch's candidates. */
  readonly semanticCandidates: number;
  /**
   * Weight of the quote's cosine with the question in the passage's score, times the share of the question that
   * the best-covering passage leaves uncovered.
   */
  readonly semanticWeight: number;
}

/** The ranking used unless told otherwise; each figure is measured by `npm run eval` (see README). */
export const DEFAULT_RANKING_OPTIONS: RankingOptions = {
  candidates: 30,
  fuzzyMinLength: 5,
  lettersPerEdit: 4,
  respellMinLength: 4,
  fuzzyCredit: 0.7,
  aliasCredit: 0.9,
  partialCredit: 0.5,
  contextCredit: 0.6,
  twoSentencePenalty: 0.85,
  quoteWeight: 1,
  bm25Weight: 0.2,
  captionFactor: 0.9,
  leadWeight: 0.05,
  rarityWeight: 1,
  idfWeight: 0.5,
  cueWeight: 5,
  cueMissingFactor: 0.9,
  countReach: 4,
  focusMissingFactor: 0.6,
  phraseWeight: 0.5,
  semanticCandidates: 10,
  semanticWeight: 2,
};


/** A concept made concrete against the corpus: which stems express it, and how much it weighs. */
interface ResolvedConcept {
  readonly weight: number;
  /** Whether the corpus holds any of the concept's forms whole. */
  readonly inCorpus: boolean;
  /** Each form is a sequence of positions; each position accepts some stems, each with a credit. */
  readonly forms: readonly (readonly ReadonlyMap<string, number>[])[];
}

/** A candidate quote: whole sentences of one passage. */
export interface RankedQuote {
  readonly passageId: string;
  readonly span: SentenceSpan;
  readonly highlights: readonly Highlight[];
  /** Share of the question's weighted concepts the quote covers, from 0 to 1. */
  readonly coverage: number;
  /** Cosine of the quote with the question in the sentence model's space; 0 when answering lexically. */
  readonly similarity: number;
  readonly score: number;
}

interface Occurrence {
  readonly concept: number;
  readonly start: number;
  readonly end: number;
  /** Index of the first and last token, for telling which concepts stand next to each other. */
  readonly firstToken: number;
  readonly lastToken: number;
  readonly credit: number;
  /** For a word found apart from the rest of its several-word form: which position of the form it fills. */
  readonly part?: ReadonlyMap<string, number> | undefined;
}

/** Ranks passages for a question and chooses, in each, the sentence(s) that answer it best. */
export function rankQuotes(
  question: AnalysedQuestion,
  index: PassageIndex,
  options: RankingOptions = DEFAULT_RANKING_OPTIONS,
  semantic?: SpanSimilarity,
): RankedQuote[] {
  const concepts = question.concepts.map((concept) => resolveConcept(concept, index, options));
  if (concepts.length === 0 && !semantic) return [];
  const cueWeight = question.cue ? (question.cue.slotWord ? englishRarity(question.cue.slotWord) : options.cueWeight) : 0;
  // The stems any concept's forms accept: in a passage whose stem positions are not kept, only these are looked for.
  const asked = new Set(concepts.flatMap(({ forms }) => forms.flatMap((form) => form.flatMap((position) => [...position.keys()]))));
  const resolved: ResolvedQuestion = {
    question,
    concepts,
    cueWeight,
    phrases: concepts.slice(1).map((concept, i) => options.phraseWeight * Math.min(concept.weight, concepts[i]!.weight)),
    totalWeight: concepts.reduce((sum, concept) => sum + concept.weight, 0) + cueWeight,
    // "How many X" wants a count of X; "what number" or "how many years" wants any number.
    countsFocus: question.cue?.kind === 'number' && question.cue.slotWord === undefined && question.focus !== undefined,
    positionsIn: (tokens) => knownStemPositions(tokens) ?? positionsOfStems(tokens, asked),
    semantic,
  };
  const hits = concepts.length > 0 ? index.find(searchWeights(concepts), options.candidates) : [];
  const bestBm25 = hits[0]?.score ?? 1;
  // Passages near the question in meaning may share no word with it ("how many were freed" for "released").
  if (semantic) {
    const found = new Set(hits.map((hit) => hit.entry.passage.id));
    for (const id of semantic.nearestPassages(options.semanticCandidates)) {
      const entry = index.get(id);
      if (entry && !found.has(id)) hits.push({ entry, score: 0 });
    }
  }
  const quoted = hits.map((hit) => quotePassage(hit, bestBm25, resolved, index, options)).filter((quote) => quote !== undefined);
  const uncovered = 1 - Math.min(1, Math.max(0, ...quoted.map(({ quote }) => quote.coverage)));
  return quoted.map(({ quote, signals }) => ({ ...quote, score: passageScore(signals, uncovered, options) })).sort((a, b) => b.score - a.score);
}

/** A question made concrete against the corpus, shared by every candidate passage. */
interface ResolvedQuestion {
  readonly question: AnalysedQuestion;
  readonly concepts: readonly ResolvedConcept[];
  readonly cueWeight: number;
  /** The weight earned when concepts i and i+1 stand together in a quote. */
  readonly phrases: readonly number[];
  readonly totalWeight: number;
  readonly countsFocus: boolean;
  /** Where the asked stems stand in some tokens. */
  readonly positionsIn: (tokens: readonly Token[]) => ReadonlyMap<string, readonly number[]>;
  readonly semantic: SpanSimilarity | undefined;
}

/** The best quote of one candidate passage, and the signals its score is made of; undefined for a passage without sentences. */
function quotePassage(
  hit: PassageHit,
  bestBm25: number,
  resolved: ResolvedQuestion,
  index: PassageIndex,
  options: RankingOptions,
): { quote: Omit<RankedQuote, 'score'>; signals: PassageSignals } | undefined {
  const { concepts, positionsIn } = resolved;
  const { passage } = hit.entry;
  const tokens = index.tokensOf(hit.entry);
  const occurrences = findOccurrences(concepts, tokens.text, positionsIn(tokens.text), options);
  // What the passage refers back to, and its document's title, count for every span of it, at a discount, and
  // are never highlighted.
  const title = titleTokens(hit.entry.document);
  const referred = [
    ...findOccurrences(concepts, tokens.context, positionsIn(tokens.context), options),
    ...findOccurrences(concepts, title, stemPositions(title), options),
  ].map((o) => ({ ...o, credit: o.credit * options.contextCredit }));
  const spans = new SpanMeasure(resolved, passage.text, tokens.text, occurrences, referred, options);
  const { semantic } = resolved;
  const similarityOf = (span: SentenceSpan): number => {
    return semantic?.similarity(passage.id, span) ?? 0;
  };
  const best = bestSpan(passage.sentences, occurrences, spans, similarityOf, options);
  if (!best) return undefined;
  const { cue } = resolved.question;
  const signals: PassageSignals = {
    quote: best.value,
    bm25: hit.score / bestBm25,
    lead: 1 - (passage.position - 1) / Math.max(hit.entry.document.passages.length, 1),
    caption: passage.kind === 'caption',
    cueMissing: cue !== undefined && RANKED_CUES.has(cue.kind) && !best.answersCue,
    similarity: best.similarity,
  };
  const { span } = best;
  const highlights = occurrences
    .filter((o) => o.start >= span.start && o.end <= span.end)
    .map((o) => ({ start: o.start - span.start, end: o.end - span.start }));
  return { quote: { passageId: passage.id, span, highlights: mergeHighlights(highlights), coverage: best.coverage, similarity: best.similarity }, signals };
}

/** What `SpanMeasure.measure` finds in a span. */
interface SpanFigures {
  /** The share of the question the span answers, after the focus penalty: it becomes the confidence. */
  readonly coverage: number;
  /** Its value for ranking: the share before the focus penalty, plus the phrase bonus. */
  readonly value: number;
  /** Whether it holds the kind of answer the question asks for (see `SpanMeasure.answersCue`). */
  readonly answersCue: boolean;
}

/** How much of the question a span of one passage answers. */
class SpanMeasure {
  private readonly focusReferred: boolean;

  constructor(
    private readonly resolved: ResolvedQuestion,
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly occurrences: readonly Occurrence[],
    private readonly referred: readonly Occurrence[],
    private readonly options: RankingOptions,
  ) {
    this.focusReferred = referred.some((o) => o.concept === resolved.question.focus);
  }

  /**
   * Whether the span holds the kind of answer the question asks for. "How many X": the number must count X, and
   * English puts it before ("33 hostage-takers", "15 members of the military"); "one militant" after "hostages"
   * counts something else.
   */
  answersCue(start: number, end: number): boolean {
    const { question, countsFocus } = this.resolved;
    const focusHere = countsFocus ? this.occurrences.filter((o) => o.concept === question.focus && o.start >= start && o.end <= end) : [];
    if (focusHere.length === 0) return hasCue(question.cue, this.text.slice(start, end));
    // The counted word heads its phrase: "hostage" in "33 hostage-takers" counts the takers.
    return focusHere.some(
      (o) =>
        this.text[o.end] !== '-' &&
        this.tokens
          .slice(Math.max(0, o.firstToken - this.options.countReach), o.firstToken)
          .some((token) => token.start >= start && token.end <= end && COUNT.test(token.word)),
    );
  }

  /** The span's coverage, its value for ranking (adjacent concepts found as a phrase only help to rank), and cue. */
  measure(start: number, end: number): SpanFigures {
    const { question, concepts, cueWeight, totalWeight, phrases, countsFocus } = this.resolved;
    const inside = this.occurrences.filter((o) => o.start >= start && o.end <= end);
    const answersCue = this.answersCue(start, end);
    const cue = answersCue ? cueWeight : 0;
    const focusMissing =
      (question.focus !== undefined && !this.focusReferred && !inside.some((o) => o.concept === question.focus)) ||
      (question.subject !== undefined && !concepts[question.subject]!.inCorpus);
    const share = totalWeight > 0 ? (coveredWeight(concepts, inside, this.referred, this.options) + cue) / totalWeight : 0;
    // Lacking the focus lowers the confidence, not the passage's rank: it may still be the nearest passage.
    // "How many X" unanswered by a count of X is as unanswered as a span lacking X.
    const countMissing = countsFocus && cue === 0;
    const coverage = share * (focusMissing || countMissing ? this.options.focusMissingFactor : 1);
    return { coverage, value: share + (totalWeight > 0 ? phraseWeight(phrases, inside) / totalWeight : 0), answersCue };
  }
}

/**
 * The span covering most of the question: one sentence, or two adjacent ones; closeness in meaning, then word
 * order (the phrase bonus), break ties, so a passage found by meaning alone quotes its nearest sentence.
 */
function bestSpan(
  sentences: readonly SentenceSpan[],
  occurrences: readonly Occurrence[],
  spans: SpanMeasure,
  similarityOf: (span: SentenceSpan) => number,
  options: RankingOptions,
): (SpanFigures & { span: SentenceSpan; similarity: number }) | undefined {
  let best: (SpanFigures & { span: SentenceSpan; similarity: number; rank: number }) | undefined;
  const inSentence = (span: SentenceSpan): boolean => occurrences.some((o) => o.start >= span.start && o.end <= span.end);
  for (const [i, sentence] of sentences.entries()) {
    const windows: [SentenceSpan, number][] = [[sentence, 1]];
    const next = sentences[i + 1];
    // Two sentences are quoted together only when each holds part of the question, never to add a cue alone.
    if (next && inSentence(sentence) && inSentence(next)) {
      windows.push([{ start: sentence.start, end: next.end }, options.twoSentencePenalty]);
    }
    for (const [span, penalty] of windows) {
      const figures = spans.measure(span.start, span.end);
      const { coverage, value } = figures;
      const similarity = similarityOf(span);
      const rank = coverage * penalty;
      const tied = best !== undefined && Math.abs(rank - best.rank) <= 1e-9;
      const better =
        !best || rank > best.rank + 1e-9 || (tied && (similarity > best.similarity + 1e-9 || (Math.abs(similarity - best.similarity) <= 1e-9 && value * penalty > best.value)));
      if (better) best = { ...figures, span, similarity, value: value * penalty, rank };
    }
  }
  return best;
}

const TITLE_TOKENS = new WeakMap<CorpusDocument, Token[]>();

/** The tokens of a document's title, analysed once per document. */
function titleTokens(document: CorpusDocument): Token[] {
  let tokens = TITLE_TOKENS.get(document);
  if (!tokens) TITLE_TOKENS.set(document, (tokens = tokenize(document.meta.title)));
  return tokens;
}

/** The stems to ask MiniSearch for, each with the best credit it can earn; stop words are not indexed. */
function searchWeights(concepts: readonly ResolvedConcept[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const { forms } of concepts) {
    for (const form of forms) {
      for (const position of form) {
        for (const [stem, credit] of position) {
          if (!isStopStem(stem)) weights.set(stem, Math.max(weights.get(stem) ?? 0, credit));
        }
      }
    }
  }
  return weights;
}

function resolveConcept(concept: Concept, index: PassageIndex, options: RankingOptions): ResolvedConcept {
  const [own = [], ...aliases] = concept.forms;

  // A word the corpus lacks may be a slip: match it, as written, to corpus words a slip or two away.
  const corrections: string[][] = own.map(() => []);
  const ownForm = own.map((stem, i) => {
    const credits = new Map<string, number>([[stem, 1]]);
    const word = concept.words[i]?.word ?? stem;
    if (index.documentFrequency(stem) === 0 && !/^\d/.test(word)) {
      for (const match of index.similarWords(word, allowedSlips(word, options))) {
        credits.set(match.stem, Math.max(credits.get(match.stem) ?? 0, options.fuzzyCredit));
        corrections[i]!.push(match.word);
      }
    }
    return credits;
  });
  const asAliases = (forms: readonly (readonly string[])[]): Map<string, number>[][] =>
    forms.map((form) => form.map((stem) => new Map([[stem, options.aliasCredit]])));
  const forms = [ownForm, ...asAliases(aliases)];

  // How telling the concept is in this corpus: the IDF of its rarest wording that the corpus has, or the
  // highest IDF when it has none, so a question about something absent cannot be covered.
  const presentIdfs = forms.flatMap((form) => {
    const frequencies = form
      .filter((position) => ![...position.keys()].every(isStopStem))
      .map((position) => Math.max(...[...position.keys()].map((stem) => index.documentFrequency(stem))));
    if (frequencies.length === 0 || frequencies.some((frequency) => frequency === 0)) return [];
    return [frequencies.reduce((sum, frequency) => sum + index.inverseDocumentFrequency(frequency), 0) / frequencies.length];
  });
  const corpusIdf = presentIdfs.length > 0 ? Math.max(...presentIdfs) : index.inverseDocumentFrequency(0);
  // How telling it is in English at large: "else" says little, "Tokyo" a lot. A glossary phrase made of
  // small words ("took over") is as telling as its group's other terms ("seized", "captured").
  // A misspelt word is as telling as the corpus words it was matched to or, failing those, as the English word
  // it most likely stands for: "cused" weighs what "used" does, not what an unheard-of name would.
  const ownWords = concept.words.flatMap((word, i) => {
    if (isStopWord(word.word)) return [];
    const corrected = corrections[i] ?? [];
    if (isEnglishWord(word.word) || /^\d/.test(word.word)) return [word.word];
    if (corrected.length > 0) return corrected;
    // An unknown name is rare, not misspelt.
    return [(word.word.length >= options.respellMinLength && !concept.names[i] ? likelyEnglishWord(word.word) : undefined) ?? word.word];
  });
  const groupWords = (concept.aliases?.terms ?? []).flatMap((term) => tokenize(term).filter((t) => !isStopWord(t.word)).map((t) => t.word));
  const rated = ownWords.length > 0 ? ownWords : groupWords.length > 0 ? groupWords : concept.words.map((word) => word.word);
  const rarity = rated.reduce((sum, word) => sum + englishRarity(word), 0) / Math.max(rated.length, 1);
  return {
    weight: options.rarityWeight * rarity + options.idfWeight * corpusIdf,
    inCorpus: presentIdfs.length > 0,
    // Terms of the kind named find the concept but, unlike its own wordings, do not make it telling.
    forms: [...forms, ...asAliases(concept.instances ?? [])],
  };
}

/**
 * How many typing slips a word may hold and still match: below `fuzzyMinLength` letters none, unless English lacks
 * the word and it has `respellMinLength` letters or more.
 */
function allowedSlips(word: string, options: RankingOptions): number {
  // A dropped letter makes "guard" "guad": a short word English lacks may still hold one slip.
  if (word.length < options.fuzzyMinLength) return word.length >= options.respellMinLength && !isEnglishWord(word) ? 1 : 0;
  return Math.min(2, Math.floor(word.length / options.lettersPerEdit));
}

/**
 * Where each concept occurs in a passage's tokens. A several-word form matches whole for its full credit; its
 * content words found apart earn part of it ("centre" for "counter-terrorism centre"). Stems are looked up in
 * `positions`, the tokens' positions of (at least) every stem the concepts' forms accept, rather than compared with
 * every token.
 */
function findOccurrences(
  concepts: readonly ResolvedConcept[],
  tokens: readonly Token[],
  positions: ReadonlyMap<string, readonly number[]>,
  options: RankingOptions,
): Occurrence[] {
  /** The token indexes holding any stem a form's position accepts, ascending. */
  const indexesOf = (position: ReadonlyMap<string, number>): readonly number[] => {
    if (position.size === 1) return positions.get(position.keys().next().value!) ?? [];
    const found: number[] = [];
    for (const stem of position.keys()) found.push(...(positions.get(stem) ?? []));
    return found.sort((a, b) => a - b);
  };
  const occurrences: Occurrence[] = [];
  concepts.forEach(({ forms }, concept) => {
    for (const form of forms) {
      const [first] = form;
      if (!first) continue;
      for (const start of indexesOf(first)) {
        if (start + form.length > tokens.length) break;
        let credit = 1;
        for (let offset = 0; offset < form.length && credit > 0; offset++) {
          credit = Math.min(credit, form[offset]!.get(tokens[start + offset]!.stem) ?? 0);
        }
        if (credit > 0) {
          const lastToken = start + form.length - 1;
          occurrences.push({ concept, start: tokens[start]!.start, end: tokens[lastToken]!.end, firstToken: start, lastToken, credit });
        }
      }
      if (form.length < 2) continue;
      const contentPositions = contentPositionsOf(form);
      const head = contentPositions.at(-1);
      const partIndexes = contentPositions.length === 1 ? indexesOf(head!) : contentPositions.flatMap(indexesOf).sort((a, b) => a - b);
      for (let i = 0; i < partIndexes.length; i++) {
        const tokenIndex = partIndexes[i]!;
        // A stem two positions accept is found twice: it counts once, for the first.
        if (tokenIndex === partIndexes[i - 1]) continue;
        const token = tokens[tokenIndex]!;
        const position = contentPositions.find((candidate) => candidate.has(token.stem))!;
        // English puts the head of a noun phrase last: "centre" says more of "counter-terrorism centre" than "counter".
        const share = position === head ? 1 : 1 / contentPositions.length;
        const credit = position.get(token.stem)! * options.partialCredit * share;
        occurrences.push({ concept, start: token.start, end: token.end, firstToken: tokenIndex, lastToken: tokenIndex, credit, part: position });
      }
    }
  });
  return occurrences;
}

const CONTENT_POSITIONS = new WeakMap<readonly ReadonlyMap<string, number>[], readonly ReadonlyMap<string, number>[]>();

/** The positions of a several-word form that accept a content word, worked out once per form. */
function contentPositionsOf(form: readonly ReadonlyMap<string, number>[]): readonly ReadonlyMap<string, number>[] {
  let positions = CONTENT_POSITIONS.get(form);
  if (!positions) {
    positions = form.filter((position) => [...position.keys()].some((stem) => !isStopStem(stem)));
    CONTENT_POSITIONS.set(form, positions);
  }
  return positions;
}

/**
 * The weight of the concepts covered by the occurrences `inside` a span and those `referred` to (taken in that
 * order): each concept by its best whole match, or by the distinct parts found.
 */
function coveredWeight(
  concepts: readonly ResolvedConcept[],
  inside: readonly Occurrence[],
  referred: readonly Occurrence[],
  options: RankingOptions,
): number {
  const credits = new Map<number, { whole: number; parts: Map<ReadonlyMap<string, number>, number> | undefined }>();
  const add = (o: Occurrence): void => {
    let entry = credits.get(o.concept);
    if (!entry) credits.set(o.concept, (entry = { whole: 0, parts: undefined }));
    if (o.part) {
      entry.parts ??= new Map<ReadonlyMap<string, number>, number>();
      entry.parts.set(o.part, Math.max(entry.parts.get(o.part) ?? 0, o.credit));
    } else entry.whole = Math.max(entry.whole, o.credit);
  };
  for (const o of inside) add(o);
  for (const o of referred) add(o);
  let covered = 0;
  for (const [concept, { whole, parts }] of credits) {
    let partial = 0;
    if (parts) for (const credit of parts.values()) partial += credit;
    covered += concepts[concept]!.weight * Math.max(whole, Math.min(partial, options.partialCredit * 1.5));
  }
  return covered;
}

/** The phrase weight earned: concepts i and i+1 of the question found in that order, at most one word apart. */
function phraseWeight(phrases: readonly number[], occurrences: readonly Occurrence[]): number {
  let earned = 0;
  phrases.forEach((weight, i) => {
    const adjacent = occurrences.some(
      (left) =>
        left.concept === i &&
        occurrences.some((right) => right.concept === i + 1 && right.firstToken > left.lastToken && right.firstToken - left.lastToken <= 2),
    );
    if (adjacent) earned += weight;
  });
  return earned;
}

const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?';
const DATE_WORDS =
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|yesterday|today|tonight|ago|(?:last|next|this|that) (?:week|month|year)';
const DURATION = `(?:\\d+|a|an|${NUMBER_WORDS}|several|many|few) (?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies))|for (?:years|decades|months|weeks|days|hours)`;

/** A number as digits or in words: "33", "1,000", "two", "dozens". */
const NUMBER = `\\d[\\d,.]*|${NUMBER_WORDS}`;
/** A word that is a count. */
const COUNT = new RegExp(`^(?:${NUMBER})$`);

/**
 * The cues whose absence lowers a passage's rank, not only its coverage: numbers and times are told by their form,
 * while a capitalised word ("who") or a place word ("where") is too common to show that an answer is missing.
 */
const RANKED_CUES: ReadonlySet<CueKind> = new Set(['number', 'time']);

/** What each kind of answer looks like in a sentence. */
const CUE_PATTERNS: Record<CueKind, RegExp> = {
  number: new RegExp(`\\b(?:${NUMBER})\\b`, 'i'),
  time: new RegExp(`\\b(?:${DATE_WORDS}|\\d{1,2}:\\d{2}|1[0-9]{3}|20[0-9]{2}|\\d{1,4}s|${DURATION})\\b`, 'i'),
  person: /(?<!^)\b\p{Lu}\p{Ll}+/u,
  // Where a thing is, as news says it: a kind of place or a direction. A capitalised name alone could be anyone.
  place: /\b(?:district|province|region|border|city|town|village|area|country|capital|north|south|east|west|northern|southern|eastern|western|north-western|north-eastern|south-western|south-eastern|remote|near)\b/i,
};

/**
 * What the answer looks like when the question names it: "what year" wants a year, "what day" a day. A slot not
 * listed ("how many people") takes its cue's pattern: any count.
 */
const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const SLOT_PATTERNS: Readonly<Record<string, RegExp>> = {
  year: /\b(?:1[0-9]{3}|20[0-9]{2}|\d{1,4}s|(?:last|next|this|that) year)\b/i,
  month: new RegExp(`\\b(?:${MONTHS}|(?:last|next|this|that) month)\\b`, 'i'),
  day: new RegExp(
    `\\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|${MONTHS})\\b`,
    'i',
  ),
  date: new RegExp(`\\b(?:${MONTHS}|\\d{1,2}/\\d{1,2}/\\d{2,4}|1[0-9]{3}|20[0-9]{2})\\b`, 'i'),
  time: /\b(?:\d{1,2}:\d{2}|\d{1,2} ?(?:am|pm|a\.m\.|p\.m\.)|morning|afternoon|evening|night|dawn|midnight|noon)\b/i,
  hour: /\b(?:\d{1,2}:\d{2}|\d{1,2} ?(?:am|pm|a\.m\.|p\.m\.))/i,
  long: new RegExp(`\\b(?:${DURATION})\\b`, 'i'),
};

const OPENING_WORD = /^\p{Lu}\p{Ll}+/u;

function hasCue(cue: AnswerCue | undefined, text: string): boolean {
  if (cue === undefined) return false;
  const pattern = (cue.slotWord === undefined ? undefined : SLOT_PATTERNS[cue.slotWord]) ?? CUE_PATTERNS[cue.kind];
  if (pattern.test(text)) return true;
  // Every sentence opens with a capital, but one opening with a content word names who acted ("Witnesses of the
  // siege reported…", "Army commandoes…"), where "The", "He" or "It" do not.
  const opening = cue.kind === 'person' ? OPENING_WORD.exec(text) : null;
  return opening !== null && !isStopWord(opening[0].toLowerCase());
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
