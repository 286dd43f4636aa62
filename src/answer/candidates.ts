import type { CorpusDocument, SentenceSpan } from '../corpus/types.js';
import { isStopStem, isStopWord, tokenize, type Token } from '../search/analyzer.js';
import { englishRarity, isEnglishWord } from '../search/english-rarity.js';
import type { IndexedPassage, PassageIndex } from '../search/passage-index.js';
import { knownStemPositions, positionsOfStems, stemPositions } from '../search/stem-positions.js';
import { likelyEnglishWord } from '../search/spelling.js';
import type { AnalysedQuestion, AnswerCue, Concept, CueKind } from '../search/question.js';
import type { SpanSimilarity } from '../semantic/span-similarity.js';
import { WordVectors } from '../search/word-vectors.js';
import { firstNotBefore } from '../search/bisect.js';
import type { Highlight } from './types.js';

/**
 * How candidate quotes are found and measured. These say what the signals mean (what counts as a match, how
 * deep retrieval goes); how the signals are weighed against each other is learned (`combine.ts`, `npm run train`).
 */
export interface CandidateOptions {
  /** How many of MiniSearch's best passages are measured sentence by sentence. */
  readonly candidates: number;
  /** How many passages of the spans nearest the question in meaning join MiniSearch's. */
  readonly semanticCandidates: number;
  /**
   * The passages whose quotes are offered to the model: this many whose best span covers most of the question, and
   * as many (with the sentence model) whose best span is nearest in meaning. Every quotable span of each is a
   * candidate.
   */
  readonly keptPassages: number;
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
  /** A concept's weight: this much of its rarity in everyday English plus this much of its corpus IDF. */
  readonly rarityWeight: number;
  readonly idfWeight: number;
  /**
   * Two of the question's concepts that stand next to each other in it and in the quote ("oil crisis") add this
   * share of the lighter one's weight to the phrase signal.
   */
  readonly phraseWeight: number;
  /** For "how many X", how many words before X the number may stand. */
  readonly countReach: number;
  /** Weight of the answer the question's form asks for ("how many": a number) when it names no word for it. */
  readonly cueWeight: number;
}

/** The candidate search used unless told otherwise. */
export const DEFAULT_CANDIDATE_OPTIONS: CandidateOptions = {
  candidates: 30,
  semanticCandidates: 10,
  keptPassages: 8,
  fuzzyMinLength: 5,
  lettersPerEdit: 4,
  respellMinLength: 4,
  fuzzyCredit: 0.7,
  aliasCredit: 0.9,
  partialCredit: 0.5,
  rarityWeight: 1,
  idfWeight: 0.5,
  cueWeight: 5,
  countReach: 4,
  phraseWeight: 0.5,
};

/**
 * What is measured of one candidate quote and its passage. Shares are of the question's weighted concepts (and the
 * answer its form asks for), from 0 to 1.
 */
export interface CandidateSignals {
  /** The share the span covers with its own words and with what its passage refers back to or its document's title. */
  readonly share: number;
  /** The share the span's own words cover, and the share its exact (not misspelt, not alias, not partial) words do. */
  readonly ownShare: number;
  readonly exactShare: number;
  /** The share earned by concepts standing together in the question's order (see `phraseWeight`). */
  readonly phrase: number;
  /** The heaviest concept neither the span nor its context holds. */
  readonly heaviestMissing: number;
  /**
   * The share of the concepts neither the span nor its context holds, each weighed by its nearest word in the span
   * by word vectors (a cosine, 0 when none is near): "released" for "freed".
   */
  readonly softShare: number;
  /** Whether the span holds the kind of answer the question's form asks for (a number for "how many"…). */
  readonly answersCue: boolean;
  /** The span lacks what the question names as its focus ("children" in "how many children"), or its count. */
  readonly focusMissing: boolean;
  readonly twoSentences: boolean;
  /** Tokens in the span. */
  readonly words: number;
  /** The span's cosine with the question; 0 without the sentence model. */
  readonly similarity: number;
  /**
   * The shares of the sentences just before and just after the span (0 at the passage's edges): an answer often
   * follows the sentence that repeats the question's words ("The limit was set in 1974. It was repealed in 1995.").
   */
  readonly previousShare: number;
  readonly nextShare: number;
  /** Where the span starts in its passage: 0 for the first sentence, 1 for the last. */
  readonly sentencePosition: number;
  /** The whole passage's share, and its best span's cosine. */
  readonly passageShare: number;
  readonly passageSimilarity: number;
  /** MiniSearch's BM25 for the passage, as a share of the best candidate's; 0 for a passage found by meaning. */
  readonly bm25: number;
  /** 1 for the first passage of its document, down to 1/n for the last of n. */
  readonly lead: number;
  readonly caption: boolean;
}

