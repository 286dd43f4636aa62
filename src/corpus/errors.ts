/** One thing wrong with one corpus file. */
export interface CorpusProblem {
  /** Path relative to the corpus folder, or "." for the folder itself. */
  readonly file: string;
  readonly line?: number | undefined;
  readonly field?: string | undefined;
  readonly message: string;
}

/** Formats a problem as one line: `documents/x.txt: line 3: field "title": must not be empty`. */
export function describeProblem(problem: CorpusProblem): string {
  const where = [
    problem.file,
    problem.line === undefined ? undefined : `line ${problem.line}`,
    problem.field === undefined ? undefined : `field "${problem.field}"`,
  ].filter((part) => part !== undefined);
  return `${where.join(': ')}: ${problem.message}`;
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
