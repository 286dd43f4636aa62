import type { Corpus, Passage } from '../corpus/types.js';
import { WordVectors } from '../search/word-vectors.js';
import { loadEnglishRarity } from '../search/english-rarity.js';
import { GlossaryLookup } from '../search/glossary-lookup.js';
import { DEFAULT_PASSAGE_INDEX_OPTIONS, PassageIndex, type CapturedIndex, type IndexedPassage, type IndexOrigin, type PassageIndexOptions } from '../search/passage-index.js';
import { analyseQuestion, asksForTheStory, expandShorthand } from '../search/question.js';
import type { ModelState, SemanticSearch } from '../semantic/semantic-search.js';
import { OnDemandVectors } from '../semantic/on-demand-vectors.js';
import type { SpanSimilarity } from '../semantic/span-similarity.js';
import { SpanVectors } from '../semantic/span-vectors.js';
import { DEFAULT_CANDIDATE_OPTIONS, findCandidates, type CandidateOptions, type CandidateSet } from './candidates.js';
import { AnswerModel, AnswerModelError, DEFAULT_MODEL_FILE, type RankedCandidate } from './combine.js';
import { roundConfidence } from './round-confidence.js';
import type { Answer, Citation, PassageView, Quote } from './types.js';

export interface AnswerEngineOptions {
  readonly candidates: CandidateOptions;
  readonly index: PassageIndexOptions;
  /**
   * The learned ranker and confidence; {@link DEFAULT_MODEL_FILE} is read when none is given. `null` makes an engine
   * that only measures candidates (for `npm run train`, which makes the model) and cannot answer.
   */
  readonly model?: AnswerModel | null | undefined;
  /** The word vectors of soft word matches; `model/word-vectors.bin` is read when none are given. */
  readonly words?: WordVectors | undefined;
  /** In a corpus too large to embed whole, how many of the words' best passages are compared in meaning. */
  readonly onDemandCandidates: number;
}

/**
 * How the engine answers now: `fused` (words and meaning) once the corpus's sentence vectors are ready; `lexical`
 * before then, or for good when the model is off or failed.
 */
export interface AnsweringMode {
  readonly mode: 'fused' | 'lexical';
  /** Where the sentence model stands, and whether this corpus's vectors are still being computed. */
  readonly model: ModelState | 'embedding';
}

/** Defaults for {@link AnswerEngine.build}. */
export const DEFAULT_ANSWER_ENGINE_OPTIONS: AnswerEngineOptions = {
  candidates: DEFAULT_CANDIDATE_OPTIONS,
  index: DEFAULT_PASSAGE_INDEX_OPTIONS,
  onDemandCandidates: 5,
};

/** The model file and the word vectors, read once per process and shared by every engine (a reload builds a new engine). */
let defaultModelLoad: Promise<AnswerModel> | undefined;
let defaultWordsLoad: Promise<WordVectors> | undefined;

function defaultWords(): Promise<WordVectors> {
  return (defaultWordsLoad ??= WordVectors.read());
}

function defaultModel(): Promise<AnswerModel> {
  return (defaultModelLoad ??= Promise.all([AnswerModel.load(DEFAULT_MODEL_FILE), defaultWords()]).then(([model, words]) => model.checkWordVectors(words)));
}

/** What the sentence model says of a question: how near each span is, and whether it is small talk. */
interface SemanticQuestion {
  readonly similarity: SpanSimilarity;
  readonly smallTalk: boolean;
}

/**
 * A question with what the sentence model says of it, worked out before it is answered: embedding is the one slow
 * (awaited) step, so it comes first, and the answer itself is synchronous (see {@link AnswerEngine.prepare}).
 */
export interface PreparedQuestion {
  /** The question's vector; absent when answering lexically. */
  readonly vector?: Float32Array | undefined;
  readonly smallTalk: boolean;
}

const LEXICAL: PreparedQuestion = { smallTalk: false };

/** Which page of an answer's quotes to return. */
export interface AnswerPage {
  readonly offset?: number;
  readonly limit?: number;
}

/** Quotes per page unless asked otherwise. */
export const QUOTES_PER_PAGE = 3;