/** A candidate quote: whole sentences of one passage, with what was measured of it. */
export interface Candidate extends CandidateSignals {
  readonly passageId: string;
  readonly documentId: string;
  readonly span: SentenceSpan;
  readonly highlights: readonly Highlight[];
  /** Kept for covering the question (`byWords`) or for its meaning (`byMeaning`); lexical answers have only the first. */
  readonly byWords: boolean;
  readonly byMeaning: boolean;
}

/** What is measured of the question itself against the corpus, shared by its candidates. */
export interface QuestionSignals {
  /** How many concepts the question asks about. */
  readonly concepts: number;
  /** The share of the question's weight in concepts the corpus never mentions in any of their forms. */
  readonly absentShare: number;
  readonly cue: CueKind | undefined;
}

/** A question's candidate quotes, in the order their passages were kept (by words first, then by meaning). */
export interface CandidateSet {
  readonly question: QuestionSignals;
  readonly candidates: readonly Candidate[];
}

/** A concept made concrete against the corpus: which stems express it, and how much it weighs. */
interface ResolvedConcept {
  readonly weight: number;
  /** Whether the corpus holds any of the concept's forms whole. */
  readonly inCorpus: boolean;
  /** Each form is a sequence of positions; each position accepts some stems, each with a credit. */
  readonly forms: readonly (readonly ReadonlyMap<string, number>[])[];
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

/**
 * Finds the quotes that may answer a question: MiniSearch's best passages by BM25 and, with the sentence model,
 * those of the spans nearest the question in meaning; of these, the passages that cover most of the question and
 * (with the model) those nearest in meaning are kept, and every quotable span of each is measured.
 */
export function findCandidates(
  question: AnalysedQuestion,
  index: PassageIndex,
  words: WordVectors,
  options: CandidateOptions = DEFAULT_CANDIDATE_OPTIONS,
  semantic?: SpanSimilarity,
): CandidateSet {
  const concepts = question.concepts.map((concept) => resolveConcept(concept, index, options));
  const conceptVectors = question.concepts.map((concept) => WordVectors.meanOf(concept.words.filter((word) => !isStopWord(word.word)).flatMap((word) => words.vector(word.word) ?? [])));
  const cueWeight = question.cue ? (question.cue.slotWord ? englishRarity(question.cue.slotWord) : options.cueWeight) : 0;
  const totalWeight = concepts.reduce((sum, concept) => sum + concept.weight, 0) + cueWeight;
  const absentWeight = concepts.reduce((sum, concept) => sum + (concept.inCorpus ? 0 : concept.weight), 0);
  const signals: QuestionSignals = { concepts: concepts.length, absentShare: totalWeight > 0 ? absentWeight / totalWeight : 0, cue: question.cue?.kind };
  // The stems any concept's forms accept: in a passage whose stem positions are not kept, only these are looked for.
  const asked = new Set(concepts.flatMap(({ forms }) => forms.flatMap((form) => form.flatMap((position) => [...position.keys()]))));
  const resolved: ResolvedQuestion = {
    question,
    concepts,
    cueWeight,
    phrases: concepts.slice(1).map((concept, i) => options.phraseWeight * Math.min(concept.weight, concepts[i]!.weight)),
    totalWeight,
    // "How many X" wants a count of X; "what number" or "how many years" wants any number.
    countsFocus: question.cue?.kind === 'number' && question.cue.slotWord === undefined && question.focus !== undefined,
    positionsIn: (tokens) => knownStemPositions(tokens) ?? positionsOfStems(tokens, asked),
    semantic,
    words,
    conceptVectors,
    nearness: conceptVectors.map(() => new Map()),
  };
  const hits = concepts.length > 0 ? index.find(searchWeights(concepts), options.candidates) : [];
  const bestBm25 = hits[0]?.score ?? 1;
  const byWords = hits.map((hit) => measurePassage(hit.entry, hit.score / bestBm25, resolved, index, options));
  // Passages near the question in meaning may share no word with it ("how many were freed" for "released").
  const found = new Set(hits.map((hit) => hit.entry.passage.id));
  const byMeaning = semantic
    ? semantic
        .nearestPassages(options.semanticCandidates)
        .flatMap((id) => {
          const entry = index.get(id);
          return entry && !found.has(id) ? [entry] : [];
        })
        .map((entry) => measurePassage(entry, 0, resolved, index, options))
    : [];
  // Ties in coverage go to MiniSearch's order, which `hits` is in: the sort is stable.
  const keptByWords = [...byWords].sort((a, b) => b.bestShare - a.bestShare).slice(0, options.keptPassages);
  const keptByMeaning = semantic ? [...byWords, ...byMeaning].sort((a, b) => b.bestSimilarity - a.bestSimilarity).slice(0, options.keptPassages) : [];
  const candidates: Candidate[] = [];
  for (const measured of new Set([...keptByWords, ...keptByMeaning])) {
    const flags = { byWords: keptByWords.includes(measured), byMeaning: keptByMeaning.includes(measured) };
    const softShares = measured.softShares();
    measured.candidates.forEach((candidate, i) => candidates.push({ ...candidate, softShare: softShares[i]!, ...flags }));
  }
  return { question: signals, candidates };
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
  readonly words: WordVectors;
  /** Each concept's word vector (the mean of its words'), undefined when the vectors know none of its words. */
  readonly conceptVectors: readonly (Int8Array | undefined)[];
  /** Each concept's cosine (at least 0) with each word met so far. */
  readonly nearness: readonly Map<string, number>[];
}

/** Every quotable span of one passage, measured; with its best share and cosine, by which passages are kept. */
interface MeasuredPassage {
  readonly candidates: readonly Omit<Candidate, 'byWords' | 'byMeaning' | 'softShare'>[];
  readonly bestShare: number;
  readonly bestSimilarity: number;
  /** Each candidate's `softShare`: worked out only for the passages kept, being the costliest signal. */
  readonly softShares: () => number[];
}

function measurePassage(entry: IndexedPassage, bm25: number, resolved: ResolvedQuestion, index: PassageIndex, options: CandidateOptions): MeasuredPassage {
  const { concepts, positionsIn, semantic } = resolved;
  const { passage, document } = entry;
  const tokens = index.tokensOf(entry);
  const occurrences = findOccurrences(concepts, tokens.text, positionsIn(tokens.text), options);
  // What the passage refers back to, and its document's title, count for every span of it and are never
  // highlighted: what a passage is about need not be repeated in it.
  const title = titleTokens(document);
  const referred = [
    ...findOccurrences(concepts, tokens.context, positionsIn(tokens.context), options),
    ...findOccurrences(concepts, title, stemPositions(title), options),
  ];
  const spans = new SpanMeasure(resolved, passage.text, tokens.text, occurrences, referred, options);
  const windows = spanWindows(passage.sentences, occurrences);
  const sentenceShares = passage.sentences.map((sentence) => spans.measure(sentence.start, sentence.end).share);
  const shareAround = (index: number): number => sentenceShares[index] ?? 0;
  const similarities = windows.map((span) => semantic?.similarity(passage.id, span) ?? 0);
  const opening = passage.sentences[0];
  const passageShare = opening ? spans.measure(opening.start, passage.sentences.at(-1)!.end).share : 0;
  const passageSimilarity = Math.max(0, ...similarities);
  const lead = 1 - (passage.position - 1) / Math.max(document.passages.length, 1);
  const candidates = windows.map((span, i) => {
    const highlights = occurrences
      .filter((o) => o.start >= span.start && o.end <= span.end)
      .map((o) => ({ start: o.start - span.start, end: o.end - span.start }));
    const first = passage.sentences.findIndex((sentence) => sentence.start === span.start);
    const last = passage.sentences.findIndex((sentence) => sentence.end === span.end);
    return {
      passageId: passage.id,
      documentId: document.meta.id,
      span,
      highlights: mergeHighlights(highlights),
      ...spans.measure(span.start, span.end),
      previousShare: shareAround(first - 1),
      nextShare: shareAround(last + 1),
      sentencePosition: passage.sentences.length > 1 ? first / (passage.sentences.length - 1) : 0,
      twoSentences: !passage.sentences.includes(span),
      words: tokens.text.reduce((count, token) => count + (token.start >= span.start && token.end <= span.end ? 1 : 0), 0),
      similarity: similarities[i]!,
      passageShare,
      passageSimilarity,
      bm25,
      lead,
      caption: passage.kind === 'caption',
    };
  });
  return {
    candidates,
    bestShare: Math.max(0, ...candidates.map((c) => c.share)),
    bestSimilarity: passageSimilarity,
    softShares: () => {
      const soft = new SoftMatch(resolved, tokens.text);
      return windows.map((span) => soft.share(span.start, span.end, spans.held(span.start, span.end)));
    },
  };
}

/** Every span a quote of the passage may be: each sentence, and two adjacent sentences that each hold part of the question. */
function spanWindows(sentences: readonly SentenceSpan[], occurrences: readonly Occurrence[]): SentenceSpan[] {
  const inSentence = (span: SentenceSpan): boolean => occurrences.some((o) => o.start >= span.start && o.end <= span.end);
  return sentences.flatMap((sentence, i) => {
    const next = sentences[i + 1];
    return next && inSentence(sentence) && inSentence(next) ? [sentence, { start: sentence.start, end: next.end }] : [sentence];
  });
}

/** What a span shows of the question. */
type SpanFigures = Pick<CandidateSignals, 'share' | 'ownShare' | 'exactShare' | 'phrase' | 'heaviestMissing' | 'answersCue' | 'focusMissing'>;

/** How much of the question a span of one passage answers. */
class SpanMeasure {
  private readonly focusReferred: boolean;

