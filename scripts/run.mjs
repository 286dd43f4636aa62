#!/usr/bin/env node
/**
 * Runs a program compiled to dist/ and bundled into one file, building first when dist/ is missing or older than
 * the source, so that no TypeScript loader runs at run time and `npm ci && npm run console` still needs no separate
 * build step:
 *
 *   node scripts/run.mjs src/console/main.ts [args…]   runs dist/bundle/src/console/main.js in this same process
 *   node scripts/run.mjs --build                        builds (npm run build)
 *   node scripts/run.mjs --ensure                       builds only when stale (the test suite's set-up)
 *
 * The build is tsc (type check and emit to dist/), then esbuild: one ESM file per program under dist/bundle/, at
 * the program's own path, from tsc's output (docs/reload.md, "Compiled start"). The programs are the source files
 * the package scripts run through this launcher, so a new program is one more script of the same pattern.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
/** Written after a successful build, with the time the build started: anything changed since is newer. */
const STAMP = path.join(DIST, '.stamp');
/** One bundle per program, at the program's path: dist/bundle/src/console/main.js. */
const BUNDLE = path.join(DIST, 'bundle');
/**
 * What the build reads: a change to any of these (a file added, edited or removed) makes dist/ stale. The package
 * files name the programs and pin the dependencies the bundles hold.
 */
const SOURCES = ['src', 'commands', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Bundled beside the programs: the embedding thread's script, which a program starts as a file of its own. */
const THREADS = ['src/semantic/embed-worker.ts'];
/**
 * Left to Node to load from node_modules: a native addon, the sentence model's packages (TensorFlow.js finds its
 * WebAssembly files beside its own), and discord.js (its optional native packages and its own worker files).
 */
const EXTERNAL = ['better-sqlite3', '@energetic-ai/*', 'discord.js'];

/** The newest modification time under `entry`, folders included (removing a file changes its folder's time). */
function newest(entry) {
  const info = statSync(entry, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

function isStale(bundle) {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  if (stamp === undefined || (bundle !== undefined && !existsSync(bundle))) return true;
  return SOURCES.some((source) => newest(path.join(ROOT, source)) > stamp.mtimeMs);
}

/** The source files the package scripts run through this launcher (`node scripts/run.mjs src/….ts`). */
function programs() {
  const { scripts = {} } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return Object.values(scripts).flatMap((script) => [...script.matchAll(/\bscripts\/run\.mjs\s+(\S+\.ts)\b/g)].map((match) => match[1]));
}

/** Compiles with tsc, then bundles; their output goes to standard error, as standard output may be a program's JSON. */
async function build() {
  if (!existsSync(TSC)) {
    fail('dist/ is missing or older than the source, and TypeScript is not installed to compile it: run npm ci (dev dependencies included), then npm run build');
  }
  process.stderr.write('run: compiling to dist/ (tsc -p tsconfig.build.json, then esbuild to dist/bundle/)\n');
  const started = new Date();
  // Loaded only to build: a start with dist/ up to date needs neither.
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) fail('the build failed (errors above); dist/ was left as it was');
  await bundle([...new Set([...programs(), ...THREADS.filter((source) => existsSync(path.join(ROOT, source)))])]);
  writeFileSync(STAMP, '');
  utimesSync(STAMP, started, started);
}

/**
 * Bundles each source file's compiled JavaScript (dist/src/x.js) with the packages it imports into one ESM file,
 * dist/bundle/src/x.js: Node then reads and compiles one file instead of resolving a graph of modules, and
 * esbuild leaves out what the program never uses. dist/bundle/ is emptied first, so it holds only today's programs. A bundle sits as deep in dist/bundle/ as its source in the
 * project, so code that finds files from its own URL keeps finding them (docs/reload.md, "Compiled start").
 */
async function bundle(sources) {
  const esbuild = await import('esbuild').catch(() => fail('esbuild is not installed to bundle dist/: run npm ci (dev dependencies included), then npm run build'));
  const entryPoints = sources.map((source) => path.join(DIST, source.replace(/\.ts$/, '.js')));
  const missing = entryPoints.filter((entry) => !existsSync(entry));
  if (missing.length > 0) fail(`the build made no ${missing.map((entry) => path.relative(ROOT, entry)).join(', ')} to bundle`);
  rmSync(BUNDLE, { recursive: true, force: true });
  await esbuild
    .build({
      entryPoints,
      outbase: DIST,
      outdir: BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // A package's ES module build where it has one (stopword's): esbuild can then leave out what is not imported.
      mainFields: ['module', 'main'],
      external: EXTERNAL,
      // The CommonJS packages inside a bundle call require(), which an ES module does not have.
      banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);" },
      minifyWhitespace: true,
      minifySyntax: true,
      logLevel: 'warning',
    })
    .catch(() => fail('bundling failed (errors above); dist/bundle/ may be incomplete and is rebuilt on the next start'));
}

function fail(message) {
  process.stderr.write(`run: ${message}\n`);
  process.exit(1);
}

const [target, ...args] = process.argv.slice(2);
if (target === '--build') await build();
else if (target === '--ensure') {
  if (isStale()) await build();
} else if (target === undefined || !target.endsWith('.ts')) {
  fail('usage: node scripts/run.mjs <source file .ts> [args…] | --build | --ensure');
} else {
  const bundled = path.join(BUNDLE, target.replace(/\.ts$/, '.js'));
  if (isStale(bundled)) await build();
  if (!existsSync(bundled)) fail(`${target} is not one of the programs the build bundles: run it from a package script (node scripts/run.mjs ${target})`);
  // The program sees its own file and arguments, as if started directly with node.
  process.argv = [process.argv[0], bundled, ...args];
  await import(pathToFileURL(bundled).href);
}
