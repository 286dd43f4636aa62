/** What the rest of the bot knows of a sentence-embedding model: texts in, unit vectors out. */
export interface Embedder {
  /** Names the model and its weights; it changes whenever the vectors it makes would, so caches key on it. */
  readonly modelId: string;
  readonly dimensions: number;
  /** One unit-length vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Frees the model (and its thread); `embed` fails after this. */
  close(): Promise<void>;
}

/** Raised by the embedding components; the message names which one and what went wrong. */
export class EmbedderError extends Error {
  override readonly name = 'EmbedderError';
}

/** The cosine of two unit vectors: their dot product. */
export function cosine(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[bOffset + i]!;
  return sum;
}

/** Scales a vector to unit length in place; a zero vector stays zero. */
export function normalise(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const value of vector) squares += value * value;
  const norm = Math.sqrt(squares);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