  constructor(
    private readonly resolved: ResolvedQuestion,
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly occurrences: readonly Occurrence[],
    private readonly referred: readonly Occurrence[],
    private readonly options: CandidateOptions,
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

  /** The concepts the span or its context holds. */
  held(start: number, end: number): Set<number> {
    return this.heldWith(this.occurrences.filter((o) => o.start >= start && o.end <= end));
  }

  /** The concepts these occurrences inside a span, or the span's context, hold. */
  private heldWith(inside: readonly Occurrence[]): Set<number> {
    return new Set([...inside, ...this.referred].map((o) => o.concept));
  }

  measure(start: number, end: number): SpanFigures {
    const { question, concepts, cueWeight, totalWeight, phrases, countsFocus } = this.resolved;
    if (totalWeight === 0) return { share: 0, ownShare: 0, exactShare: 0, phrase: 0, heaviestMissing: 0, answersCue: false, focusMissing: false };
    const inside = this.occurrences.filter((o) => o.start >= start && o.end <= end);
    const answersCue = this.answersCue(start, end);
    const cue = answersCue ? cueWeight : 0;
    const held = this.heldWith(inside);
    const missing = concepts.reduce((heaviest, concept, i) => (held.has(i) ? heaviest : Math.max(heaviest, concept.weight)), 0);
    const exact = inside.filter((o) => o.credit === 1 && o.part === undefined);
    return {
      share: (coveredWeight(concepts, inside, this.referred, this.options) + cue) / totalWeight,
      ownShare: (coveredWeight(concepts, inside, [], this.options) + cue) / totalWeight,
      exactShare: coveredWeight(concepts, exact, [], this.options) / totalWeight,
      phrase: phraseWeight(phrases, inside) / totalWeight,
      heaviestMissing: missing / totalWeight,
      answersCue,
      // "How many X" unanswered by a count of X is as unanswered as a span lacking X.
      focusMissing: (question.focus !== undefined && !this.focusReferred && !inside.some((o) => o.concept === question.focus)) || (countsFocus && !answersCue),
    };
  }
}

/** How near in meaning, word by word, a passage's words come to the concepts it lacks. */
class SoftMatch {
  /** For each concept, its cosine with each token, worked out the first time a span lacks the concept. */
  private readonly cosines: (Float32Array | undefined)[];

