import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { corpusVersion } from '../../src/library/corpus-version.js';
import { Library } from '../../src/library/library.js';
import { SyncFolder, type SyncFolderOptions } from '../../src/fleet/sync-folder.js';
import { copyBundledCorpus, makeTempDir, removeTempDirs, SMALL_DOCUMENT, writeCorpus } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

const FAST: SyncFolderOptions = { pollMs: 50, heartbeatMs: 200, staleMs: 2_000, answerTimeoutMs: 2_000 };
const FLOOD_QUESTION = 'How many families were evacuated?';

const joined: SyncFolder[] = [];
afterEach(async () => {
  await Promise.all(joined.splice(0).map((folder) => folder.leave()));
});

/** A process as the sync folder sees it: its library and its membership. */
async function member(sync: string, corpus: string, label: string, options = FAST): Promise<{ library: Library; folder: SyncFolder }> {
  const library = await Library.load(corpus);
  const folder = await SyncFolder.join(sync, library, label, options);
  joined.push(folder);
  return { library, folder };
}

/** What a moderator's process does: reloads itself, then asks the others for the version it now serves. */
async function reloadFrom(process: { library: Library; folder: SyncFolder }) {
  const outcome = await process.library.reload();
  expect(outcome.ok).toBe(true);
  const version = await corpusVersion(process.library.current.engine.corpus);
  return { version, peers: await process.folder.reload(version) };
}

describe('SyncFolder', () => {
  it('makes every process sharing the folder serve the corpus one of them reloaded, each reporting the same version', async () => {
    const sync = await makeTempDir();
    const corpus = await copyBundledCorpus();
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((label) => member(sync, corpus, label)));
    await writeCorpus(corpus, { documents: { 'flood.txt': SMALL_DOCUMENT } });

    const { version, peers } = await reloadFrom(a!);

    expect(peers.map((peer) => peer.process).sort()).toEqual(['b', 'c']);
    expect(peers.every((peer) => peer.ok && peer.version === version)).toBe(true);
    for (const other of [b!, c!]) {
      expect((await other.library.current.engine.answer(FLOOD_QUESTION)).answered).toBe(true);
      expect(await corpusVersion(other.library.current.engine.corpus)).toBe(version);
    }
  });

  it('names a process whose own corpus folder is refused, with the file and problem, while it keeps its old corpus', async () => {
    const sync = await makeTempDir();
    const [shared, separate] = await Promise.all([copyBundledCorpus(), copyBundledCorpus()]);
    const a = await member(sync, shared, 'replica a');
    const b = await member(sync, separate, 'replica b');
    const before = await corpusVersion(b.library.current.engine.corpus);
    await writeCorpus(separate, { documents: { 'broken.txt': 'no front matter\n' } });

    const { peers } = await reloadFrom(a);

    expect(peers).toEqual([
      { process: 'replica b', ok: false, version: before, problem: expect.stringMatching(/^refused its corpus folder \(still serving \w+\): documents\/broken\.txt: line 1: /) },
    ]);
  });

  it('says when a process reloaded but serves another version, as when its folder is not the shared one', async () => {
    const sync = await makeTempDir();
    const [shared, separate] = await Promise.all([copyBundledCorpus(), copyBundledCorpus()]);
    const a = await member(sync, shared, 'replica a');
    await member(sync, separate, 'replica b');
    await writeCorpus(shared, { documents: { 'flood.txt': SMALL_DOCUMENT } });

    const { version, peers } = await reloadFrom(a);

    expect(peers).toHaveLength(1);
    expect(peers[0]).toMatchObject({ process: 'replica b', ok: false, problem: expect.stringContaining("its corpus folder differs from the moderator's") });
    expect(peers[0]!.version).not.toBe(version);
  });

  it('names a live process that does not answer in time, and does not wait for one that stopped long ago', async () => {
    const sync = await makeTempDir();
    const a = await member(sync, await copyBundledCorpus(), 'replica a', { ...FAST, answerTimeoutMs: 300 });
    await mkdir(path.join(sync, 'members'), { recursive: true });
    const hung = path.join(sync, 'members', 'hung.json');
    const gone = path.join(sync, 'members', 'gone.json');
    await writeFile(hung, JSON.stringify({ label: 'replica hung', version: 'abc' }));
    await writeFile(gone, JSON.stringify({ label: 'replica gone', version: 'abc' }));
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(gone, longAgo, longAgo);

    const { peers } = await reloadFrom(a);

    expect(peers).toEqual([{ process: 'replica hung', ok: false, version: 'abc', problem: 'no answer within 0.3 s (still serving abc)' }]);
  });

  it('reports no peers when a process is alone in the folder, and forgets a process once it leaves', async () => {
    const sync = await makeTempDir();
    const corpus = await copyBundledCorpus();
    const a = await member(sync, corpus, 'a');
    const b = await member(sync, corpus, 'b');
    expect((await reloadFrom(a)).peers).toHaveLength(1);
    await b.folder.leave();
    expect((await reloadFrom(a)).peers).toEqual([]);
  });

  it('tells the moderator when the folder itself cannot be used, instead of failing the reload', async () => {
    const sync = await makeTempDir();
    const a = await member(sync, await copyBundledCorpus(), 'a');
    await rm(sync, { recursive: true, force: true });

    const { peers } = await reloadFrom(a);

    expect(peers).toEqual([{ process: `the processes sharing ${sync}`, ok: false, problem: expect.stringMatching(/^not reached: reload-sync: ENOENT/) }]);
  });
});
