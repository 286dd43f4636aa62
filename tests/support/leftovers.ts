/**
 * vitest global set-up: a run of the suite must leave nothing behind, in the repository or in the temporary area.
 *
 * Before any test, the run gets a temporary folder of its own and `TMPDIR` points there, so every folder a test (or a
 * program it starts) makes with `os.tmpdir()` is this run's, whatever other runs share the machine; the files of the
 * working tree are listed. After the last test, whatever is left in that folder, and every file of the tree that
 * was not there before, is named, and the run fails. The folder is removed either way.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Not looked at in the tree: git's own files, the installed packages, and the build the suite's set-up makes
 * (`build-dist.ts`), which is the programs the tests start, not something a test leaves.
 */
const NOT_THE_TESTS = new Set(['.git', 'node_modules', 'dist', 'coverage']);

/** tsx keeps its compile cache in the temporary folder by design (`tsx-<uid>`); it goes with the run's folder. */
const TOOL_CACHE = /^tsx-\d+$/;

/** Every file under `directory` (folders only through their files), as paths relative to `root`. */
function filesUnder(directory: string, root: string, skip: (name: string) => boolean = () => false): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      const inside = filesUnder(full, root);
      found.push(...(inside.length > 0 ? inside : [`${path.relative(root, full)}/`]));
    } else found.push(path.relative(root, full));
  }
  return found;
}

/** A watch over a tree and a fresh temporary folder: {@link finish} names what appeared in them and removes the folder. */
export interface LeftoverWatch {
  /** The folder the run is to use as its temporary area. */
  readonly temporary: string;
  /** The files created in the tree since the watch began, and every file left in the temporary folder, which goes. */
  finish(): string[];
}

/** Lists the files of `root` now, and makes a temporary folder inside `temporaryParent`. */
export function watchForLeftovers(root: string, temporaryParent: string): LeftoverWatch {
  const inTree = (): string[] => filesUnder(root, root, (name) => NOT_THE_TESTS.has(name));
  const before = new Set(inTree());
  const temporary = mkdtempSync(path.join(temporaryParent, 'incident-desk-test-run-'));
  // Readable by all: one test runs a child as the unprivileged user `nobody`, which must reach its own folder inside.
  chmodSync(temporary, 0o755);
  return {
    temporary,
    finish: () => {
      const created = inTree().filter((file) => !before.has(file));
      const left = filesUnder(temporary, temporary, (name) => TOOL_CACHE.test(name));
      rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
      return [
        ...created.map((file) => `${file} (in the repository)`),
        ...left.map((file) => `${path.join(temporary, file)} (in the run's temporary folder, now removed)`),
      ];
    },
  };
}

export default function guardAgainstLeftovers(): () => void {
  const watch = watchForLeftovers(REPO_ROOT, os.tmpdir());
  process.env['TMPDIR'] = watch.temporary;
  return () => {
    const problems = watch.finish();
    if (problems.length === 0) return;
    process.stderr.write(
      `\nleftovers: the tests left ${problems.length} file(s) behind; each test must write under a temporary folder of its own and remove it:\n${problems.map((problem) => `  ${problem}`).join('\n')}\n`,
    );
    process.exitCode = 1;
  };
}
