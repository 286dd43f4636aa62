import SearchableMap from 'minisearch/SearchableMap';
import type { Corpus, CorpusDocument, Passage } from '../corpus/types.js';
import { forEachContentWord } from './analyzer.js';
import { typingDistance } from './edit-distance.js';
import { TermIndexBuilder, type TermIndex } from './term-index.js';

/** A passage with the document it belongs to. */
export interface IndexedPassage {
  readonly passage: Passage;
  readonly document: CorpusDocument;
  /**
   * The text a passage that opens by referring back ("The group…", "It…", "He…") refers to: the passages
   * before it, so that "The group emerged in 2007" can answer a question naming the group.
   */
  readonly context?: string | undefined;
}

/** A passage opening with one of these refers to something named before it. */
const REFERS_BACK =
  /^(?:the (?:group|groups|organi[sz]ation|movement|militants|attackers|two sides|two groups|outfit|minister)|it|its|they|their|he|his|she|her)\b/i;
/** How many passages back a chain of references may reach. */
const MAX_CONTEXT_PASSAGES = 3;

/** Each passage with its context: the passages before it, back to the first that does not itself refer back. */
function withContext(document: CorpusDocument): IndexedPassage[] {
  return document.passages.map((passage, i) => {
    const earlier: string[] = [];
    for (let j = i - 1, refersBack = REFERS_BACK.test(passage.text); refersBack && j >= 0 && earlier.length < MAX_CONTEXT_PASSAGES; j--) {
      const previous = document.passages[j]!.text;
      earlier.unshift(previous);
      refersBack = REFERS_BACK.test(previous);
    }
    return { passage, document, context: earlier.length > 0 ? earlier.join('\n') : undefined };
  });
}

export interface PassageHit {
  readonly entry: IndexedPassage;
  /** The BM25 score for the query terms (MiniSearch's, as `TermIndex` reproduces it). */
  readonly score: number;
}

export interface PassageIndexOptions {
  /** How long indexing may hold the event loop before it yields, in milliseconds. */
  readonly sliceMilliseconds: number;
}

/** Defaults for {@link PassageIndex.build}. */
export const DEFAULT_PASSAGE_INDEX_OPTIONS: PassageIndexOptions = { sliceMilliseconds: 15 };

/** The fields indexed per passage, and their boosts: words only the referred-to passages hold should find a passage, but rank it lower. */
const STEMS = 0;
const FIELD_BOOSTS = [1, 0.3];

/**
 * A BM25 index over the corpus passages (scored exactly as MiniSearch would score it, see `TermIndex`), the
 * document frequency of every stem (for weighting question words), and the corpus words (for fuzzy look-ups of
 * misspelt ones).
 */
export class PassageIndex {
  private constructor(
    private readonly terms: TermIndex,
    private readonly words: SearchableMap<string>,
    readonly entries: readonly IndexedPassage[],
    private readonly byId: ReadonlyMap<string, IndexedPassage>,
  ) {}

  /** Indexes every passage of a corpus, yielding to the event loop between slices so a reload never stalls it. */
  static async build(corpus: Corpus, options: PassageIndexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS): Promise<PassageIndex> {
    const builder = new TermIndexBuilder(FIELD_BOOSTS);
    // Words in the order first met (a plain Map, then the searchable one), so fuzzy look-ups list them as before.
    const firstStems = new Map<string, string>();
    const entries: IndexedPassage[] = corpus.documents.flatMap(withContext);
    let sliceStart = performance.now();
    const pause = (): Promise<void> | undefined => {
      if (performance.now() - sliceStart <= options.sliceMilliseconds) return undefined;
      return yieldToEventLoop().then(() => {
        sliceStart = performance.now();
      });
    };
    const stems: string[] = [];
    const contextStems: string[] = [];
    for (let id = 0; id < entries.length; id++) {
      const { passage, context } = entries[id]!;
      stems.length = 0;
      contextStems.length = 0;
      forEachContentWord(passage.text, (word, stem) => {
        stems.push(stem);
        if (!firstStems.has(word)) firstStems.set(word, stem);
      });
      if (context !== undefined) forEachContentWord(context, (_, stem) => contextStems.push(stem));
      builder.add([stems, contextStems]);
      const waiting = pause();
      if (waiting) await waiting;
    }
    const terms = await builder.finish(pause);
    const words = new SearchableMap<string>();
    for (const [word, stem] of firstStems) {
      words.set(word, stem);
      const waiting = pause();
      if (waiting) await waiting;
    }
    const byId = new Map(entries.map((entry) => [entry.passage.id, entry]));
    return new PassageIndex(terms, words, entries, byId);
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
    return this.terms.documentFrequency(stem, STEMS);
  }

  /**
   * Words of the corpus within `maxEdits` typing slips of `word` (a swap of neighbouring letters is one slip),
   * each with its stem and distance: misspelt words are matched as written, before stemming mangles them.
   */
  similarWords(word: string, maxEdits: number): { word: string; stem: string; distance: number }[] {
    if (maxEdits <= 0) return [];
    // A swap is two Levenshtein edits: ask the map for one more, then measure properly.
    return [...this.words.fuzzyGet(word, maxEdits + 1)]
      .map(([candidate, [stem]]) => ({ word: candidate, stem, distance: typingDistance(word, candidate, maxEdits) }))
      .filter((match) => match.distance <= maxEdits);
  }

  /** The passages that contain any of the weighted stems, best BM25 score first. */
  find(weights: ReadonlyMap<string, number>, limit: number): PassageHit[] {
    if (weights.size === 0) return [];
    const hits = this.terms.search([...weights.keys()], (term) => weights.get(term) ?? 1, limit);
    return hits.map((hit) => ({ entry: this.entries[hit.doc]!, score: hit.score }));
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