/**
 * Answers questions from one corpus with verbatim quotes. Immutable once built: a reload builds a new engine.
 */
export class AnswerEngine {
  private vectors: SpanVectors | OnDemandVectors | undefined;
  /** Settles when this corpus's sentence vectors are ready, or known not to come (model off or failed). */
  readonly vectorsSettled: Promise<void>;

  private constructor(
    readonly corpus: Corpus,
    private readonly index: PassageIndex,
    private readonly glossary: GlossaryLookup,
    private readonly options: AnswerEngineOptions,
    private readonly trained: AnswerModel | null,
    private readonly words: WordVectors,
    private readonly semantic: SemanticSearch | undefined,
    ready?: { readonly vectors: SpanVectors | OnDemandVectors | undefined },
  ) {
    // The vectors come in the background, unless a reload made them first: until then the engine answers
    // lexically, as it says in `mode`.
    this.vectors = ready?.vectors;
    this.vectorsSettled =
      semantic && !ready
        ? semantic.vectorsFor(corpus).then((vectors) => {
            this.vectors = vectors;
          })
        : Promise.resolve();
  }

  /**
   * Indexes `corpus` (or serves `index`, an index of this corpus already made, e.g. loaded from a snapshot); with
   * `semantic`, also starts computing its sentence vectors (see {@link vectorsSettled}).
   */
  static async build(
    corpus: Corpus,
    options: AnswerEngineOptions = DEFAULT_ANSWER_ENGINE_OPTIONS,
    semantic?: SemanticSearch,
    prepared?: PassageIndex,
  ): Promise<AnswerEngine> {
    loadEnglishRarity();
    const model = options.model === undefined ? await defaultModel() : options.model;
    const words = options.words ?? (await defaultWords());
    const index = prepared ?? (await PassageIndex.build(corpus, options.index));
    return new AnswerEngine(corpus, index, new GlossaryLookup(corpus.glossary), options, model, words, semantic);
  }

  /**
   * Starts reading the model file and the word vectors that {@link build} will need with `options`, so that they load
   * while the corpus does. A failure is left for `build` to report.
   */
  static prefetch(options: AnswerEngineOptions): void {
    if (options.model === undefined) defaultModel().catch(() => undefined);
    else if (options.words === undefined) defaultWords().catch(() => undefined);
  }

  /** Whether answers use the sentence model yet, and why not. */
  get mode(): AnsweringMode {
    if (this.vectors && this.semantic?.state === 'ready') return { mode: 'fused', model: 'ready' };
    const model = this.semantic?.state ?? 'off';
    return { mode: 'lexical', model: model === 'ready' ? 'embedding' : model };
  }

  /**
   * Makes the engine for `corpus`, a reload of this engine's corpus, updating the index in place for the documents
   * that changed (see {@link PassageIndex.update}), and hands it to `serve` in the same synchronous step; from then
   * on this engine must not answer again.
   */
  async update(corpus: Corpus, serve: (engine: AnswerEngine) => void): Promise<void> {
    const glossary = new GlossaryLookup(corpus.glossary);
    // The new corpus's vectors first, while the old engine serves: unchanged sentences come from the cache, and the
    // new engine answers by meaning from its first question.
    const ready = { vectors: this.semantic ? await this.semantic.vectorsFor(corpus) : undefined };
    return PassageIndex.update(
      this.index,
      this.corpus,
      corpus,
      (index) => serve(new AnswerEngine(corpus, index, glossary, this.options, this.trained, this.words, this.semantic, ready)),
      this.options.index,
    );
  }

  /** The learned model; an engine made without one (for training) cannot rank or answer. */
  private get model(): AnswerModel {
    if (!this.trained) throw new AnswerModelError('answer engine: made without a model (for measuring candidates only), so it cannot answer');
    return this.trained;
  }

  /** The confidence below which the engine abstains, in the mode it answers in now. */
  get threshold(): number {
    return this.model.threshold(this.mode.mode);
  }

  get passageCount(): number {
    return this.index.passageCount;
  }

