import type { CorpusProblem } from './errors.js';

export const EXAMPLES_FILE = 'examples.txt';

/** Longest example question accepted: Discord's autocomplete and option limits make longer ones useless. */
const MAX_EXAMPLE_LENGTH = 100;

export type ParsedExamples =
  | { readonly ok: true; readonly examples: string[] }
  | { readonly ok: false; readonly problems: CorpusProblem[] };

/** Parses `examples.txt`: one example question a line; blank lines and lines starting with `#` are skipped. */
export function parseExamples(content: string, file = EXAMPLES_FILE): ParsedExamples {
  const problems: CorpusProblem[] = [];
  const examples: string[] = [];
  content.split(/\r\n?|\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.length > MAX_EXAMPLE_LENGTH) {
      problems.push({ file, line: index + 1, message: `is longer than ${MAX_EXAMPLE_LENGTH} characters` });
    } else {
      examples.push(line);
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, examples };
}