  constructor(
    private readonly resolved: ResolvedQuestion,
    private readonly tokens: readonly Token[],
  ) {
    this.cosines = resolved.conceptVectors.map(() => undefined);
  }

  /** The weight of the concepts not `held`, each times its best cosine with a word of the span, as a share. */
  share(start: number, end: number, held: ReadonlySet<number>): number {
    const { concepts, conceptVectors, totalWeight } = this.resolved;
    if (totalWeight === 0) return 0;
    const { tokens } = this;
    const first = firstNotBefore(tokens.length, (i) => tokens[i]!.start < start);
    let weight = 0;
    for (let c = 0; c < concepts.length; c++) {
      if (held.has(c) || !conceptVectors[c]) continue;
      const cosines = this.cosinesOf(c);
      let best = 0;
      for (let i = first; i < tokens.length && tokens[i]!.start < end; i++) if (cosines[i]! > best) best = cosines[i]!;
      weight += concepts[c]!.weight * best;
    }
    return weight / totalWeight;
  }

  private cosinesOf(c: number): Float32Array {
    let cosines = this.cosines[c];
    if (!cosines) {
      // Words repeat across passages and spans: each word's cosine is worked out once per question.
      const near = this.resolved.nearness[c]!;
      const vector = this.resolved.conceptVectors[c]!;
      cosines = new Float32Array(this.tokens.length);
      for (let i = 0; i < this.tokens.length; i++) {
        const { word } = this.tokens[i]!;
        let cosine = near.get(word);
        if (cosine === undefined) {
          const row = isStopWord(word) ? undefined : this.resolved.words.vector(word);
          near.set(word, (cosine = row ? Math.max(0, WordVectors.cosine(vector, row)) : 0));
        }
        cosines[i] = cosine;
      }
      this.cosines[c] = cosines;
    }
    return cosines;
  }
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

function resolveConcept(concept: Concept, index: PassageIndex, options: CandidateOptions): ResolvedConcept {
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
function allowedSlips(word: string, options: CandidateOptions): number {
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
  options: CandidateOptions,
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
  options: CandidateOptions,
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
