#!/usr/bin/env node
/**
 * Runs a program compiled to dist/, compiling first when dist/ is missing or older than the source, so that no
 * TypeScript loader runs at run time and `npm ci && npm run console` still needs no separate build step:
 *
 *   node scripts/run.mjs src/console/main.ts [args…]   runs dist/src/console/main.js in this same process
 *   node scripts/run.mjs --build                        compiles (npm run build)
 *   node scripts/run.mjs --ensure                       compiles only when stale (the test suite's set-up)
 *
 * A package script names the source file it runs, so a new program is one more script of the same pattern.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
/** Written after a successful build, with the time the build started: anything changed since is newer. */
const STAMP = path.join(DIST, '.stamp');
/** What the build reads: a change to any of these (a file added, edited or removed) makes dist/ stale. */
const SOURCES = ['src', 'commands', 'tsconfig.json', 'tsconfig.build.json'];
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The newest modification time under `entry`, folders included (removing a file changes its folder's time). */
function newest(entry) {
  const info = statSync(entry, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

function isStale() {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  return stamp === undefined || SOURCES.some((source) => newest(path.join(ROOT, source)) > stamp.mtimeMs);
}

/** Compiles with tsc; its output goes to standard error, as standard output may be a program's JSON. */
function build() {
  if (!existsSync(TSC)) {
    fail('dist/ is missing or older than the source, and TypeScript is not installed to compile it: run npm ci (dev dependencies included), then npm run build');
  }
  process.stderr.write('run: compiling to dist/ (tsc -p tsconfig.build.json)\n');
  const started = new Date();
  const result = spawnSync(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) fail('the build failed (errors above); dist/ was left as it was');
  writeFileSync(STAMP, '');
  utimesSync(STAMP, started, started);
}

function fail(message) {
  process.stderr.write(`run: ${message}\n`);
  process.exit(1);
}

const [target, ...args] = process.argv.slice(2);
if (target === '--build') build();
else if (target === '--ensure') {
  if (isStale()) build();
} else if (target === undefined || !target.endsWith('.ts')) {
  fail('usage: node scripts/run.mjs <source file .ts> [args…] | --build | --ensure');
} else {
  if (isStale()) build();
  const compiled = path.join(DIST, target.replace(/\.ts$/, '.js'));
  // The program sees its own file and arguments, as if started directly with node.
  process.argv = [process.argv[0], compiled, ...args];
  await import(pathToFileURL(compiled).href);
}
