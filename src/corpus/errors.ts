/** One thing wrong with one corpus file. */
export interface CorpusProblem {
  /** Path relative to the corpus folder, or "." for the folder itself. */
  readonly file: string;
  readonly line?: number | undefined;
  /** The glossary entry at fault, counted from 1 as people count. */
  readonly entry?: number | undefined;
  readonly field?: string | undefined;
  readonly message: string;
}

/**
 * Formats a problem as one line: `documents/x.txt: line 3: field "title": must not be empty`, or
 * `glossary.json: entry 2: field "terms": "TTP" is also in entry 1: …`.
 */
export function describeProblem(problem: CorpusProblem): string {
  const where = [
    problem.file,
    problem.line === undefined ? undefined : `line ${problem.line}`,
    problem.entry === undefined ? undefined : `entry ${problem.entry}`,
    problem.field === undefined ? undefined : `field "${problem.field}"`,
  ].filter((part) => part !== undefined);
  return `${where.join(': ')}: ${problem.message}`;
}

/**
 * The problems in the order a reader meets them: file by file as the corpus folder is listed (each folder's entries
 * by name, the folder itself first), and in each file what concerns the whole file first, then by line and entry.
 * Stable: problems at the same place keep the order they were found in.
 */
export function inFileOrder(problems: readonly CorpusProblem[]): CorpusProblem[] {
  const place = (problem: CorpusProblem): number => problem.line ?? problem.entry ?? 0;
  return [...problems].sort((a, b) => compareFiles(a.file, b.file) || place(a) - place(b));
}

function compareFiles(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '.' || b === '.') return a === '.' ? -1 : 1;
  const [partsA, partsB] = [a.split('/'), b.split('/')];
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const order = partsA[i]!.localeCompare(partsB[i]!);
    if (order !== 0) return order;
  }
  return partsA.length - partsB.length;
}

/** Raised when a corpus cannot be loaded; lists every problem found, each naming its file. */
export class CorpusError extends Error {
  override readonly name = 'CorpusError';
  readonly problems: readonly CorpusProblem[];

  constructor(problems: readonly CorpusProblem[]) {
    super(
      `corpus: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} stopped the load:\n` +
        problems.map((problem) => `  - ${describeProblem(problem)}`).join('\n'),
    );
    this.problems = problems;
  }
}