  /** Whether this engine's index was built or loaded from a snapshot (see {@link PassageIndex.origin}). */
  get indexOrigin(): IndexOrigin {
    return this.index.origin;
  }

  /** The index as plain data, for saving a snapshot; undefined if a reload changed it meanwhile (see {@link PassageIndex.capture}). */
  captureIndex(): Promise<CapturedIndex | undefined> {
    return this.index.capture(this.options.index);
  }

  /**
   * Answers a question with up to `limit` quotes, best first, or abstains when the corpus does not answer it. For a
   * corpus that is served and may be reloaded meanwhile, `Library.answer` prepares first and answers from whatever
   * engine serves once the question is prepared.
   */
  async answer(question: string, page: AnswerPage = {}): Promise<Answer> {
    return this.answerPrepared(question, page, await this.prepare(question));
  }

  /**
   * What the sentence model says of a question: its vector, whether it is small talk, and (for a corpus embedded on
   * demand) its candidates' sentences embedded. Vectors are the same whichever corpus serves, so a question
   * prepared by one engine can be answered by the next.
   */
  async prepare(question: string): Promise<PreparedQuestion> {
    if (!this.vectors || !this.semantic || question.trim() === '') return LEXICAL;
    // The model knows "people", not "ppl": it reads the question with chat shorthand written out, as analysis does.
    const vector = await this.semantic.embedQuestion(expandShorthand(question));
    if (!vector) return LEXICAL;
    if (this.vectors instanceof OnDemandVectors) this.vectors.enqueue(this.candidatesOf(question));
    return { vector, smallTalk: this.semantic.isSmallTalk(vector) };
  }

  /** Answers a prepared question at once (synchronously, so a reload cannot swap the corpus halfway). */
  answerPrepared(question: string, page: AnswerPage, prepared: PreparedQuestion): Answer {
    return this.answerWith(question, page, this.semanticOf(question, prepared));
  }

  /** Answers from the words alone, at once: for previews while a question is typed (autocomplete). */
  answerLexically(question: string, page: AnswerPage = {}): Answer {
    return this.answerWith(question, page, undefined);
  }

  private answerWith(question: string, page: AnswerPage, semantic: SemanticQuestion | undefined): Answer {
    const { offset = 0, limit = QUOTES_PER_PAGE } = page;
    const mode = semantic ? 'fused' : 'lexical';
    if (question.trim() === '') return abstain(question, 'empty-question', mode);
    if (asksForTheStory(question)) return this.leads(question, offset, limit, mode);
    const analysed = analyseQuestion(question, this.glossary);
    if (analysed.concepts.length === 0) return abstain(question, 'no-content-words', mode);
    if (semantic?.smallTalk) return abstain(question, 'small-talk', mode);

    const ranked = this.model.rank(findCandidates(analysed, this.index, this.words, this.options.candidates, semantic?.similarity), mode);
    const [best] = ranked;
    if (!best) return abstain(question, 'no-match', mode);
    const threshold = this.model.threshold(mode);
    const sure = roundConfidence(best.confidence, threshold);
    if (best.confidence < threshold) {
      // The nearest passage is offered only when it shares a word with the question: nearness in meaning alone, or
      // the form of an answer alone ("Who wrote Hamlet?" and any capitalised name), would only be noise.
      return { ...abstain(question, 'low-confidence', mode), confidence: sure, closest: best.highlights.length > 0 ? this.toQuote(best) : undefined };
    }
    const answering = ranked.filter((quote, i) => i === 0 || quote.confidence >= threshold);
    return {
      question,
      answered: true,
      quotes: answering.slice(offset, offset + limit).map((quote) => this.toQuote(quote)),
      totalQuotes: answering.length,
      offset,
      confidence: sure,
      mode,
    };
  }

  /**
   * Every candidate passage's best quote, best first, each with its chance of answering: the ranking before any
   * abstention, for measuring retrieval.
   */
  async rank(question: string): Promise<RankedCandidate[]> {
    const { set, mode } = await this.candidates(question);
    return this.model.rank(set, mode);
  }

