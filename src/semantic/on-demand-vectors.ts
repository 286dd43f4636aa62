import type { Passage } from '../corpus/types.js';
import { cosine, normalise, type Embedder } from './embedder.js';
import type { SpanSimilarity } from './span-similarity.js';
import type { VectorCache } from './vector-cache.js';

/**
 * Sentence vectors for a corpus too large to embed whole (see `maxPrecomputedSentences`): the sentences of the
 * passages the words found are embedded when first asked about, and kept in the vector cache, so each costs the
 * model once. There is no search by meaning alone here: only the words' candidates are re-ranked.
 */
export class OnDemandVectors {
  constructor(
    private readonly embedder: Embedder,
    private readonly cache: VectorCache,
  ) {}

  /** Embeds the sentences of `passages` not seen before. */
  async embed(passages: readonly Passage[]): Promise<void> {
    const texts = passages.flatMap(({ text, sentences }) => sentences.map(({ start, end }) => text.slice(start, end)));
    const missing = [...new Set(texts.filter((text) => this.cache.get(text) === undefined))];
    if (missing.length === 0) return;
    const embedded = await this.embedder.embed(missing);
    missing.forEach((text, i) => this.cache.set(text, embedded[i]!));
    // Saved in the background: a question must not wait on the disk.
    void this.cache.save().catch(() => undefined);
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
