import MiniSearch, { type Options } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Corpus, CorpusDocument, Passage } from '../corpus/types.js';
import { runInSlices } from '../scheduling/slices.js';
import { contentWords, stemWord, tokenize, type Token } from './analyzer.js';
import { typingDistance } from './edit-distance.js';
import { stemPositions } from './stem-positions.js';

/** What of a corpus an index is made from: its documents, in order. */
type CorpusDocuments = Pick<Corpus, 'documents'>;

/** A passage with the document it belongs to. */
export interface IndexedPassage {
  readonly passage: Passage;
  readonly document: CorpusDocument;
  /**
   * What a passage is about without saying it: the title of its section, and the text a passage that opens by
   * referring back ("The group…", "It…", "He…") refers to, the passages before it, so that "The group emerged in
   * 2007" can answer a question naming the group.
   */
  readonly context?: string | undefined;
}

/** A passage opening with one of these refers to something named before it. */
const REFERS_BACK =
  /^(?:the (?:group|groups|organi[sz]ation|movement|militants|attackers|two sides|two groups|outfit|minister)|it|its|they|their|he|his|she|her)\b/i;
/** How many passages back a chain of references may reach. */
const MAX_CONTEXT_PASSAGES = 3;

/**
 * Each passage with its context: its section's title, and the passages before it, back to the first that does not
 * itself refer back.
 */
function withContext(document: CorpusDocument): IndexedPassage[] {
  return document.passages.map((passage, i) => {
    const earlier: string[] = [];
    for (let j = i - 1, refersBack = REFERS_BACK.test(passage.text); refersBack && j >= 0 && earlier.length < MAX_CONTEXT_PASSAGES; j--) {
      const previous = document.passages[j]!.text;
      earlier.unshift(previous);
      refersBack = REFERS_BACK.test(previous);
    }
    if (passage.section !== undefined) earlier.unshift(passage.section);
    return { passage, document, context: earlier.length > 0 ? earlier.join('\n') : undefined };
  });
}

export interface PassageHit {
  readonly entry: IndexedPassage;
  /** MiniSearch's BM25 score for the query terms. */
  readonly score: number;
}

export interface PassageIndexOptions {
  /** How long indexing may hold the event loop before it yields, in milliseconds. */
  readonly sliceMilliseconds: number;
  /**
   * Most passages (removed plus added) {@link PassageIndex.update} changes in place; a larger change builds a
   * new index. The in-place change runs in one go, so that no answer sees it half done: this bounds how long it
   * holds the event loop (MiniSearch adds about 3 passages a millisecond at 100,000 passages).
   */
  readonly maxPassagesUpdatedInPlace: number;
}

/** Defaults for {@link PassageIndex.build}. */
export const DEFAULT_PASSAGE_INDEX_OPTIONS: PassageIndexOptions = { sliceMilliseconds: 15, maxPassagesUpdatedInPlace: 200 };

/** A corpus word, its stem, and how many passages hold it (a word no passage holds any more leaves the map). */
interface CorpusWord {
  readonly stem: string;
  passages: number;
}

/** What indexing a passage adds to (or removing it takes from) the index, worked out before any change is made. */
interface AnalysedPassage {
  readonly slot: number;
  readonly entry: IndexedPassage;
  readonly stems: readonly string[];
  readonly contextStems: readonly string[];
  /** Each word of the passage once, with its stem. */
  readonly words: ReadonlyMap<string, string>;
}

function analysePassage(slot: number, entry: IndexedPassage): AnalysedPassage {
  const words = new Map<string, string>();
  const stems = contentWords(entry.passage.text).map((word) => {
    const stem = stemWord(word);
    words.set(word, stem);
    return stem;
  });
  return { slot, entry, stems, contextStems: stemsOfContext(entry), words };
}

function stemsOfContext(entry: IndexedPassage): string[] {
  return entry.context === undefined ? [] : contentWords(entry.context).map(stemWord);
}

