import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORD_VECTORS_FILE, WordVectors } from '../../src/search/word-vectors.js';
import { buildWordVectors } from '../../src/train/word-vectors.js';

describe('building the word vectors', () => {
  it('gives, from the installed package, the committed file byte for byte', async () => {
    const built = await buildWordVectors();
    expect(built.equals(await readFile(DEFAULT_WORD_VECTORS_FILE))).toBe(true);
  }, 120_000);

  it('keeps the commonest words the analyser can write, and only those', async () => {
    const words = WordVectors.decode(await buildWordVectors({ words: 500 }), '(built)');
    expect(words.header.words).toBe(500);
    for (const word of ['the', 'said', 'police', 'government']) expect(words.vector(word)).toBeDefined();
    // Punctuation and numbers come early in the package's list; the analyser never asks for them.
    for (const token of [',', '.', '"', '-', '$']) expect(words.vector(token)).toBeUndefined();
  }, 120_000);
});
