/**
 * Issue 5, bad corpora: an unreadable file or folder (permissions). Root reads any file whatever its mode, and CI
 * runs as root, so when the tests run as root the checks run in child processes switched to the unprivileged
 * user `nobody` (uid 65534): the probe script for Library.load and reload, and the real console for start-up.
 */
import { chmod, chown, cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusProblem } from '../../src/corpus/errors.js';
import type { ReloadOutcome } from '../../src/library/reload-report.js';
import { GOOD_CORPUS, REPO_ROOT } from './support/corpora.js';
import { childEnv } from '../support/child-env.js';
import { CONSOLE_MAIN, runToEnd, TSX, type Finished } from './support/processes.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
/** Who the children run as: `nobody` when we are root, ourselves otherwise. */
const identity = asRoot ? { uid: NOBODY, gid: NOBODY } : {};

interface ProbeResult {
  readonly uid: number;
  readonly denied: boolean;
  readonly outcome: ReloadOutcome;
  readonly sameSnapshot: boolean;
  readonly sameAnswers: boolean;
  readonly startup: { problems: CorpusProblem[]; message: string } | string;
}

async function chownTree(target: string, uid: number, gid: number): Promise<void> {
  await chown(target, uid, gid);
  for (const entry of await readdir(target, { withFileTypes: true })) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) await chownTree(full, uid, gid);
    else await chown(full, uid, gid);
  }
}

describe('an unreadable file or folder (permissions)', () => {
  let root: string;
  let folder: string;
  let home: string;
  const ownFolders = (): Record<string, string> => ({ HOME: home, TMPDIR: home, CACHE_DIR: path.join(home, 'cache'), DATA_DIR: path.join(home, 'data') });
  let probe: ProbeResult | undefined;
  let probeRun: Finished | undefined;
  /** Why the checks cannot run here, if they cannot. */
  let impossible: string | undefined;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'incident-desk-unreadable-'));
    folder = path.join(root, 'corpus');
    await cp(GOOD_CORPUS, folder, { recursive: true });
    // The children's home, temporary, cache and data folders (tsx keeps its cache in the temporary one), theirs to write.
    home = path.join(root, 'home');
    await mkdir(home);
    if (asRoot) {
      await chmod(root, 0o755);
      await chownTree(folder, NOBODY, NOBODY);
      await chown(home, NOBODY, NOBODY);
    }
    try {
      probeRun = await runToEnd(TSX, [path.join(REPO_ROOT, 'tests/reliability/support/unreadable-probe.ts'), folder], {
        env: childEnv(ownFolders()),
        ...identity,
        timeoutMs: 60_000,
      });
    } catch (error) {
      // spawn() refuses to switch users without CAP_SETUID/CAP_SETGID (a root without capabilities).
      impossible = `cannot run a child process as an unprivileged user here: ${(error as Error).message}`;
      return;
    }
    const line = probeRun.stdout.trim().split('\n').at(-1) ?? '';
    probe = line.startsWith('{') ? (JSON.parse(line) as ProbeResult) : undefined;
    if (probe && !probe.denied) impossible = `the file system does not deny reads to uid ${probe.uid} (chmod 000 had no effect)`;
  }, 90_000);

  afterAll(async () => {
    if (!folder) return;
    await chmod(path.join(folder, 'documents', 'locked-folder'), 0o755).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('reload: reported as "permission denied" for the file and the folder; the previous corpus keeps serving', (context) => {
    if (impossible) return context.skip(impossible);
    expect(probe, `probe output:\n${probeRun?.stdout}\n${probeRun?.stderr}`).toBeDefined();
    if (asRoot) expect(probe!.uid).toBe(NOBODY);
    expect(probe!.outcome.ok).toBe(false);
    if (probe!.outcome.ok) return;
    expect(probe!.outcome.problems).toEqual(
      expect.arrayContaining([
        { file: 'documents/locked.txt', message: 'cannot be read: permission denied' },
        { file: 'documents/locked-folder', message: 'cannot be read: permission denied' },
      ]),
    );
    expect(probe!.sameSnapshot).toBe(true);
    expect(probe!.sameAnswers).toBe(true);
  });

  it('start-up: Library.load throws a CorpusError naming both', (context) => {
    if (impossible) return context.skip(impossible);
    expect(typeof probe!.startup).toBe('object');
    const startup = probe!.startup as { problems: CorpusProblem[]; message: string };
    expect(startup.message).toContain('  - documents/locked.txt: cannot be read: permission denied');
    expect(startup.message).toContain('  - documents/locked-folder: cannot be read: permission denied');
  });

  it('start-up: the real console process exits 1 with that clear error, no stack trace', async (context) => {
    if (impossible) return context.skip(impossible);
    const { code, stdout, stderr } = await runToEnd(TSX, [CONSOLE_MAIN], {
      env: childEnv({ CORPUS_DIR: folder, ...ownFolders() }),
      ...identity,
      timeoutMs: 60_000,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^corpus: 2 problems stopped the load:\n/);
    expect(stderr).toContain('  - documents/locked.txt: cannot be read: permission denied');
    expect(stderr).toContain('  - documents/locked-folder: cannot be read: permission denied');
    expect(stderr).not.toMatch(/^\s+at .+:\d+/m);
  }, 90_000);
});