/**
 * The corpus words of a build, counted as passage after passage is analysed: one look-up per word gives its stem
 * and counts the passage (a word remembers the last passage that counted it). Stemming each word through the
 * analyzer's cache, then collecting each passage's words and counting them into the vocabulary, took three
 * look-ups per word, about 15 % of the build in a profile.
 */
class WordCounter {
  private readonly counted = new Map<string, { readonly word: CorpusWord; lastSlot: number }>();

  /** The stems of a passage's words, in order, each word counted once for the passage in `slot`. */
  stemsOf(text: string, slot: number): string[] {
    const stems: string[] = [];
    for (const word of contentWords(text)) {
      let known = this.counted.get(word);
      if (known === undefined) {
        known = { word: { stem: stemWord(word), passages: 0 }, lastSlot: -1 };
        this.counted.set(word, known);
      }
      if (known.lastSlot !== slot) {
        known.lastSlot = slot;
        known.word.passages++;
      }
      stems.push(known.word.stem);
    }
    return stems;
  }

  /** The words counted, as the radix tree fuzzy look-ups search (a plain Map while counting: the tree is slow to probe). */
  *toSearchableMap(): Generator<void, SearchableMap<CorpusWord>> {
    const words = new SearchableMap<CorpusWord>();
    for (const [text, { word }] of this.counted) {
      words.set(text, word);
      yield;
    }
    return words;
  }
}

interface IndexedFields {
  readonly id: number;
  readonly stems: string;
  readonly context: string;
}

/** The index is fed stems the analyzer already made, so MiniSearch must not process them again. */
const PRE_ANALYSED = {
  tokenize: (text: string): string[] => (text === '' ? [] : text.split(' ')),
  processTerm: (term: string): string => term,
};

/** MiniSearch's options, the same for a build and for an index loaded from a snapshot. */
const SEARCH_OPTIONS: Options<IndexedFields> = {
  idField: 'id',
  fields: ['stems', 'context'],
  storeFields: [],
  ...PRE_ANALYSED,
  // Words only the referred-to passages hold should find a passage, but rank it lower.
  searchOptions: { ...PRE_ANALYSED, boost: { context: 0.3 } },
};

/** One index term: the term, then for each field holding it the field's id and its postings, `[id, frequency, id, frequency…]`. */
export type CapturedTerm = [string, ...(number | number[])[]];

/**
 * MiniSearch's index as plain numbers and strings (see `PassageSearch.captureInSteps`). Each passage's id is the
 * short id MiniSearch keys it by (the index checks this), so one id stands for both, and no fields are stored.
 */
export interface CapturedSearch {
  readonly documentCount: number;
  readonly nextId: number;
  readonly dirtCount: number;
  readonly fieldIds: Readonly<Record<string, number>>;
  readonly averageFieldLength: readonly number[];
  /** For each passage: its id, then its length in each field (one row per passage, flat). */
  readonly lengths: readonly number[];
  readonly terms: readonly CapturedTerm[];
}

/**
 * Everything of an index that is not the corpus itself, as plain data (see {@link PassageIndex.capture}): MiniSearch's
 * index and the corpus words. With the corpus it was made from, it gives the index back without analysing or
 * indexing a passage again ({@link PassageIndex.restore}).
 */
export interface CapturedIndex {
  readonly search: CapturedSearch;
  /** Each corpus word with its stem and the number of passages holding it. */
  readonly words: readonly (readonly [string, string, number])[];
  /**
   * The citation id of the passage at each MiniSearch id, null for a passage a reload removed (MiniSearch never
   * reuses an id, so after an in-place update the ids are no longer the passages' positions in the corpus).
   */
  readonly slots: readonly (string | null)[];
}

/** Where an index came from: analysed and indexed passage by passage, or loaded from a saved snapshot. */
export type IndexOrigin = 'built' | 'snapshot';

