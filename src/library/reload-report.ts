import type { CorpusProblem } from '../corpus/errors.js';
import type { Corpus } from '../corpus/types.js';

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
}

/**
 * The result of `/reload`: the changes, or the problems that stopped it while the previous corpus keeps serving.
 * `joined` is set when the request arrived while another reload was running and shares that reload's result.
 */
export type ReloadOutcome =
  | { readonly ok: true; readonly report: ReloadReport; readonly joined: boolean }
  | { readonly ok: false; readonly problems: readonly CorpusProblem[]; readonly joined: boolean };

/** Compares two corpora by document id and passage id: a passage whose text differs counts as changed. */
export function compareCorpora(before: Corpus, after: Corpus, milliseconds: number): ReloadReport {
  const documentsBefore = new Map(before.documents.map((d) => [d.meta.id, JSON.stringify(d)]));
  const documentsAfter = new Map(after.documents.map((d) => [d.meta.id, JSON.stringify(d)]));
  const passagesBefore = new Map(before.documents.flatMap((d) => d.passages.map((p) => [p.id, p.text] as const)));
  const passagesAfter = new Map(after.documents.flatMap((d) => d.passages.map((p) => [p.id, p.text] as const)));
  return {
    documents: diff(documentsBefore, documentsAfter),
    passages: diff(passagesBefore, passagesAfter),
    documentCount: after.documents.length,
    passageCount: passagesAfter.size,
    glossaryChanged: JSON.stringify(before.glossary) !== JSON.stringify(after.glossary),
    milliseconds,
  };
}

function diff(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Changes {
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [...after].filter(([id, value]) => before.has(id) && before.get(id) !== value).map(([id]) => id),
  };
}
