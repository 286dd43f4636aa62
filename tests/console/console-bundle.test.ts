import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { indexCodeVersion } from '../../src/search/index-snapshot.js';
import { runConsole } from '../fixtures/console-process.js';
import { makeTempDir, removeTempDirs, REPO_ROOT } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

const PROCESS_TIMEOUT = 180_000;

/**
 * A module hook for the console's process that writes down every ES module Node loads (`import`, static or
 * dynamic; CommonJS `require` inside a package is not seen), one URL a line.
 */
async function moduleRecorder(directory: string): Promise<{ env: Record<string, string>; loaded: () => Promise<string[]> }> {
  const log = path.join(directory, 'modules.log');
  await writeFile(
    path.join(directory, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return nextLoad(url, context);
}`,
  );
  await writeFile(path.join(directory, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  return {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(path.join(directory, 'register.mjs')).href}` },
    loaded: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean),
  };
}

describe('the bundled console', { timeout: PROCESS_TIMEOUT }, () => {
  it('loads only the launcher and its one bundle, and opens no store, to answer with the model off', async () => {
    const directory = await makeTempDir('incident-desk-modules-');
    const recorder = await moduleRecorder(directory);
    const dataDir = path.join(directory, 'data');
    // NODE_DEBUG=module has Node name on stderr each package loaded by require(), which the hook does not see.
    const result = await runConsole('How many hostage-takers were killed?\n', { args: ['--json'], env: { ...recorder.env, EMBEDDINGS: 'off', DATA_DIR: dataDir, NODE_DEBUG: 'module' } }, PROCESS_TIMEOUT);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ answered: true, mode: 'lexical' });
    const files = (await recorder.loaded()).filter((url) => !url.startsWith('node:')).map((url) => path.relative(REPO_ROOT, new URL(url).pathname));
    expect(files).toEqual([path.join('scripts', 'run.mjs'), path.join('dist', 'bundle', 'src', 'console', 'main.js')]);
    // The store (and with it better-sqlite3) is opened by /gaps only: not even in memory, and its folder was never made.
    expect(result.stderr).toContain('Module._load REQUEST');
    expect(result.stderr).not.toContain('better-sqlite3');
    expect(await stat(dataDir).then(() => true, () => false)).toBe(false);
  });

  it('saves an index snapshot under the code version the TypeScript source computes, so tsx and dist/ share it', async () => {
    const cache = await makeTempDir('incident-desk-bundle-cache-');
    const result = await runConsole('How many hostage-takers were killed?\n', { args: ['--json'], env: { CACHE_DIR: cache, EMBEDDINGS: 'off' } }, PROCESS_TIMEOUT);
    expect(result.code).toBe(0);
    const [file] = (await readdir(cache)).filter((name) => name.startsWith('index-'));
    const bytes = await readFile(path.join(cache, file!));
    // The file starts with a line naming its format, then the header's length (u32, little-endian) and the header.
    const headerStart = bytes.indexOf('\n') + 1 + 4;
    const header = JSON.parse(bytes.subarray(headerStart, headerStart + bytes.readUInt32LE(headerStart - 4)).toString('utf8')) as { codeVersion: string };
    expect(header.codeVersion).toBe(await indexCodeVersion());
    const again = await runConsole('How many hostage-takers were killed?\n', { args: ['--json'], env: { CACHE_DIR: cache, EMBEDDINGS: 'off' } }, PROCESS_TIMEOUT);
    expect(again.stderr).not.toContain('index snapshot');
  });
});
