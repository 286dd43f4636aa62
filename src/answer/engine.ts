import type { Corpus } from '../corpus/types.js';
import { loadEnglishRarity } from '../search/english-rarity.js';
import { GlossaryLookup } from '../search/glossary-lookup.js';
import { DEFAULT_PASSAGE_INDEX_OPTIONS, PassageIndex, type IndexedPassage, type PassageIndexOptions } from '../search/passage-index.js';
import { analyseQuestion, asksForTheStory } from '../search/question.js';
import { DEFAULT_RANKING_OPTIONS, rankQuotes, type RankedQuote, type RankingOptions } from './ranking.js';
import type { Answer, Citation, PassageView, Quote } from './types.js';

export interface AnswerEngineOptions {
  readonly ranking: RankingOptions;
  readonly index: PassageIndexOptions;
  /** The first quote must cover at least this share of the question, or the engine abstains. */
  readonly answerThreshold: number;
  /**
   * Quotes after the first must cover at least this share of the question, and this share of what the first
   * covers, to be offered too.
   */
  readonly followingQuoteThreshold: number;
  readonly followingQuoteShare: number;
}

/** Defaults for {@link AnswerEngine.build}; the thresholds are chosen with `npm run eval` (see README). */
export const DEFAULT_ANSWER_ENGINE_OPTIONS: AnswerEngineOptions = {
  ranking: DEFAULT_RANKING_OPTIONS,
  index: DEFAULT_PASSAGE_INDEX_OPTIONS,
  answerThreshold: 0.5,
  followingQuoteThreshold: 0.5,
  followingQuoteShare: 0.7,
};

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
  private constructor(
    readonly corpus: Corpus,
    private readonly index: PassageIndex,
    private readonly glossary: GlossaryLookup,
    private readonly options: AnswerEngineOptions,
  ) {}

  static async build(corpus: Corpus, options: AnswerEngineOptions = DEFAULT_ANSWER_ENGINE_OPTIONS): Promise<AnswerEngine> {
    loadEnglishRarity();
    const index = await PassageIndex.build(corpus, options.index);
    return new AnswerEngine(corpus, index, new GlossaryLookup(corpus.glossary), options);
  }

  /**
   * Makes the engine for `corpus`, a reload of this engine's corpus, updating the index in place for the documents
   * that changed (see {@link PassageIndex.update}), and hands it to `serve` in the same synchronous step; from then
   * on this engine must not answer again.
   */
  update(corpus: Corpus, serve: (engine: AnswerEngine) => void): Promise<void> {
    const glossary = new GlossaryLookup(corpus.glossary);
    return PassageIndex.update(this.index, this.corpus, corpus, (index) => serve(new AnswerEngine(corpus, index, glossary, this.options)), this.options.index);
  }

  get passageCount(): number {
    return this.index.passageCount;
  }

  /** Answers a question with up to `limit` quotes, best first, or abstains when the corpus does not answer it. */
  answer(question: string, page: AnswerPage = {}): Answer {
    const { offset = 0, limit = QUOTES_PER_PAGE } = page;
    if (question.trim() === '') return abstain(question, 'empty-question');
    if (asksForTheStory(question)) return this.leads(question, offset, limit);
    const analysed = analyseQuestion(question, this.glossary);
    if (analysed.concepts.length === 0) return abstain(question, 'no-content-words');

    const ranked = rankQuotes(analysed, this.index, this.options.ranking);
    const [best] = ranked;
    if (!best) return abstain(question, 'no-match');
    const confidence = roundConfidence(best.coverage);
    if (best.coverage < this.options.answerThreshold) {
      return { ...abstain(question, 'low-confidence'), confidence, closest: this.toQuote(best) };
    }
    const following = Math.max(this.options.followingQuoteThreshold, best.coverage * this.options.followingQuoteShare);
    const answering = ranked.filter((quote, i) => i === 0 || quote.coverage >= following);
    return {
      question,
      answered: true,
      quotes: answering.slice(offset, offset + limit).map((quote) => this.toQuote(quote)),
      totalQuotes: answering.length,
      offset,
      confidence,
    };
  }

  /**
   * Every passage that shares a word with the question, best first, with the sentence(s) each would quote:
   * the ranking before any abstention, for measuring retrieval.
   */
  rank(question: string): RankedQuote[] {
    return rankQuotes(analyseQuestion(question, this.glossary), this.index, this.options.ranking);
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
  private leads(question: string, offset: number, limit: number): Answer {
    const newestFirst = [...this.corpus.documents].sort((a, b) => (b.meta.published ?? '').localeCompare(a.meta.published ?? ''));
    const quotes = newestFirst.flatMap((document) => {
      const lead = document.passages.find((passage) => passage.kind === 'paragraph');
      const [sentence] = lead?.sentences ?? [];
      return lead && sentence ? [this.toQuote({ passageId: lead.id, span: sentence, highlights: [], coverage: 1, score: 1 })] : [];
    });
    if (quotes.length === 0) return abstain(question, 'no-match');
    return { question, answered: true, quotes: quotes.slice(offset, offset + limit), totalQuotes: quotes.length, offset, confidence: 1 };
  }

  private toQuote(ranked: RankedQuote): Quote {
    const entry = this.index.get(ranked.passageId)!;
    return {
      text: entry.passage.text.slice(ranked.span.start, ranked.span.end),
      citation: citationOf(entry),
      highlights: ranked.highlights,
      score: ranked.score,
      coverage: ranked.coverage,
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

function abstain(question: string, reason: NonNullable<Answer['abstention']>): Answer {
  return { question, answered: false, quotes: [], totalQuotes: 0, offset: 0, confidence: 0, abstention: reason };
}

function roundConfidence(value: number): number {
  return Math.round(Math.min(Math.max(value, 0), 1) * 1000) / 1000;
}