/**
 * MiniSearch, with a look at the passages its index lists for a term: the counting pass of
 * {@link PassageIndex.find} needs only which passages hold each stem asked, and walking MiniSearch's own lists
 * for that took about half the time of a search that declines every passage through `boostDocument`.
 */
class PassageSearch extends MiniSearch<IndexedFields> {
  /**
   * Calls `visit` with the id of each passage holding `term`, once for each field holding it (as a search's
   * `boostDocument` is called). Each passage is added with the id MiniSearch gives it (its slot: `PassageIndex.build`
   * checks this, and an update adds at {@link nextId}), so the id is the short id MiniSearch keys by. A removed
   * passage is removed from the lists too (never discarded), so every id listed is a passage served.
   */
  forEachHolding(term: string, visit: (id: number) => void): void {
    const fields = this._index.get(term);
    if (fields === undefined) return;
    for (const passages of fields.values()) for (const id of passages.keys()) visit(id);
  }

  /**
   * How many passages hold `term` in their own text (not only in their context): the size of MiniSearch's list
   * for the term and field, exact because a passage a reload takes out is removed from the lists, never discarded.
   */
  passagesHolding(term: string): number {
    return this._index.get(term)?.get(this._fieldIds.stems!)?.size ?? 0;
  }

  /** Whether every passage's id is the short id MiniSearch keys it by. */
  idsAreShortIds(): boolean {
    for (const [shortId, id] of this._documentIds) if (shortId !== id) return false;
    return this._documentIds.size === this.documentCount;
  }

  /** The short id MiniSearch gives the next passage added. */
  get nextId(): number {
    return this._nextId;
  }

  /**
   * The index as {@link CapturedSearch}, a step per term (a one-go `toJSON` held the event loop for about 4 s at
   * 100,000 passages). The caller must stop if the index changes between steps. The average field lengths, which
   * `add` changes in place, are copied.
   */
  *captureInSteps(): Generator<void, CapturedSearch> {
    const fieldCount = Object.keys(this._fieldIds).length;
    const lengths: number[] = [];
    for (const [id, fieldLengths] of this._fieldLength) {
      // Every passage has every field (an empty context is a length of 0), so each row is fieldCount wide.
      if (fieldLengths.length !== fieldCount) throw new Error(`passage index: passage ${id} lacks a field length`);
      lengths.push(id, ...fieldLengths);
      if (lengths.length % 10_000 === 0) yield;
    }
    const terms: CapturedTerm[] = [];
    for (const [term, fieldIndex] of this._index) {
      const captured: CapturedTerm = [term];
      for (const [fieldId, frequencies] of fieldIndex) {
        const postings: number[] = [];
        for (const [id, frequency] of frequencies) postings.push(id, frequency);
        captured.push(fieldId, postings);
      }
      terms.push(captured);
      yield;
    }
    return {
      documentCount: this._documentCount,
      nextId: this._nextId,
      dirtCount: this._dirtCount,
      fieldIds: { ...this._fieldIds },
      averageFieldLength: [...this._avgFieldLength],
      lengths,
      terms,
    };
  }

