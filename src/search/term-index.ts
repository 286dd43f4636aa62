/**
 * An inverted index over pre-analysed terms that scores exactly as MiniSearch 7 does (BM25+ with its parameters,
 * per-field boosts, OR of the query terms, the score times the number of query terms matched, best first, ties
 * in the order MiniSearch meets them), but stores postings in flat typed arrays and ranks with typed scratch
 * arrays and a bounded heap.
 *
 * Why: at 100,000 passages MiniSearch's index took ~700 MB of Map entries, building it cost one radix-tree
 * walk per word, and a search built a result object (with term lists and match records) for every passage
 * holding any query term, then sorted them all: 90 % of an answer's time went there. Here a search touches
 * numbers only and keeps the best `limit`.
 */

/** BM25+ parameters, as MiniSearch names them. */
export interface Bm25Parameters {
  readonly k: number;
  readonly b: number;
  readonly d: number;
}

/** MiniSearch's defaults. */
export const DEFAULT_BM25: Bm25Parameters = { k: 1.2, b: 0.7, d: 0.5 };

/** Postings are logged in chunks of this many (term, document, frequency) triples, then laid out term by term. */
const CHUNK_ENTRIES = 1 << 18;

/** Yields to the event loop when the current slice has run long enough. */
export type Pause = () => Promise<void> | undefined;

/** One field's postings: for term t, documents `docs[start[t]..start[t+1])` with their term frequencies. */
interface FieldPostings {
  readonly start: Int32Array;
  readonly docs: Int32Array;
  readonly frequencies: Uint32Array;
  /** Unique terms per document, and their mean (computed incrementally, as MiniSearch does). */
  readonly lengths: Uint32Array;
  readonly averageLength: number;
}

/** Collects the terms of documents 0, 1, 2… in order, field by field; `finish` builds the index. */
export class TermIndexBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly logs: PostingLog[];
  private readonly lengths: number[][];
  private readonly averageLengths: number[];
  /** Per term id, its count in the field being added; `touched` lists the ids counted, in order met. */
  private counts = new Int32Array(1024);
  private readonly touched: number[] = [];
  private documentCount = 0;

  constructor(private readonly boosts: readonly number[]) {
    this.logs = boosts.map(() => new PostingLog());
    this.lengths = boosts.map(() => []);
    this.averageLengths = boosts.map(() => 0);
  }

  /** Adds the next document: its terms (with repeats) for each field, in the fields' order. */
  add(fields: readonly (readonly string[])[]): void {
    const doc = this.documentCount++;
    const { termIds, touched } = this;
    for (let field = 0; field < this.boosts.length; field++) {
      const terms = fields[field] ?? [];
      touched.length = 0;
      let empty = false;
      for (const term of terms) {
        if (term === '') {
          empty = true;
          continue;
        }
        let id = termIds.get(term);
        if (id === undefined) {
          termIds.set(term, (id = termIds.size));
          if (id === this.counts.length) {
            const grown = new Int32Array(2 * id);
            grown.set(this.counts);
            this.counts = grown;
          }
        }
        if (this.counts[id] === 0) touched.push(id);
        this.counts[id]!++;
      }
      // MiniSearch's field length: the unique terms of the field text (the analyzer never makes an empty term).
      const length = empty ? miniSearchLength(terms) : touched.length;
      this.lengths[field]!.push(length);
      this.averageLengths[field] = (this.averageLengths[field]! * doc + length) / (doc + 1);
      const log = this.logs[field]!;
      for (const id of touched) {
        log.push(id, doc, this.counts[id]!);
        this.counts[id] = 0;
      }
    }
  }

  async finish(pause: Pause): Promise<TermIndex> {
    const termCount = this.termIds.size;
    const fields: FieldPostings[] = [];
    for (let field = 0; field < this.boosts.length; field++) {
      const log = this.logs[field]!;
      // Counting sort of the log by term; documents stay in the order they were added.
      const start = new Int32Array(termCount + 1);
      await log.forEach((term) => {
        start[term + 1]!++;
      }, pause);
      for (let t = 0; t < termCount; t++) start[t + 1]! += start[t]!;
      const next = start.slice(0, termCount);
      const docs = new Int32Array(log.size);
      const frequencies = new Uint32Array(log.size);
      await log.forEach((term, doc, frequency) => {
        const at = next[term]!++;
        docs[at] = doc;
        frequencies[at] = frequency;
      }, pause);
      log.clear();
      fields.push({ start, docs, frequencies, lengths: Uint32Array.from(this.lengths[field]!), averageLength: this.averageLengths[field]! });
      this.lengths[field] = [];
    }
    return new TermIndex(this.termIds, fields, this.boosts, this.documentCount);
  }
}

