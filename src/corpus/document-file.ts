import type * as z from 'zod';
import { runToEnd } from '../scheduling/slices.js';
import type { CorpusProblem } from './errors.js';
import { passagesOf, plainTextBlocks, type BodyReader, type TextBlock } from './passages.js';
import { documentMetaSchema } from './schema.js';
import type { CorpusDocument, Passage } from './types.js';

const FENCE = '---';
const FIELD_LINE = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/;

/**
 * The result of reading one file: a document, or the problems that stop it, with the document's id when its front
 * matter gives a valid one (so that a duplicate id is reported with the file's other problems).
 */
export type ParsedDocument =
  | { readonly ok: true; readonly document: CorpusDocument }
  | { readonly ok: false; readonly problems: CorpusProblem[]; readonly id?: string | undefined };

/**
 * Parses a document file: a front matter of `key: value` lines between `---` fences, then the article text, read
 * by `readBody`: plain text (paragraphs separated by blank lines) unless told otherwise, e.g. `markdownBlocks`.
 */
export function parseDocumentFile(file: string, content: string, readBody: BodyReader = plainTextBlocks): ParsedDocument {
  return runToEnd(parseDocumentFileInSteps(file, content, readBody));
}

/** {@link parseDocumentFile} as a stepwise job (see `runInSlices`): it yields after each passage. */
export function* parseDocumentFileInSteps(file: string, content: string, readBody: BodyReader = plainTextBlocks): Generator<void, ParsedDocument> {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const fields: Record<string, string> = {};
  const fail = (message: string, line?: number, field?: string): ParsedDocument => ({
    ok: false,
    problems: [{ file, line, field, message }],
    id: citableId(fields.id),
  });
  if (lines[0]?.trim() !== FENCE) {
    return fail('must start with a front matter block: a line "---", then id, title and source, then "---"', 1);
  }
  const closing = lines.findIndex((line, index) => index > 0 && line.trim() === FENCE);
  if (closing < 0) return fail('the front matter is not closed by a line "---"', 1);

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
    return { ok: false, problems: meta.error.issues.flatMap((issue) => metaProblems(file, issue, fieldLines)), id: citableId(fields.id) };
  }
  const bodyOffset = lines.slice(0, closing + 1).join('\n').length + 1;
  const body = text.slice(bodyOffset);
  const passages: Passage[] = [];
  for (const passage of passagesOf(meta.data.id, withoutTitleSections(readBody(body), meta.data.title))) {
    passages.push(passage);
    yield;
  }
  if (passages.length === 0) return fail('has no text after its front matter: no passages to index', closing + 2);
  return { ok: true, document: { meta: meta.data, file, passages } };
}

/** The id as given, when it is one a document can be cited by. */
function citableId(id: string | undefined): string | undefined {
  return id !== undefined && documentMetaSchema.shape.id.safeParse(id).success ? id : undefined;
}

/** A heading that repeats the document's title (a Markdown article often opens with it) names no section. */
function* withoutTitleSections(blocks: Iterable<TextBlock>, title: string): Generator<TextBlock, void> {
  const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'base', ignorePunctuation: true }) === 0;
  for (const block of blocks) yield block.section !== undefined && same(block.section, title) ? { ...block, section: undefined } : block;
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
