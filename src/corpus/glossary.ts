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
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        file,
        field: issue.path.join('.'),
        message: issue.message,
      })),
    };
  }

  const problems: CorpusProblem[] = [];
  const entryOfTerm = new Map<string, number>();
  parsed.data.entries.forEach((entry, index) => {
    const distinct = new Set(entry.terms.map((term) => normalise(term.trim())));
    if (distinct.size < 2) {
      problems.push({ file, field: `entries.${index}.terms`, message: 'maps a term only to itself' });
    }
    for (const term of distinct) {
      const earlier = entryOfTerm.get(term);
      if (earlier !== undefined && earlier !== index) {
        problems.push({
          file,
          field: `entries.${index}.terms`,
          message: `"${term}" is also in entries.${earlier}: merge the two entries or remove one`,
        });
      }
      entryOfTerm.set(term, index);
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, glossary: parsed.data };
}
