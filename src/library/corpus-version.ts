import { createHash } from 'node:crypto';
import type { Corpus } from '../corpus/types.js';
import { runInSlices } from '../scheduling/slices.js';

/** Hex digits of the content hash shown as a corpus version: enough to tell corpora apart at a glance. */
export const CORPUS_VERSION_LENGTH = 12;

const versions = new WeakMap<Corpus, Promise<string>>();

/**
 * A content hash of what a corpus serves (every document's metadata and passages, the glossary, the examples),
 * as 12 hex digits. Two processes serving the same files report the same version, whichever order they loaded in
 * and however many reloads each has done, which a load counter cannot tell. Worked out once per corpus, in slices
 * (hashing 100,000 passages must not hold the event loop).
 */
export function corpusVersion(corpus: Corpus): Promise<string> {
  let version = versions.get(corpus);
  if (!version) {
    version = runInSlices(hashing(corpus));
    versions.set(corpus, version);
  }
  return version;
}

function* hashing(corpus: Corpus): Generator<void, string> {
  const hash = createHash('sha256');
  // Each part is length-prefixed, so moving text from one field to the next changes the hash.
  const add = (text: string): void => {
    hash.update(`${Buffer.byteLength(text)}:`).update(text);
  };
  for (const document of corpus.documents) {
    add(JSON.stringify(document.meta));
    for (const passage of document.passages) {
      // A section joins the passage's line, so a corpus without sections keeps the version it had before they existed.
      add(`${passage.id} ${passage.kind} ${passage.credit ?? ''}${passage.section === undefined ? '' : `\0${passage.section}`}`);
      add(passage.text);
      yield;
    }
  }
  add(JSON.stringify(corpus.glossary));
  add(JSON.stringify(corpus.examples));
  return hash.digest('hex').slice(0, CORPUS_VERSION_LENGTH);
}