  /**
   * The index a {@link captureInSteps} copied, a step per term. Not MiniSearch's `loadJSAsync`: it pauses on a
   * 1 ms timer every 1,000 items (about 6.7 s of idle waiting at 100,000 passages) and converts object keys back to
   * numbers; the captured lists are numbers already.
   */
  static *restoreInSteps(captured: CapturedSearch): Generator<void, PassageSearch> {
    const search = new PassageSearch(SEARCH_OPTIONS);
    const fieldIds = Object.entries(search._fieldIds);
    if (fieldIds.length !== Object.keys(captured.fieldIds).length || fieldIds.some(([field, id]) => captured.fieldIds[field] !== id)) {
      throw new Error('passage index: the saved index has other fields than this code indexes');
    }
    search._documentCount = captured.documentCount;
    search._nextId = captured.nextId;
    search._dirtCount = captured.dirtCount;
    search._avgFieldLength = [...captured.averageFieldLength];
    const width = fieldIds.length + 1;
    for (let row = 0; row < captured.lengths.length; row += width) {
      const id = captured.lengths[row]!;
      search._documentIds.set(id, id);
      search._idToShortId.set(id, id);
      search._fieldLength.set(id, captured.lengths.slice(row + 1, row + width));
      if (row % (1000 * width) === 0) yield;
    }
    for (const [term, ...fields] of captured.terms) {
      const fieldIndex = new Map<number, Map<number, number>>();
      for (let f = 0; f + 1 < fields.length; f += 2) {
        const postings = fields[f + 1] as readonly number[];
        const frequencies = new Map<number, number>();
        for (let k = 0; k + 1 < postings.length; k += 2) frequencies.set(postings[k]!, postings[k + 1]!);
        fieldIndex.set(fields[f] as number, frequencies);
      }
      search._index.set(term, fieldIndex);
      yield;
    }
    return search;
  }
}

/**
 * MiniSearch over the corpus passages, which also gives each stem's document frequency (for weighting question
 * words), plus the corpus words as written (for fuzzy look-ups of misspelt ones).
 */
export class PassageIndex {
  private constructor(
    private readonly search: PassageSearch,
    private readonly words: SearchableMap<CorpusWord>,
    readonly entries: readonly IndexedPassage[],
    private readonly byId: ReadonlyMap<string, IndexedPassage>,
    /** Each passage by the id MiniSearch knows it by; a removed passage leaves its slot empty. */
    private readonly slots: readonly (IndexedPassage | undefined)[],
    /** Whether this index was built or loaded from a snapshot (an update keeps its predecessor's origin). */
    readonly origin: IndexOrigin = 'built',
  ) {}

  /**
   * Set once {@link PassageIndex.update} has changed the MiniSearch index and words this index shares
   * with its successor: searching it then would mix two corpora, so it refuses.
   */
  private replaced = false;

  private readonly recentTokens = new Map<string, { readonly text: readonly Token[]; readonly context: readonly Token[] }>();
  /** Passages asked about once since their tokens were last kept (cleared when it reaches `ASKED_ONCE_LIMIT`). */
  private readonly askedOnce = new Set<string>();

  /** Indexes every passage of a corpus, yielding to the event loop between slices so a reload never stalls it. */
  static build(corpus: CorpusDocuments, options: PassageIndexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS): Promise<PassageIndex> {
    return runInSlices(PassageIndex.buildInSteps(corpus), options.sliceMilliseconds);
  }

  private static *buildInSteps(corpus: CorpusDocuments): Generator<void, PassageIndex> {
    const search = new PassageSearch(SEARCH_OPTIONS);
    const counter = new WordCounter();
    const entries: IndexedPassage[] = [];
    const byId = new Map<string, IndexedPassage>();
    for (const document of corpus.documents) {
      for (const entry of withContext(document)) {
        const slot = entries.length;
        entries.push(entry);
        byId.set(entry.passage.id, entry);
        search.add(indexedFields(slot, counter.stemsOf(entry.passage.text, slot), stemsOfContext(entry)));
        yield;
      }
    }
    if (!search.idsAreShortIds()) throw new Error('PassageIndex: MiniSearch numbered the passages otherwise than expected');
    const words = yield* counter.toSearchableMap();
    return new PassageIndex(search, words, entries, byId, entries);
  }

  /**
   * Everything of this index but the corpus, for saving as a snapshot, copied in slices; undefined if a reload
   * changed the index meanwhile (it shares MiniSearch with its successor), as the copy would then mix two corpora.
   */
  capture(options: PassageIndexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS): Promise<CapturedIndex | undefined> {
    return runInSlices(this.captureInSteps(), options.sliceMilliseconds);
  }

