import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * vitest global set-up: compiles dist/ when it is missing or stale (a fresh clone in CI), once, so the tests that
 * start programs as the package scripts do never race each other to compile it.
 */
export default function buildDist(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'run.mjs'), '--ensure'], { cwd: root, stdio: 'inherit' });
}
