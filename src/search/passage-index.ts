import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Corpus, CorpusDocument, Passage } from '../corpus/types.js';
import { contentTokens } from './analyzer.js';

/** A passage with the document it belongs to. */
export interface IndexedPassage {
  readonly passage: Passage;
  readonly document: CorpusDocument;
}

export interface PassageHit {
  readonly entry: IndexedPassage;
  /** MiniSearch's BM25 score for the query terms. */
  readonly score: number;
}

export interface PassageIndexOptions {
  /** How long indexing may hold the event loop before it yields, in milliseconds. */
  readonly sliceMilliseconds: number;
}

/** Defaults for {@link PassageIndex.build}. */
export const DEFAULT_PASSAGE_INDEX_OPTIONS: PassageIndexOptions = { sliceMilliseconds: 15 };

interface IndexedFields {
  readonly id: number;
  readonly stems: string;
}

/** The index is fed stems the analyzer already made, so MiniSearch must not process them again. */
const PRE_ANALYSED = {
  tokenize: (text: string): string[] => (text === '' ? [] : text.split(' ')),
  processTerm: (term: string): string => term,
};

/**
 * MiniSearch over the corpus passages, plus the document frequency of every stem (for weighting question words
 * and for fuzzy look-ups of misspelt ones).
 */
export class PassageIndex {
  private constructor(
    private readonly search: MiniSearch<IndexedFields>,
    private readonly vocabulary: SearchableMap<number>,
    readonly entries: readonly IndexedPassage[],
    private readonly byId: ReadonlyMap<string, IndexedPassage>,
  ) {}

  /** Indexes every passage of a corpus, yielding to the event loop between slices so a reload never stalls it. */
  static async build(corpus: Corpus, options: PassageIndexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS): Promise<PassageIndex> {
    const search = new MiniSearch<IndexedFields>({
      idField: 'id',
      fields: ['stems'],
      storeFields: [],
      ...PRE_ANALYSED,
      searchOptions: PRE_ANALYSED,
    });
    const vocabulary = new SearchableMap<number>();
    const entries: IndexedPassage[] = corpus.documents.flatMap((document) =>
      document.passages.map((passage) => ({ passage, document })),
    );
    let sliceStart = performance.now();
    for (let id = 0; id < entries.length; id++) {
      const stems = contentTokens(entries[id]!.passage.text).map((token) => token.stem);
      for (const stem of new Set(stems)) vocabulary.update(stem, (count = 0) => count + 1);
      search.add({ id, stems: stems.join(' ') });
      if (performance.now() - sliceStart > options.sliceMilliseconds) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    const byId = new Map(entries.map((entry) => [entry.passage.id, entry]));
    return new PassageIndex(search, vocabulary, entries, byId);
  }

  get passageCount(): number {
    return this.entries.length;
  }

  /** The passage cited as `id`, e.g. `bannu-siege#p5`. */
  get(id: string): IndexedPassage | undefined {
    return this.byId.get(id);
  }

  /** In how many passages the stem occurs. */
  documentFrequency(stem: string): number {
    return this.vocabulary.get(stem) ?? 0;
  }

  /** Stems of the corpus within `maxEdits` edits of `stem`, with their distance. */
  similarStems(stem: string, maxEdits: number): [string, number][] {
    return [...this.vocabulary.fuzzyGet(stem, maxEdits)].map(([variant, [, distance]]) => [variant, distance]);
  }

  /** The passages that contain any of the weighted stems, best BM25 score first. */
  find(weights: ReadonlyMap<string, number>, limit: number): PassageHit[] {
    if (weights.size === 0) return [];
    const results = this.search.search([...weights.keys()].join(' '), {
      boostTerm: (term) => weights.get(term) ?? 1,
    });
    return results.slice(0, limit).map((result) => ({ entry: this.entries[result.id as number]!, score: result.score }));
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