  private *captureInSteps(): Generator<void, CapturedIndex | undefined> {
    const searchSteps = this.search.captureInSteps();
    let step = searchSteps.next();
    for (; !step.done; step = searchSteps.next()) {
      yield;
      if (this.replaced) return undefined;
    }
    const words: [string, string, number][] = [];
    for (const [word, { stem, passages }] of this.words) {
      words.push([word, stem, passages]);
      if (words.length % 1000 === 0) {
        yield;
        if (this.replaced) return undefined;
      }
    }
    if (this.replaced) return undefined;
    const slots = this.slots.map((entry) => entry?.passage.id ?? null);
    return { search: step.value, words, slots };
  }

  /**
   * The index of `corpus` from a capture of its index ({@link capture}), without analysing or indexing a passage:
   * the caller vouches that the capture was made from this same corpus (the snapshot's document hashes match). A
   * capture whose passages are not those of the corpus, one each, throws.
   */
  static restore(corpus: CorpusDocuments, captured: CapturedIndex, options: PassageIndexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS): Promise<PassageIndex> {
    return runInSlices(PassageIndex.restoreInSteps(corpus, captured), options.sliceMilliseconds);
  }

  private static *restoreInSteps(corpus: CorpusDocuments, captured: CapturedIndex): Generator<void, PassageIndex> {
    const search = yield* PassageSearch.restoreInSteps(captured.search);
    const entries: IndexedPassage[] = [];
    const byId = new Map<string, IndexedPassage>();
    for (const document of corpus.documents) {
      for (const entry of withContext(document)) {
        entries.push(entry);
        byId.set(entry.passage.id, entry);
      }
      yield;
    }
    const slots = captured.slots.map((id) => (id === null ? undefined : byId.get(id)));
    const filled = slots.filter((entry) => entry !== undefined).length;
    const fits = slots.every((entry, i) => (entry === undefined) === (captured.slots[i] === null));
    if (!fits) throw new Error('passage index: the saved index names passages the corpus does not hold');
    if (filled !== entries.length || search.documentCount !== filled || search.nextId !== slots.length || !search.idsAreShortIds()) {
      throw new Error(`passage index: the saved index holds ${search.documentCount} passages, not the corpus's ${entries.length}`);
    }
    yield;
    const words = new SearchableMap<CorpusWord>();
    for (const [i, [word, stem, passages]] of captured.words.entries()) {
      words.set(word, { stem, passages });
      if (i % 1000 === 0) yield;
    }
    return new PassageIndex(search, words, entries, byId, slots, 'snapshot');
  }

  /**
   * The index of `to`, made from `previous` (the index of `from`) by removing the passages of the documents `to`
   * no longer holds and adding those of the documents it newly holds; a document both hold as the same object (the
   * corpus loader keeps an unchanged file's document) keeps its passages, citation ids and analysis. A change of
   * more than `maxPassagesUpdatedInPlace` passages builds a new index instead, leaving `previous` as it was.
   *
   * Everything is worked out first, in slices, without touching `previous`; then the MiniSearch index and words,
   * which `previous` and the result share, are changed in one synchronous step. Answers are synchronous
   * too, so each sees the old corpus or the new one whole. From that step on `previous` refuses to search, so
   * `serve` is called in the same step with the new index, to swap it in before anything else runs.
   */
  static async update(
    previous: PassageIndex,
    from: CorpusDocuments,
    to: CorpusDocuments,
    serve: (index: PassageIndex) => void,
    options: PassageIndexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS,
  ): Promise<void> {
    if (previous.replaced) throw new Error('passage index: this index was already updated into another');
    const { removed, added, passages } = PassageIndex.changeBetween(from, to);
    // The same documents, in the same order: the index serves the new corpus as it is.
    if (passages === 0 && to.documents.every((document, i) => document === from.documents[i])) serve(previous);
    else if (passages > options.maxPassagesUpdatedInPlace) serve(await PassageIndex.build(to, options));
    else await runInSlices(PassageIndex.updateInSteps(previous, to, new Set(removed), new Set(added), serve), options.sliceMilliseconds);
  }

