import { createHash } from 'node:crypto';
import type { AnswerEngine } from '../answer/engine.js';

const versions = new WeakMap<AnswerEngine, string>();

/**
 * A short fingerprint of the corpus an engine serves (its passages' ids and text), recorded with each question
 * so a moderator can tell a gap asked before a corpus change from one asked after. Worked out once per engine.
 */
export function corpusVersionOf(engine: AnswerEngine): string {
  let version = versions.get(engine);
  if (version === undefined) {
    const hash = createHash('sha256');
    for (const { passage } of engine.passages()) hash.update(passage.id).update('\u0000').update(passage.text).update('\u0000');
    version = hash.digest('hex').slice(0, 12);
    versions.set(engine, version);
  }
  return version;
}
