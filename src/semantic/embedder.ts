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
  // Four running sums: the loop is the whole cost of a brute-force search, and V8 keeps these in registers.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length - (a.length % 4);
  let i = 0;
  for (; i < n; i += 4) {
    s0 += a[i]! * b[bOffset + i]!;
    s1 += a[i + 1]! * b[bOffset + i + 1]!;
    s2 += a[i + 2]! * b[bOffset + i + 2]!;
    s3 += a[i + 3]! * b[bOffset + i + 3]!;
  }
  for (; i < a.length; i++) s0 += a[i]! * b[bOffset + i]!;
  return s0 + s1 + s2 + s3;
}

/** Scales a vector to unit length in place; a zero vector stays zero. */
export function normalise(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const value of vector) squares += value * value;
  const norm = Math.sqrt(squares);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