  /**
   * Whether {@link update} from `from` to `to` changes the index in place (few enough passages removed and added)
   * rather than building a new one.
   */
  static updatesInPlace(from: CorpusDocuments, to: CorpusDocuments, options: PassageIndexOptions = DEFAULT_PASSAGE_INDEX_OPTIONS): boolean {
    return PassageIndex.changeBetween(from, to).passages <= options.maxPassagesUpdatedInPlace;
  }

  /** The documents `to` no longer holds and those it newly holds (by identity), and their passages counted. */
  private static changeBetween(from: CorpusDocuments, to: CorpusDocuments): { removed: CorpusDocument[]; added: CorpusDocument[]; passages: number } {
    const kept = new Set(to.documents);
    const earlier = new Set(from.documents);
    const removed = from.documents.filter((document) => !kept.has(document));
    const added = to.documents.filter((document) => !earlier.has(document));
    return { removed, added, passages: [...removed, ...added].reduce((sum, document) => sum + document.passages.length, 0) };
  }

  private static *updateInSteps(
    previous: PassageIndex,
    to: CorpusDocuments,
    removed: ReadonlySet<CorpusDocument>,
    added: ReadonlySet<CorpusDocument>,
    serve: (index: PassageIndex) => void,
  ): Generator<void, void> {
    const slots = [...previous.slots];
    const outgoing: AnalysedPassage[] = [];
    for (const [slot, entry] of previous.slots.entries()) {
      if (entry !== undefined && removed.has(entry.document)) {
        outgoing.push(analysePassage(slot, entry));
        slots[slot] = undefined;
        yield;
      }
    }
    const incoming = new Map<CorpusDocument, AnalysedPassage[]>();
    for (const document of added) {
      incoming.set(
        document,
        withContext(document).map((entry) => {
          slots.push(entry);
          return analysePassage(slots.length - 1, entry);
        }),
      );
      yield;
    }
    const entries: IndexedPassage[] = [];
    for (const document of to.documents) {
      const fresh = incoming.get(document);
      if (fresh) entries.push(...fresh.map((analysed) => analysed.entry));
      else for (const passage of document.passages) entries.push(previous.byId.get(passage.id)!);
      yield;
    }
    const byId = new Map(previous.byId);
    for (const { entry } of outgoing) byId.delete(entry.passage.id);
    for (const fresh of incoming.values()) for (const { entry } of fresh) byId.set(entry.passage.id, entry);
    yield;

    // The one synchronous step: from here to the return, nothing yields.
    const { search, words } = previous;
    if (search.nextId !== previous.slots.length) throw new Error('passage index: MiniSearch numbered the passages otherwise than expected');
    previous.replaced = true;
    for (const analysed of outgoing) removeFromIndex(search, words, analysed);
    for (const fresh of incoming.values()) for (const analysed of fresh) addToIndex(search, words, analysed);
    serve(new PassageIndex(search, words, entries, byId, slots, previous.origin));
  }

  get passageCount(): number {
    return this.entries.length;
  }

  /** The passage cited as `id`, e.g. `bannu-siege#p5`. */
  get(id: string): IndexedPassage | undefined {
    return this.byId.get(id);
  }