/** (term, document, frequency) triples in fixed-size chunks: no copying as it grows. */
class PostingLog {
  private chunks: Int32Array[] = [];
  size = 0;

  push(term: number, doc: number, frequency: number): void {
    const offset = (this.size % CHUNK_ENTRIES) * 3;
    if (offset === 0) this.chunks.push(new Int32Array(CHUNK_ENTRIES * 3));
    const chunk = this.chunks[this.chunks.length - 1]!;
    chunk[offset] = term;
    chunk[offset + 1] = doc;
    chunk[offset + 2] = frequency;
    this.size++;
  }

  async forEach(visit: (term: number, doc: number, frequency: number) => void, pause: Pause): Promise<void> {
    let remaining = this.size;
    for (const chunk of this.chunks) {
      const entries = Math.min(remaining, CHUNK_ENTRIES);
      // Visit in parts small enough to yield in between.
      for (let from = 0; from < entries; from += 65_536) {
        const to = Math.min(entries, from + 65_536);
        for (let i = from * 3; i < to * 3; i += 3) visit(chunk[i]!, chunk[i + 1]!, chunk[i + 2]! >>> 0);
        const waiting = pause();
        if (waiting) await waiting;
      }
      remaining -= entries;
    }
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }
}

/** A document the search found, with the score MiniSearch would give it. */
export interface TermHit {
  readonly doc: number;
  readonly score: number;
}

export class TermIndex {
  /** Scratch space for one search at a time (searches are synchronous). */
  private readonly totals: Float64Array;
  private readonly termScores: Float64Array;
  private readonly matched: Uint16Array;
  private readonly lastTerm: Int32Array;
  private readonly order: Int32Array;
  private termStamp = 0;

  constructor(
    private readonly termIds: ReadonlyMap<string, number>,
    private readonly fields: readonly FieldPostings[],
    private readonly boosts: readonly number[],
    readonly documentCount: number,
  ) {
    this.totals = new Float64Array(documentCount);
    this.termScores = new Float64Array(documentCount);
    this.matched = new Uint16Array(documentCount);
    this.lastTerm = new Int32Array(documentCount);
    this.order = new Int32Array(documentCount);
  }

  /** In how many documents `term` occurs in `field`. */
  documentFrequency(term: string, field = 0): number {
    const id = this.termIds.get(term);
    if (id === undefined) return 0;
    const { start } = this.fields[field]!;
    return start[id + 1]! - start[id]!;
  }

