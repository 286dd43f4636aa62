/**
 * Issue 5, bad corpora: every broken corpus in the catalogue is refused with an error naming the file and the
 * problem, at start-up (Library.load and the real console process: a clear message, no stack trace, nothing
 * served) and on reload (reported, and the previous corpus keeps serving exactly as before).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole, type ConsoleResult } from '../fixtures/console-process.js';
import { CorpusError, describeProblem, type CorpusProblem } from '../../src/corpus/errors.js';
import { DEFAULT_LIBRARY_OPTIONS, Library, type LibraryOptions } from '../../src/library/library.js';
import { BAD_CORPORA, SECRET_TEXT, writeOutside, type BadCorpusCase, type ExpectedProblem } from './support/bad-corpora.js';
import { Scratch } from './support/corpora.js';

/** Questions whose answers must not change when a reload is refused. */
const QUESTIONS = ['How many hostage-takers were killed?', 'Who seized the police station?', 'What did the militants ask for?', 'Was there a pigeon?'];

/** A stack frame as Node prints it: `    at fn (file:line:col)`. */
const STACK_FRAME = /^\s+at .+:\d+/m;

function optionsFor(badCase: BadCorpusCase): LibraryOptions {
  return badCase.maxFileBytes === undefined ? DEFAULT_LIBRARY_OPTIONS : { ...DEFAULT_LIBRARY_OPTIONS, corpus: { ...DEFAULT_LIBRARY_OPTIONS.corpus, maxFileBytes: badCase.maxFileBytes } };
}

function expectNamed(problems: readonly CorpusProblem[], expected: ExpectedProblem, onlyProblem = false): void {
  const match = problems.find((problem) => problem.file === expected.file && expected.message.test(problem.message));
  expect(match, `no problem naming ${expected.file} ${expected.message}; got:\n${problems.map(describeProblem).join('\n')}`).toBeDefined();
  if (expected.line !== undefined) expect(match?.line).toBe(expected.line);
  if (expected.entry !== undefined) expect(match?.entry).toBe(expected.entry);
  if (expected.field !== undefined) expect(match?.field).toBe(expected.field);
  if (onlyProblem) expect(problems).toHaveLength(1);
}

async function loadError(folder: string, options: LibraryOptions): Promise<CorpusError> {
  const error = await Library.load(folder, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CorpusError);
  return error as CorpusError;
}

describe('bad corpora: refused with the file and the problem named', () => {
  let scratch: Scratch;
  let outside: string;
  /** The real console started on each broken corpus, run in parallel up front (each takes a couple of seconds). */
  const consoleRuns = new Map<string, Promise<ConsoleResult>>();

  beforeAll(async () => {
    scratch = await Scratch.create();
    outside = path.join(scratch.root, 'outside');
    await writeOutside(outside);
    const folders: [BadCorpusCase, string][] = [];
    for (const badCase of BAD_CORPORA) {
      const folder = await scratch.goodCorpus('console');
      await badCase.breakIt(folder, outside);
      folders.push([badCase, folder]);
    }
    // At most four consoles at a time, so a small CI machine is not swamped.
    const queue = [...folders];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [badCase, folder] = next;
        const env: Record<string, string> = badCase.maxFileBytes === undefined ? {} : { MAX_CORPUS_FILE_BYTES: String(badCase.maxFileBytes) };
        const run = runConsole('Who seized the police station?\n', { corpusDir: folder, env }, 60_000);
        consoleRuns.set(badCase.name, run);
        await run.catch(() => undefined);
      }
    };
    void Promise.all([worker(), worker(), worker(), worker()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(consoleRuns.values());
    await scratch?.dispose();
  });

  describe.each(BAD_CORPORA.map((badCase) => [badCase.name, badCase] as const))('%s', (_name, badCase) => {
    it('start-up: Library.load throws a CorpusError naming the file and the problem', async () => {
      const folder = await scratch.goodCorpus('startup');
      await badCase.breakIt(folder, outside);
      const error = await loadError(folder, optionsFor(badCase));
      expectNamed(error.problems, badCase.expected, badCase.onlyProblem);
      // The message is for people: one line per problem, each naming its file; no stack in it.
      expect(error.message).toMatch(/^corpus: (a problem|\d+ problems) stopped the load:\n/);
      expect(error.message).toContain(`  - ${badCase.expected.file}: `);
      expect(error.message).not.toMatch(STACK_FRAME);
      expect(error.message).not.toContain(SECRET_TEXT);
    });

    it('start-up: the real console process exits 1 with that clear error, no stack trace, nothing served', async () => {
      const run = consoleRuns.get(badCase.name);
      expect(run, 'console run was not started').toBeDefined();
      const { code, stdout, stderr } = await run!;
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^corpus: (a problem|\d+ problems) stopped the load:\n/);
      const expected = badCase.expected;
      const line = stderr.split('\n').find((text) => text.startsWith(`  - ${expected.file}: `));
      expect(line, stderr).toBeDefined();
      // After the file come `line N: ` and `field "x": ` when known, then the message itself.
      const parts = line!.slice(`  - ${expected.file}: `.length).split(': ');
      expect(parts.some((_part, i) => expected.message.test(parts.slice(i).join(': '))), line).toBe(true);
      if (expected.line !== undefined) expect(line).toContain(`line ${expected.line}`);
      if (expected.entry !== undefined) expect(line).toContain(`entry ${expected.entry}: `);
      expect(stderr).not.toMatch(STACK_FRAME);
      expect(stderr).not.toContain('CorpusError');
      expect(stderr).not.toContain(SECRET_TEXT);
    }, 90_000);

    it('reload: refused and reported, and the previous corpus keeps serving identically', async () => {
      const folder = await scratch.goodCorpus('reload');
      const library = await Library.load(folder, optionsFor(badCase));
      const before = library.current;
      const answersBefore = await Promise.all(QUESTIONS.map((question) => before.engine.answer(question)));
      await badCase.breakIt(folder, outside);

      const outcome = await library.reload();
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expectNamed(outcome.problems, badCase.expected, badCase.onlyProblem);
      expect(library.current).toBe(before);
      expect(library.current.version).toBe(1);
      expect(await Promise.all(QUESTIONS.map((question) => library.current.engine.answer(question)))).toEqual(answersBefore);
      expect(JSON.stringify(outcome.problems)).not.toContain(SECRET_TEXT);
    });
  });
});