  /**
   * The tokens of a passage's text and of its context, for re-ranking. Kept for the passages asked about most
   * recently: re-analysing the same candidates for every question was most of the time an answer took. A passage
   * is kept from its second request on: in a large corpus most candidates come up once, and keeping their tokens
   * only filled the old generation with garbage, making every garbage collection slower.
   */
  tokensOf(entry: IndexedPassage): { readonly text: readonly Token[]; readonly context: readonly Token[] } {
    const cached = this.recentTokens.get(entry.passage.id);
    if (cached) {
      this.recentTokens.delete(entry.passage.id);
      this.recentTokens.set(entry.passage.id, cached);
      return cached;
    }
    const tokens = { text: tokenize(entry.passage.text), context: entry.context === undefined ? [] : tokenize(entry.context) };
    if (!this.askedOnce.delete(entry.passage.id)) {
      if (this.askedOnce.size >= ASKED_ONCE_LIMIT) this.askedOnce.clear();
      this.askedOnce.add(entry.passage.id);
      return tokens;
    }
    if (this.recentTokens.size >= RECENT_TOKENS_LIMIT) this.recentTokens.delete(this.recentTokens.keys().next().value!);
    // Kept tokens are mapped stem → positions once, for every question that asks about the passage again.
    stemPositions(tokens.text);
    stemPositions(tokens.context);
    this.recentTokens.set(entry.passage.id, tokens);
    return tokens;
  }

  /**
   * BM25's inverse document frequency, as MiniSearch computes it, of a stem found in `frequency` passages (at least
   * one passage counted, so an empty corpus gives a finite weight).
   */
  inverseDocumentFrequency(frequency: number): number {
    const passages = Math.max(this.entries.length, 1);
    return Math.log(1 + (passages - frequency + 0.5) / (frequency + 0.5));
  }

  /** In how many passages the stem occurs. */
  documentFrequency(stem: string): number {
    return this.search.passagesHolding(stem);
  }

  /**
   * Words of the corpus within `maxEdits` typing slips of `word` (a swap of neighbouring letters is one slip),
   * each with its stem and distance: misspelt words are matched as written, before stemming mangles them.
   */
  similarWords(word: string, maxEdits: number): { word: string; stem: string; distance: number }[] {
    if (maxEdits <= 0) return [];
    // A swap is two Levenshtein edits: ask the map for one more, then measure properly.
    return [...this.words.fuzzyGet(word, maxEdits + 1)]
      .map(([candidate, [{ stem }]]) => ({ word: candidate, stem, distance: typingDistance(word, candidate, maxEdits) }))
      .filter((match) => match.distance <= maxEdits);
  }

  /**
   * The passages that contain any of the weighted stems, best BM25 score first. In a large corpus, stems found
   * in more than `COMMON_STEM_SHARE` of the passages are left out of the search (they would make MiniSearch score
   * most of the corpus while barely moving the order) unless nothing rarer is asked; the ranking that follows still
   * counts them. When the stems asked are in more than `FULL_SEARCH_MAX_PASSAGES` passages in all, MiniSearch scores
   * only the passages likeliest to come first (see {@link PassageIndex.likeliestPassages}).
   */
  find(weights: ReadonlyMap<string, number>, limit: number): PassageHit[] {
    if (this.replaced) throw new Error('passage index: searched after a reload replaced it (take the library\'s current snapshot per request)');
    const common = Math.max(COMMON_STEM_MIN_PASSAGES, COMMON_STEM_SHARE * this.entries.length);
    const rare = [...weights.keys()].filter((stem) => this.documentFrequency(stem) <= common);
    const asked = rare.length > 0 ? rare : [...weights.keys()];
    if (asked.length === 0) return [];
    const query = asked.join(' ');
    const boostTerm = (term: string): number => weights.get(term) ?? 1;
    const passagesAsked = asked.reduce((sum, stem) => sum + this.documentFrequency(stem), 0);
    const scored = passagesAsked > FULL_SEARCH_MAX_PASSAGES ? this.likeliestPassages(asked, boostTerm) : undefined;
    const results = this.search.search(query, { boostTerm, boostDocument: scored && ((id: number) => (scored(id) ? 1 : 0)) });
    return results.slice(0, limit).map((result) => ({ entry: this.slots[result.id as number]!, score: result.score }));
  }

  /**
   * Per passage, while `likeliestPassages` runs: the summed weight of the stems it holds, and the number of the last
   * stem counted (numbered from 1; a question asks far fewer than 65,535 stems).
   */
  private heldWeight: Float64Array | undefined;
  private lastStemHeld: Uint16Array | undefined;

