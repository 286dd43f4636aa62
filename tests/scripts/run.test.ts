import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, REPO_ROOT } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

/**
 * The launcher, copied into a project of its own whose "tsc" is a stand-in: it counts its runs and writes
 * dist/src/hello.js, a program that prints its arguments, a greeting from a module beside it and one from a
 * package. The bundling is real (the project's esbuild). Real compiling is what every console test goes through.
 */
const FAKE_TSC = `
const fs = require('node:fs');
fs.appendFileSync('builds.log', 'build\\n');
if (fs.existsSync('src/broken.ts')) { console.log('src/broken.ts(1,1): error TS1005'); process.exit(2); }
fs.mkdirSync('dist/src', { recursive: true });
fs.writeFileSync('dist/src/greeting.js', 'export const greeting = "hello from beside";');
fs.writeFileSync('dist/src/hello.js', [
  'import { greeting } from "./greeting.js";',
  'import { packaged } from "a-package";',
  'console.log(JSON.stringify([greeting, packaged, ...process.argv.slice(1).map((a, i) => i === 0 ? a.split("/").slice(-4).join("/") : a)]));',
].join('\\n'));
`;

const PACKAGE_JSON = JSON.stringify({ type: 'module', scripts: { hello: 'node scripts/run.mjs src/hello.ts' } });

let project: string;

async function launch(...args: string[]): Promise<{ stdout: string; stderr: string; builds: number }> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(project, 'scripts', 'run.mjs'), ...args], { cwd: project });
  const builds = (await readFile(path.join(project, 'builds.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
  return { stdout, stderr, builds };
}

/** A launch expected to exit non-zero: its exit code and output, or undefined if it succeeded. */
function launchFailing(...args: string[]): Promise<{ code: number; stdout: string; stderr: string } | undefined> {
  return launch(...args).then(
    () => undefined,
    (error: unknown) => error as { code: number; stdout: string; stderr: string },
  );
}

beforeEach(async () => {
  project = await makeTempDir('incident-desk-run-');
  await mkdir(path.join(project, 'scripts'));
  await copyFile(path.join(REPO_ROOT, 'scripts', 'run.mjs'), path.join(project, 'scripts', 'run.mjs'));
  await mkdir(path.join(project, 'node_modules', 'typescript', 'bin'), { recursive: true });
  await writeFile(path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), FAKE_TSC);
  await writeFile(path.join(project, 'node_modules', 'typescript', 'package.json'), '{}');
  await symlink(path.join(REPO_ROOT, 'node_modules', 'esbuild'), path.join(project, 'node_modules', 'esbuild'), 'dir');
  await mkdir(path.join(project, 'node_modules', 'a-package'));
  await writeFile(path.join(project, 'node_modules', 'a-package', 'package.json'), JSON.stringify({ type: 'module', main: 'index.js' }));
  await writeFile(path.join(project, 'node_modules', 'a-package', 'index.js'), 'export const packaged = "hello from a package";');
  await writeFile(path.join(project, 'package.json'), PACKAGE_JSON);
  await writeFile(path.join(project, 'package-lock.json'), '{}');
  await mkdir(path.join(project, 'src'));
  await writeFile(path.join(project, 'src', 'hello.ts'), '');
  await writeFile(path.join(project, 'tsconfig.json'), '{}');
  await writeFile(path.join(project, 'tsconfig.build.json'), '{}');
});

describe('scripts/run.mjs', () => {
  it('compiles when dist/ is missing, then runs the bundled program with its own file and arguments', async () => {
    const run = await launch('src/hello.ts', '--json', 'x');
    expect(JSON.parse(run.stdout)).toEqual(['hello from beside', 'hello from a package', 'dist/bundle/src/hello.js', '--json', 'x']);
    expect(run.stderr).toContain('run: compiling to dist/');
    expect(run.builds).toBe(1);
  });

  it('runs one file holding the program, its modules and its packages', async () => {
    await launch('--ensure');
    await rm(path.join(project, 'dist', 'src'), { recursive: true });
    await rm(path.join(project, 'node_modules', 'a-package'), { recursive: true });
    const run = await launch('src/hello.ts');
    expect(JSON.parse(run.stdout)).toEqual(['hello from beside', 'hello from a package', 'dist/bundle/src/hello.js']);
    expect(run.builds).toBe(1);
  });

  it('builds again when the bundle is missing, or the package files change', async () => {
    await launch('--ensure');
    await rm(path.join(project, 'dist', 'bundle'), { recursive: true });
    const rebuilt = await launch('src/hello.ts');
    expect(JSON.parse(rebuilt.stdout)).toContain('hello from a package');
    expect(rebuilt.builds).toBe(2);
    await writeFile(path.join(project, 'package-lock.json'), '{"lockfileVersion": 3}');
    expect((await launch('src/hello.ts')).builds).toBe(3);
    await writeFile(path.join(project, 'package.json'), PACKAGE_JSON);
    expect((await launch('--ensure')).builds).toBe(4);
  });

  it('keeps no bundle of a program that no package script runs any more', async () => {
    await launch('--ensure');
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ type: 'module', scripts: {} }));
    const refused = await launchFailing('src/hello.ts');
    expect(refused?.stderr).toContain('run: src/hello.ts is not one of the programs the build bundles');
  });

  it('refuses a source file that no package script runs, after building once', async () => {
    const refused = await launchFailing('src/greeting.ts');
    expect(refused?.code).toBe(1);
    expect(refused?.stdout).toBe('');
    expect(refused?.stderr).toContain('run: src/greeting.ts is not one of the programs the build bundles');
  });

  it('runs without compiling again while nothing changed', async () => {
    await launch('src/hello.ts');
    const again = await launch('src/hello.ts');
    expect(again.builds).toBe(1);
    expect(again.stderr).toBe('');
  });

  it('compiles again after a source file is edited, or removed', async () => {
    await launch('--ensure');
    await writeFile(path.join(project, 'src', 'hello.ts'), '// edited\n');
    expect((await launch('src/hello.ts')).builds).toBe(2);
    await writeFile(path.join(project, 'src', 'other.ts'), '');
    await launch('--ensure');
    await rm(path.join(project, 'src', 'other.ts'));
    expect((await launch('--ensure')).builds).toBe(4);
  });

  it('compiles every time when asked to build (npm run build)', async () => {
    await launch('--build');
    expect((await launch('--build')).builds).toBe(2);
  });

  it('refuses to run when the build fails, with the compiler output on standard error and nothing on standard output', async () => {
    await writeFile(path.join(project, 'src', 'broken.ts'), '');
    const failed = await launchFailing('src/hello.ts');
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toContain('src/broken.ts(1,1): error TS1005');
    expect(failed?.stderr).toContain('run: the build failed (errors above); dist/ was left as it was');
  });
});
