import type { CorpusProblem } from '../corpus/errors.js';
import type { Corpus, CorpusDocument } from '../corpus/types.js';
import { runInSlices } from '../scheduling/slices.js';

/** Ids added, removed and changed between two corpora. */
export interface Changes {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/** What a successful reload changed. */
export interface ReloadReport {
  readonly documents: Changes;
  readonly passages: Changes;
  readonly documentCount: number;
  readonly passageCount: number;
  readonly glossaryChanged: boolean;
  readonly milliseconds: number;
  /** The new corpus's {@link Corpus.warnings}: files found but not loaded. */
  readonly warnings: readonly string[];
}

/**
 * The result of `/reload`: the changes, or the problems that stopped it while the previous corpus keeps serving.
 * `joined` is set when the request arrived while another reload was running and shares that reload's result.
 */
export type ReloadOutcome =
  | { readonly ok: true; readonly report: ReloadReport; readonly joined: boolean }
  | { readonly ok: false; readonly problems: readonly CorpusProblem[]; readonly joined: boolean };

/**
 * Compares two corpora by document id and passage id: a passage whose text or section differs counts as changed, a document
 * whose metadata, file or passages differ counts as changed. Runs in slices: at 100,000 passages the comparison
 * takes over a second, which must not hold the event loop.
 */
export function compareCorpora(before: Corpus, after: Corpus, milliseconds: number): Promise<ReloadReport> {
  return runInSlices(comparison(before, after, milliseconds));
}

/**
 * The comparison in small steps: it yields after each passage, so a caller can pause between any two. A document
 * both corpora hold as the same object (the loader keeps an unchanged file's document) is unchanged, and its
 * passages are not compared: passage ids start with their document's id, so no other document's can match them.
 */
function* comparison(before: Corpus, after: Corpus, milliseconds: number): Generator<void, ReloadReport> {
  const passagesBefore = new Map<string, string>();
  const passagesAfter = new Map<string, string>();
  const documentsAfter = new Set(after.documents);
  const shared = new Set(before.documents.filter((document) => documentsAfter.has(document)));
  for (const [corpus, passages] of [[before, passagesBefore], [after, passagesAfter]] as const) {
    for (const document of corpus.documents) {
      if (shared.has(document)) continue;
      for (const passage of document.passages) {
        // A section is compared with the text; a passage without one keeps its text as it is (no copy).
        passages.set(passage.id, passage.section === undefined ? passage.text : `${passage.section}\0${passage.text}`);
        yield;
      }
    }
  }
  const documentsBefore = new Map(before.documents.map((document) => [document.meta.id, document]));
  const changedDocuments: string[] = [];
  for (const document of after.documents) {
    const earlier = documentsBefore.get(document.meta.id);
    if (earlier && earlier !== document && !(yield* sameDocument(earlier, document))) changedDocuments.push(document.meta.id);
  }
  const passages = yield* diff(passagesBefore, passagesAfter);
  const idsAfter = new Set(after.documents.map((document) => document.meta.id));
  return {
    documents: {
      added: after.documents.filter((document) => !documentsBefore.has(document.meta.id)).map((document) => document.meta.id),
      removed: before.documents.filter((document) => !idsAfter.has(document.meta.id)).map((document) => document.meta.id),
      changed: changedDocuments,
    },
    passages,
    documentCount: after.documents.length,
    passageCount: after.documents.reduce((sum, document) => sum + document.passages.length, 0),
    glossaryChanged: JSON.stringify(before.glossary) !== JSON.stringify(after.glossary),
    milliseconds,
    warnings: after.warnings,
  };
}

/** Whether two versions of a document are the same: metadata, file, and every passage (the rest derives from these). */
function* sameDocument(a: CorpusDocument, b: CorpusDocument): Generator<void, boolean> {
  if (a.file !== b.file || JSON.stringify(a.meta) !== JSON.stringify(b.meta) || a.passages.length !== b.passages.length) return false;
  for (let i = 0; i < a.passages.length; i++) {
    const [p, q] = [a.passages[i]!, b.passages[i]!];
    if (p.text !== q.text || p.kind !== q.kind || p.credit !== q.credit || p.section !== q.section) return false;
    yield;
  }
  return true;
}

function* diff(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Generator<void, Changes> {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [id, value] of after) {
    const earlier = before.get(id);
    if (earlier === undefined) added.push(id);
    else if (earlier !== value) changed.push(id);
    yield;
  }
  const removed: string[] = [];
  for (const id of before.keys()) {
    if (!after.has(id)) removed.push(id);
    yield;
  }
  return { added, removed, changed };
}