  /** The question's candidate quotes with what was measured of each, and the mode they were measured in (for training). */
  async candidates(question: string): Promise<{ set: CandidateSet; mode: 'fused' | 'lexical' }> {
    const semantic = this.semanticOf(question, await this.prepare(question));
    return { set: findCandidates(analyseQuestion(question, this.glossary), this.index, this.words, this.options.candidates, semantic?.similarity), mode: semantic ? 'fused' : 'lexical' };
  }

  /** The prepared question against this corpus's spans; undefined (lexical) without vectors. */
  private semanticOf(question: string, prepared: PreparedQuestion): SemanticQuestion | undefined {
    const { vectors } = this;
    if (!vectors || !prepared.vector) return undefined;
    if (vectors instanceof SpanVectors) return { similarity: vectors.match(prepared.vector), smallTalk: prepared.smallTalk };
    return { similarity: vectors.similarityTo(prepared.vector, this.candidatesOf(question)), smallTalk: prepared.smallTalk };
  }

  /** Too large a corpus to compare with every span: the words' best passages are the ones compared in meaning. */
  private candidatesOf(question: string): Passage[] {
    // Candidates come passage by passage, the best-covering passage first.
    const { candidates } = findCandidates(analyseQuestion(question, this.glossary), this.index, this.words, this.options.candidates);
    const passages = [...new Set(candidates.map((candidate) => candidate.passageId))].slice(0, this.options.onDemandCandidates);
    return passages.map((id) => this.index.get(id)!.passage);
  }


  /** The whole passage cited as `id`, with its neighbours, or undefined when there is no such passage. */
  passage(id: string): PassageView | undefined {
    const entry = this.index.get(id.trim());
    return entry && toView(entry);
  }

  /** Every passage in corpus order, for listings and autocomplete. */
  passages(): PassageView[] {
    return this.index.entries.map(toView);
  }

  /**
   * "What happened?": the first sentence of each document's lead paragraph, the newest document first. News tells
   * the heart of a story first, so the lead answers a question that names nothing in particular.
   */
  private leads(question: string, offset: number, limit: number, mode: Answer['mode']): Answer {
    const newestFirst = [...this.corpus.documents].sort((a, b) => (b.meta.published ?? '').localeCompare(a.meta.published ?? ''));
    const quotes = newestFirst.flatMap((document) => {
      const lead = document.passages.find((passage) => passage.kind === 'paragraph');
      const [sentence] = lead?.sentences ?? [];
      return lead && sentence ? [this.toQuote({ passageId: lead.id, span: sentence, highlights: [], share: 1, score: 1 })] : [];
    });
    if (quotes.length === 0) return abstain(question, 'no-match', mode);
    return { question, answered: true, quotes: quotes.slice(offset, offset + limit), totalQuotes: quotes.length, offset, confidence: 1, mode };
  }

  private toQuote(ranked: Pick<RankedCandidate, 'passageId' | 'span' | 'highlights' | 'share' | 'score'>): Quote {
    const entry = this.index.get(ranked.passageId)!;
    return {
      text: entry.passage.text.slice(ranked.span.start, ranked.span.end),
      citation: citationOf(entry),
      highlights: ranked.highlights,
      // To six significant digits: an index updated in place adds its BM25 sums in another order than one built
      // afresh, which moves the model's score in the last bits; the quote reports the same score from both.
      score: Number(ranked.score.toPrecision(6)),
      coverage: ranked.share,
    };
  }
}

function citationOf({ passage, document }: IndexedPassage): Citation {
  return {
    passageId: passage.id,
    documentId: document.meta.id,
    documentTitle: document.meta.title,
    source: document.meta.source,
    url: document.meta.url,
    position: passage.position,
    passageCount: document.passages.length,
  };
}

function toView({ passage, document }: IndexedPassage): PassageView {
  return {
    passage,
    document: document.meta,
    passageCount: document.passages.length,
    previousId: document.passages[passage.position - 2]?.id,
    nextId: document.passages[passage.position]?.id,
  };
}

function abstain(question: string, reason: NonNullable<Answer['abstention']>, mode: Answer['mode']): Answer {
  return { question, answered: false, quotes: [], totalQuotes: 0, offset: 0, confidence: 0, abstention: reason, mode };
}
