import type { Passage } from '../corpus/types.js';
import { cosine, normalise, type Embedder } from './embedder.js';
import type { SpanSimilarity } from './span-similarity.js';
import type { VectorCache } from './vector-cache.js';

/**
 * Sentence vectors for a corpus too large to embed whole (see `maxPrecomputedSentences`). The sentences of the
 * passages the words find are queued for the model when first asked about and kept in the vector cache; a question
 * never waits for them (embedding 25 sentences takes the model about half a second here, against an answer's tens
 * of milliseconds), so a passage is compared in meaning from the question after its sentences were first seen.
 * There is no search by meaning alone at this size: only the words' candidates are re-ranked.
 */
export class OnDemandVectors {
  private readonly queued = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly embedder: Embedder,
    private readonly cache: VectorCache,
  ) {}

  /** Queues the sentences of `passages` that have no vector yet; returns at once. */
  enqueue(passages: readonly Passage[]): void {
    for (const { text, sentences } of passages) {
      for (const { start, end } of sentences) {
        const sentence = text.slice(start, end);
        if (this.cache.get(sentence) === undefined) this.queued.add(sentence);
      }
    }
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Settles when every queued sentence has its vector (for tests and the benchmark's warm-up). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queued.size > 0) {
      const batch = [...this.queued].slice(0, 64);
      for (const text of batch) this.queued.delete(text);
      const embedded = await this.embedder.embed(batch).catch(() => undefined);
      // A failed batch is dropped: its passages stay compared by words, and are queued again when asked about.
      batch.forEach((text, i) => embedded?.[i] && this.cache.set(text, embedded[i]));
    }
    await this.cache.save().catch(() => undefined);
  }

  /** The question against the spans of `passages` whose sentences have vectors (see {@link embed}). */
  similarityTo(question: Float32Array, passages: readonly Passage[]): SpanSimilarity {
    const cosines = new Map<string, number>();
    for (const { id, text, sentences } of passages) {
      const vectors = sentences.map(({ start, end }) => this.cache.get(text.slice(start, end)));
      sentences.forEach((sentence, i) => {
        const [here, after] = [vectors[i], vectors[i + 1]];
        if (here) cosines.set(`${id}:${sentence.start}:${sentence.end}`, cosine(question, here));
        const next = sentences[i + 1];
        if (next && here && after) cosines.set(`${id}:${sentence.start}:${next.end}`, cosine(question, mean(here, after)));
      });
    }
    return { similarity: (passageId, span) => cosines.get(`${passageId}:${span.start}:${span.end}`), nearestPassages: () => [] };
  }
}

/** Two adjacent sentences, as `SpanVectors` has them: the normalised mean of their vectors. */
function mean(a: Float32Array, b: Float32Array): Float32Array {
  return normalise(a.map((value, i) => value + b[i]!));
}
