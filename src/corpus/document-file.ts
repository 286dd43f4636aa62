import type * as z from 'zod';
import { runToEnd } from '../scheduling/slices.js';
import type { CorpusProblem } from './errors.js';
import { passagesOf } from './passages.js';
import { documentMetaSchema } from './schema.js';
import type { CorpusDocument, Passage } from './types.js';

const FENCE = '---';
const FIELD_LINE = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/;

/** The result of reading one file: a document, or the problems that stop it. */
export type ParsedDocument =
  | { readonly ok: true; readonly document: CorpusDocument }
  | { readonly ok: false; readonly problems: CorpusProblem[] };

/**
 * Parses a document file: a front matter of `key: value` lines between `---` fences, then the article text,
 * paragraphs separated by blank lines.
 */
export function parseDocumentFile(file: string, content: string): ParsedDocument {
  return runToEnd(parseDocumentFileInSteps(file, content));
}

/** {@link parseDocumentFile} as a stepwise job (see `runInSlices`): it yields after each passage. */
export function* parseDocumentFileInSteps(file: string, content: string): Generator<void, ParsedDocument> {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const fail = (message: string, line?: number, field?: string): ParsedDocument => ({
    ok: false,
    problems: [{ file, line, field, message }],
  });
  if (lines[0]?.trim() !== FENCE) {
    return fail('must start with a front matter block: a line "---", then id, title and source, then "---"', 1);
  }
  const closing = lines.findIndex((line, index) => index > 0 && line.trim() === FENCE);
  if (closing < 0) return fail('the front matter is not closed by a line "---"', 1);

  const fields: Record<string, string> = {};
  const fieldLines: Record<string, number> = {};
  for (let index = 1; index < closing; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = FIELD_LINE.exec(line);
    if (!match) return fail('expected "key: value"', index + 1);
    const [, key = '', value = ''] = match;
    if (key in fields) return fail('is given twice', index + 1, key);
    fields[key] = value.trim();
    fieldLines[key] = index + 1;
  }

  const meta = documentMetaSchema.safeParse(fields);
  if (!meta.success) {
    return { ok: false, problems: meta.error.issues.flatMap((issue) => metaProblems(file, issue, fieldLines)) };
  }
  const bodyOffset = lines.slice(0, closing + 1).join('\n').length + 1;
  const body = text.slice(bodyOffset);
  const passages: Passage[] = [];
  for (const passage of passagesOf(meta.data.id, body)) {
    passages.push(passage);
    yield;
  }
  if (passages.length === 0) return fail('has no text after its front matter: no passages to index', closing + 2);
  return { ok: true, document: { meta: meta.data, file, passages } };
}

function metaProblems(file: string, issue: z.core.$ZodIssue, fieldLines: Record<string, number>): CorpusProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      file,
      line: fieldLines[key],
      field: key,
      message: 'is not a known field (id, title, source, url, published, author)',
    }));
  }
  const field = String(issue.path[0] ?? '');
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return [{ file, line: fieldLines[field], field, message: missing ? 'is required' : issue.message }];
}