  /**
   * The best `limit` documents holding any of the terms, each term's score multiplied by its boost, best first:
   * the same documents, scores and order as MiniSearch's `search(terms.join(' '), { boostTerm })` with
   * `combineWith: 'OR'`, then `slice(0, limit)`.
   */
  search(terms: readonly string[], boostOf: (term: string) => number, limit: number, bm25: Bm25Parameters = DEFAULT_BM25): TermHit[] {
    const { totals, termScores, matched, lastTerm, order } = this;
    const { k, b, d } = bm25;
    let found = 0;
    const termDocs: number[] = [];
    for (const term of terms) {
      if (term === '') continue;
      const termBoost = boostOf(term);
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      if (this.termStamp === 0x7fffffff) {
        lastTerm.fill(0);
        this.termStamp = 0;
      }
      const stamp = ++this.termStamp;
      termDocs.length = 0;
      // One term's results: each field in turn, a document's field scores summed in that order.
      for (let field = 0; field < this.fields.length; field++) {
        const { start, docs, frequencies, lengths, averageLength } = this.fields[field]!;
        const from = start[id]!;
        const to = start[id + 1]!;
        if (from === to) continue;
        const matching = to - from;
        const inverseFrequency = Math.log(1 + (this.documentCount - matching + 0.5) / (matching + 0.5));
        // MiniSearch multiplies termWeight (1) * termBoost * fieldBoost * docBoost (1) * rawScore, left to right.
        const factor = 1 * termBoost * this.boosts[field]! * 1;
        for (let p = from; p < to; p++) {
          const doc = docs[p]!;
          const frequency = frequencies[p]!;
          // MiniSearch's calcBM25Score, operation for operation.
          const raw = inverseFrequency * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * lengths[doc]!) / averageLength)));
          const weighted = factor * raw;
          if (lastTerm[doc] !== stamp) {
            lastTerm[doc] = stamp;
            termScores[doc] = weighted;
            termDocs.push(doc);
          } else {
            termScores[doc] = termScores[doc]! + weighted;
          }
        }
      }
      // OR: the term's results join the running ones; a new document comes after those already met.
      for (const doc of termDocs) {
        if (matched[doc] === 0) {
          totals[doc] = termScores[doc]!;
          order[found++] = doc;
        } else {
          totals[doc] = totals[doc]! + termScores[doc]!;
        }
        matched[doc] = matched[doc]! + 1;
      }
    }
    const best = selectBest(order, found, totals, matched, limit);
    for (let i = 0; i < found; i++) matched[order[i]!] = 0;
    return best;
  }
}

/**
 * The best `limit` of `order[0..found)` by score (total × terms matched), ties in `order`: what a stable sort
 * of all of them by descending score, cut at `limit`, gives. A min-heap holds the best so far.
 */
function selectBest(order: Int32Array, found: number, totals: Float64Array, matched: Uint16Array, limit: number): TermHit[] {
  const size = Math.min(limit, found);
  if (size <= 0) return [];
  const heapScore = new Float64Array(size);
  const heapRank = new Int32Array(size);
  let count = 0;
  // `a` is worse than `b` when its score is lower, or equal and met later.
  const worse = (scoreA: number, rankA: number, scoreB: number, rankB: number): boolean =>
    scoreA < scoreB || (scoreA === scoreB && rankA > rankB);
  const siftDown = (at: number): void => {
    for (;;) {
      const left = 2 * at + 1;
      if (left >= count) return;
      let child = left;
      const right = left + 1;
      if (right < count && worse(heapScore[right]!, heapRank[right]!, heapScore[left]!, heapRank[left]!)) child = right;
      if (!worse(heapScore[child]!, heapRank[child]!, heapScore[at]!, heapRank[at]!)) return;
      swap(at, child);
      at = child;
    }
  };
  const swap = (i: number, j: number): void => {
    const score = heapScore[i]!;
    const rank = heapRank[i]!;
    heapScore[i] = heapScore[j]!;
    heapRank[i] = heapRank[j]!;
    heapScore[j] = score;
    heapRank[j] = rank;
  };
  for (let rank = 0; rank < found; rank++) {
    const doc = order[rank]!;
    const score = totals[doc]! * matched[doc]!;
    if (count < size) {
      let at = count++;
      heapScore[at] = score;
      heapRank[at] = rank;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(heapScore[at]!, heapRank[at]!, heapScore[parent]!, heapRank[parent]!)) break;
        swap(at, parent);
        at = parent;
      }
    } else if (worse(heapScore[0]!, heapRank[0]!, score, rank)) {
      heapScore[0] = score;
      heapRank[0] = rank;
      siftDown(0);
    }
  }
  const ranked: { score: number; rank: number }[] = [];
  for (let i = 0; i < count; i++) ranked.push({ score: heapScore[i]!, rank: heapRank[i]! });
  ranked.sort((a, b) => b.score - a.score || a.rank - b.rank);
  return ranked.map(({ score, rank }) => ({ doc: order[rank]!, score }));
}

/** The unique terms MiniSearch counts for a field whose text is `terms.join(' ')`, split on spaces. */
function miniSearchLength(terms: readonly string[]): number {
  const text = terms.join(' ');
  return text === '' ? 0 : new Set(text.split(' ')).size;
}
