import type { Corpus, SentenceSpan } from '../corpus/types.js';
import { runInSlices } from '../scheduling/slices.js';
import { cosine, normalise, type Embedder } from './embedder.js';
import type { SpanSimilarity } from './span-similarity.js';
import type { VectorCache } from './vector-cache.js';

/** A quotable span: one sentence of a passage, or two adjacent ones. */
export interface VectorSpan {
  readonly passageId: string;
  readonly span: SentenceSpan;
}

/** How a build went: how many spans there are and how many had to be embedded (the rest came from the cache). */
export interface SpanVectorStats {
  readonly spans: number;
  readonly embedded: number;
}

/**
 * A vector for every quotable span of a corpus (each sentence, and each pair of adjacent sentences), held in one
 * matrix and compared with a question by brute force: exact, and cheap at this size (see docs/semantic.md for
 * where that stops being so).
 */
export class SpanVectors {
  private readonly byPassage = new Map<string, { first: number; count: number }>();

  private constructor(
    readonly spans: readonly VectorSpan[],
    private readonly matrix: Float32Array,
    readonly dimensions: number,
    readonly stats: SpanVectorStats,
  ) {
    spans.forEach(({ passageId }, i) => {
      const entry = this.byPassage.get(passageId);
      if (entry) entry.count++;
      else this.byPassage.set(passageId, { first: i, count: 1 });
    });
  }

  /**
   * Vectors for every span of `corpus`: from `cache` where it has them, embedded (off the main thread) where not,
   * then saved to the cache. Hashing runs in slices, so the event loop is never held long.
   */
  static async build(corpus: Corpus, embedder: Embedder, cache: VectorCache): Promise<SpanVectors> {
    const spans = quotableSpans(corpus);
    const sentences = spans.filter((span) => span.pair === undefined).map(({ text }) => text);
    const found = await runInSlices(lookUp(sentences, cache));
    const missing = [...new Set(sentences.filter((_, i) => found[i] === undefined))];
    const embedded = await embedder.embed(missing);
    missing.forEach((text, i) => cache.set(text, embedded[i]!));
    await cache.save();
    const { dimensions } = embedder;
    const matrix = new Float32Array(spans.length * dimensions);
    for (const [i, { text, pair }] of spans.entries()) {
      if (pair === undefined) matrix.set(cache.get(text)!, i * dimensions);
      else {
        // Two adjacent sentences are as near a question as their mean: embedding each pair again would double the
        // model's work for a vector it places almost there (docs/semantic.md).
        const [first, second] = pair;
        for (let d = 0; d < dimensions; d++) matrix[i * dimensions + d] = matrix[first * dimensions + d]! + matrix[second * dimensions + d]!;
        normalise(matrix.subarray(i * dimensions, (i + 1) * dimensions));
      }
    }
    const kept = spans.map(({ passageId, span }) => ({ passageId, span }));
    return new SpanVectors(kept, matrix, dimensions, { spans: spans.length, embedded: missing.length });
  }

  /** The question against every span, by brute force: exact (see docs/semantic.md for the cost). */
  match(question: Float32Array): SpanSimilarity {
    const cosines = this.cosines(question);
    return {
      similarity: (passageId, span) => {
        const i = this.indexOf(passageId, span);
        return i === undefined ? undefined : cosines[i];
      },
      nearestPassages: (count) => this.nearestPassages(cosines, count),
    };
  }

  /** The cosine of `question` with every span, in span order. */
  cosines(question: Float32Array): Float32Array {
    const result = new Float32Array(this.spans.length);
    for (let i = 0; i < this.spans.length; i++) result[i] = cosine(question, this.matrix, i * this.dimensions);
    return result;
  }

  /** The index of a passage's span in `spans`, or undefined. */
  indexOf(passageId: string, span: SentenceSpan): number | undefined {
    const entry = this.byPassage.get(passageId);
    if (!entry) return undefined;
    for (let i = entry.first; i < entry.first + entry.count; i++) {
      const candidate = this.spans[i]!.span;
      if (candidate.start === span.start && candidate.end === span.end) return i;
    }
    return undefined;
  }

  /** The passages of the `count` spans nearest the question, nearest first, each once. */
  nearestPassages(cosines: Float32Array, count: number): string[] {
    const order = [...cosines.keys()].sort((a, b) => cosines[b]! - cosines[a]!);
    const passages = new Set<string>();
    for (const i of order) {
      if (passages.size >= count) break;
      passages.add(this.spans[i]!.passageId);
    }
    return [...passages];
  }
}

/** A span with its text; a pair of sentences also gives the indexes of its two sentences' spans. */
interface SpanWithText extends VectorSpan {
  readonly text: string;
  readonly pair?: readonly [number, number] | undefined;
}

/** Every sentence of every passage, and every pair of adjacent sentences: what a quote can be. Pairs follow their sentences. */
function quotableSpans(corpus: Corpus): SpanWithText[] {
  const spans: SpanWithText[] = [];
  for (const document of corpus.documents) {
    for (const { id, text, sentences } of document.passages) {
      const first = spans.length;
      for (const sentence of sentences) spans.push({ passageId: id, span: sentence, text: text.slice(sentence.start, sentence.end) });
      for (let i = 0; i + 1 < sentences.length; i++) {
        const span = { start: sentences[i]!.start, end: sentences[i + 1]!.end };
        spans.push({ passageId: id, span, text: text.slice(span.start, span.end), pair: [first + i, first + i + 1] });
      }
    }
  }
  return spans;
}

function* lookUp(texts: readonly string[], cache: VectorCache): Generator<void, (Float32Array | undefined)[]> {
  const found: (Float32Array | undefined)[] = [];
  for (const text of texts) {
    found.push(cache.get(text));
    yield;
  }
  return found;
}
