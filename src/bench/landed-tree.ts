import { execFile } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A source tree of another commit, extracted from git, or why it could not be. */
export type LandedTree = { readonly tree: string; readonly commit: string } | { readonly skipped: string };

/**
 * Extracts commit `ref` of the repository at `root` into `into` with `git archive` (files as committed, nothing
 * copied into this repository), linking `into/node_modules` to this checkout's, so the other tree runs on the same
 * installed packages. Without git, a repository or the commit (a tarball, a shallow clone), says why instead.
 */
export async function extractTree(root: string, ref: string, into: string): Promise<LandedTree> {
  let commit: string;
  try {
    commit = (await run('git', ['-C', root, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).stdout.trim();
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : `no commit ${ref} in the git history of ${root} (a tarball or a shallow clone?)`;
    return { skipped: `${why}, so there is no landed engine to measure against` };
  }
  await mkdir(into, { recursive: true });
  const archive = `${into}.tar`;
  await run('git', ['-C', root, 'archive', '--format=tar', `--output=${archive}`, commit]);
  await run('tar', ['-xf', archive, '-C', into]);
  await symlink(path.join(root, 'node_modules'), path.join(into, 'node_modules'), 'dir');
  return { tree: into, commit };
}
