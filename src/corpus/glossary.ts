import type * as z from 'zod';
import { normalise } from '../search/analyzer.js';
import type { CorpusProblem } from './errors.js';
import { glossarySchema } from './schema.js';
import type { Glossary } from './types.js';

export const GLOSSARY_FILE = 'glossary.json';

export type ParsedGlossary =
  | { readonly ok: true; readonly glossary: Glossary }
  | { readonly ok: false; readonly problems: CorpusProblem[] };

/**
 * Parses and validates `glossary.json`. Besides its shape, a term may stand in one entry only (two entries
 * sharing a term would chain unrelated words together), and an entry must name at least two different terms
 * (a term that only maps to itself teaches nothing).
 */
export function parseGlossary(content: string, file = GLOSSARY_FILE): ParsedGlossary {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    return { ok: false, problems: [{ file, message: `is not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = glossarySchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap((issue) => schemaProblems(file, issue)) };

  const problems: CorpusProblem[] = [];
  const entryOfTerm = new Map<string, number>();
  parsed.data.entries.forEach(({ terms }, index) => {
    const distinct = new Set(terms.map((term) => normalise(term.trim())));
    const entry = index + 1;
    if (distinct.size < 2) problems.push({ file, entry, field: 'terms', message: 'maps a term only to itself' });
    for (const term of distinct) {
      const earlier = entryOfTerm.get(term);
      if (earlier !== undefined && earlier !== entry) {
        problems.push({ file, entry, field: 'terms', message: `"${term}" is also in entry ${earlier}: merge the two entries or remove one` });
      }
      entryOfTerm.set(term, entry);
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, glossary: parsed.data };
}

/**
 * A schema issue as problems, each naming its entry and term as people count them, from 1 (`entries.1.terms.0` is
 * entry 2, field "terms", term 1); an unknown key is a problem of its own.
 */
function schemaProblems(file: string, issue: z.core.$ZodIssue): CorpusProblem[] {
  const [top, index, field, term] = issue.path;
  const entry = top === 'entries' && typeof index === 'number' ? index + 1 : undefined;
  const termOf = typeof term === 'number' ? `term ${term + 1} ` : '';
  if (issue.code === 'unrecognized_keys') {
    const known = entry === undefined ? 'entries' : 'terms, kind, note';
    return issue.keys.map((key) => ({ file, entry, field: key, message: `is not a known field (${known})` }));
  }
  const named = entry === undefined ? issue.path.map(String).join('.') || undefined : field === undefined ? undefined : String(field);
  return [{ file, entry, field: named, message: `${termOf}${issue.message}` }];
}