  /**
   * The `SCORED_PASSAGES` or so passages likeliest to score best: by the summed weight (boost × IDF, BM25 without
   * the term counts) of the stems each holds, added up over the passages MiniSearch's index lists for each stem
   * (a search would build a result for every passage it scores, which was most of its time). The passages chosen
   * then get their exact BM25 scores from MiniSearch.
   */
  private likeliestPassages(stems: readonly string[], boostTerm: (stem: string) => number): (id: number) => boolean {
    const heldWeight = (this.heldWeight ??= new Float64Array(this.slots.length));
    const lastStemHeld = (this.lastStemHeld ??= new Uint16Array(this.slots.length));
    const passages = this.slots.length;
    const stemWeights = stems.map((stem) => boostTerm(stem) * this.inverseDocumentFrequency(this.documentFrequency(stem)));
    const touched: number[] = [];
    stems.forEach((stem, i) => {
      const stemNumber = i + 1;
      const stemWeight = stemWeights[i]!;
      // Visited for each field holding the stem: count the stem once.
      this.search.forEachHolding(stem, (id) => {
        if (lastStemHeld[id] !== stemNumber) {
          if (lastStemHeld[id] === 0) touched.push(id);
          lastStemHeld[id] = stemNumber;
          heldWeight[id] = heldWeight[id]! + stemWeight;
        }
      });
    });
    const weightsHeld = new Float64Array(touched.length);
    touched.forEach((id, i) => {
      weightsHeld[i] = heldWeight[id]!;
    });
    const least = weightsHeld.sort()[Math.max(0, touched.length - SCORED_PASSAGES)] ?? 0;
    const chosen = new Uint8Array(passages);
    for (const id of touched) {
      if (heldWeight[id]! >= least) chosen[id] = 1;
      heldWeight[id] = 0;
      lastStemHeld[id] = 0;
    }
    return (id) => chosen[id] === 1;
  }
}

function indexedFields(slot: number, stems: readonly string[], contextStems: readonly string[]): IndexedFields {
  return { id: slot, stems: stems.join(' '), context: contextStems.join(' ') };
}

function addToIndex(search: PassageSearch, words: SearchableMap<CorpusWord>, analysed: AnalysedPassage): void {
  for (const [word, stem] of analysed.words) {
    const counted = words.get(word);
    if (counted) counted.passages++;
    else words.set(word, { stem, passages: 1 });
  }
  search.add(indexedFields(analysed.slot, analysed.stems, analysed.contextStems));
}

function removeFromIndex(search: PassageSearch, words: SearchableMap<CorpusWord>, analysed: AnalysedPassage): void {
  for (const word of analysed.words.keys()) {
    const counted = words.get(word)!;
    if (--counted.passages === 0) words.delete(word);
  }
  // `remove`, not `discard`: a discarded passage stays in MiniSearch's lists until it vacuums, and is counted in
  // the BM25 weights meanwhile, so the index would not score as a fresh build of the same corpus does.
  search.remove(indexedFields(analysed.slot, analysed.stems, analysed.contextStems));
}

/** How many passages' tokens `tokensOf` keeps: a few questions' worth of candidates, a few MB. */
const RECENT_TOKENS_LIMIT = 2000;
/** How many passages asked about once `tokensOf` remembers, waiting for a second request. */
const ASKED_ONCE_LIMIT = 20_000;

/** Stems in more passages than this share, and than `COMMON_STEM_MIN_PASSAGES`, are too common to search for. */
const COMMON_STEM_SHARE = 0.02;
const COMMON_STEM_MIN_PASSAGES = 200;

/**
 * Above this many passages for the stems asked (each stem's passages counted), MiniSearch scores only the
 * `SCORED_PASSAGES` likeliest: scoring tens of thousands took it hundreds of milliseconds at 100,000 passages.
 */
const FULL_SEARCH_MAX_PASSAGES = 2000;
const SCORED_PASSAGES = 1000;
