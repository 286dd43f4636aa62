import type { AnswerEngine } from '../answer/engine.js';
import type { PassageView } from '../answer/types.js';
import { passageId } from '../corpus/passages.js';
import { typingDistance } from '../search/edit-distance.js';

/** Defaults for {@link lookUpPassage}: how many ids are suggested or listed. */
export const PASSAGE_LOOKUP_DEFAULTS = { suggestions: 3, listed: 5 } as const;

/** What a typed passage id comes to: the passage, several it may mean, or none with the ids nearest it. */
export type PassageLookup =
  | { readonly kind: 'found'; readonly view: PassageView }
  | { readonly kind: 'ambiguous'; readonly ids: readonly string[]; readonly count: number }
  | { readonly kind: 'not-found'; readonly suggestions: readonly string[]; readonly hint?: string | undefined };

/** `p5`, `#p5` or `5`: a position without its document. */
const SHORT_ID = /^#?p?(\d{1,9})$/;
/** `bannu-siege#p5`, `bannu-siege#5`, `bannu-siege p5`: a document id and a position. */
const FULL_ID = /^(.+?)\s*(?:#\s*p?|\s+p)(\d{1,9})$/;

/**
 * Finds the passage a person typed, as they would type it: the whole id (`bannu-siege#p5`), in any case, in
 * backticks as Discord shows it, or the short `p5` when only one document has a fifth passage. When there is no
 * such passage, suggests the ids nearest it: the same position in the document ids nearest the one typed, the
 * document's last passage for a position past its end, or the ids within a few typing slips.
 */
export function lookUpPassage(engine: AnswerEngine, typed: string): PassageLookup {
  const wanted = typed.trim().replace(/^`+|`+$/g, '').trim().toLowerCase();
  const exact = engine.passage(wanted);
  if (exact) return { kind: 'found', view: exact };
  const documents = engine.corpus.documents;

  const short = SHORT_ID.exec(wanted);
  if (short) {
    const position = Number(short[1]);
    const ids = documents.filter((document) => position >= 1 && position <= document.passages.length).map((document) => passageId(document.meta.id, position));
    if (ids.length === 1) return { kind: 'found', view: engine.passage(ids[0]!)! };
    if (ids.length > 1) return { kind: 'ambiguous', ids: ids.slice(0, PASSAGE_LOOKUP_DEFAULTS.listed), count: ids.length };
    const longest = Math.max(0, ...documents.map((document) => document.passages.length));
    return { kind: 'not-found', suggestions: [], hint: `no document has a passage ${position}; the longest has ${longest}` };
  }

  const full = FULL_ID.exec(wanted);
  if (full) {
    const [, documentId, digits] = full as unknown as [string, string, string];
    const position = Number(digits);
    const document = documents.find((candidate) => candidate.meta.id === documentId);
    if (document) {
      const view = engine.passage(passageId(document.meta.id, position));
      if (view) return { kind: 'found', view };
      const count = document.passages.length;
      return { kind: 'not-found', suggestions: [passageId(document.meta.id, count)], hint: `${document.meta.id} has ${count} passage${count === 1 ? '' : 's'}` };
    }
    // A slip in the document's id: the same position in the nearest documents, or their last passage.
    const near = nearest(documentId, documents, (candidate) => candidate.meta.id);
    return { kind: 'not-found', suggestions: near.map((candidate) => passageId(candidate.meta.id, Math.max(1, Math.min(position, candidate.passages.length)))) };
  }
  return { kind: 'not-found', suggestions: nearest(wanted, engine.passages(), (view) => view.passage.id).map((view) => view.passage.id) };
}

/** The candidates whose key is within a few typing slips of `typed` (a third of its length, at least two), nearest first. */
function nearest<T>(typed: string, candidates: readonly T[], key: (candidate: T) => string): T[] {
  const limit = Math.max(2, Math.floor(typed.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: typingDistance(typed, key(candidate), limit) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, PASSAGE_LOOKUP_DEFAULTS.suggestions)
    .map(({ candidate }) => candidate);
}
