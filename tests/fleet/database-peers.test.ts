import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabasePeers } from '../../src/fleet/database-peers.js';
import { corpusVersion } from '../../src/library/corpus-version.js';
import { Library } from '../../src/library/library.js';
import { copyBundledCorpus, removeTempDirs, SMALL_DOCUMENT, writeCorpus } from '../fixtures/corpus.js';
import { freshDatabase } from '../support/postgres-server.js';
import { testPostgresUrl } from '../store/support/engines.js';

afterAll(removeTempDirs);

const FLOOD_QUESTION = 'How many families were evacuated?';
const FAST = { answerTimeoutMs: 2_000, retryFirstMs: 100 };

let database: { url: string; drop: () => Promise<void> };
const joined: DatabasePeers[] = [];
const clients: pg.Client[] = [];
const logged: string[] = [];

beforeEach(async () => {
  database = await freshDatabase(testPostgresUrl(), 'peers');
});
afterEach(async () => {
  await Promise.all(joined.splice(0).map((peers) => peers.leave()));
  await Promise.all(clients.splice(0).map((client) => client.end()));
  logged.length = 0;
  await database.drop();
});

/** A process as the database sees it: its library and its listening connection. */
async function member(corpus: string, label: string, settings = FAST): Promise<{ library: Library; peers: DatabasePeers }> {
  const library = await Library.load(corpus);
  const peers = await DatabasePeers.join(database.url, library, label, (line) => logged.push(line), settings);
  joined.push(peers);
  return { library, peers };
}

/** What a moderator's process does: reloads itself, then asks the others for the version it now serves. */
async function reloadFrom(process: { library: Library; peers: DatabasePeers }) {
  expect((await process.library.reload()).ok).toBe(true);
  const version = await corpusVersion(process.library.current.engine.corpus);
  return { version, peers: await process.peers.reload(version) };
}

describe('DatabasePeers (LISTEN/NOTIFY on PostgreSQL)', () => {
  it('makes every process listening on the database serve the corpus one of them reloaded, each reporting its version', async () => {
    const corpus = await copyBundledCorpus();
    const [a, b, c] = await Promise.all(['replica a', 'replica b', 'gateway c'].map((label) => member(corpus, label)));
    await writeCorpus(corpus, { documents: { 'flood.txt': SMALL_DOCUMENT } });

    const { version, peers } = await reloadFrom(a!);

    expect(peers.map((peer) => peer.process).sort()).toEqual(['gateway c', 'replica b']);
    expect(peers.every((peer) => peer.ok && peer.version === version)).toBe(true);
    for (const other of [b!, c!]) expect((await other.library.current.engine.answer(FLOOD_QUESTION)).answered).toBe(true);
  });

  it('names a process whose corpus folder is refused, with the file and problem, while it keeps its old corpus', async () => {
    const [shared, separate] = await Promise.all([copyBundledCorpus(), copyBundledCorpus()]);
    const a = await member(shared, 'replica a');
    const b = await member(separate, 'replica b');
    const before = await corpusVersion(b.library.current.engine.corpus);
    await writeCorpus(separate, { documents: { 'broken.txt': 'no front matter\n' } });

    const { peers } = await reloadFrom(a);

    expect(peers).toEqual([
      { process: 'replica b', ok: false, version: before, problem: expect.stringMatching(/^refused its corpus folder \(still serving \w+\): documents\/broken\.txt: line 1: /) },
    ]);
  });

  it('names a live process that does not answer within the wait, and forgets one whose connection closed', async () => {
    const a = await member(await copyBundledCorpus(), 'replica a', { ...FAST, answerTimeoutMs: 300 });
    const hung = new pg.Client({ connectionString: database.url, application_name: 'incident-desk: replica hung' });
    clients.push(hung);
    await hung.connect();
    await hung.query('LISTEN incident_desk_reload');
    const gone = await member(await copyBundledCorpus(), 'replica gone');
    await gone.peers.leave();

    const { peers } = await reloadFrom(a);

    expect(peers).toEqual([{ process: 'replica hung', ok: false, problem: 'no answer within 0.3 s' }]);
  });

  it('reports no peers when a process is alone on the database', async () => {
    expect((await reloadFrom(await member(await copyBundledCorpus(), 'alone'))).peers).toEqual([]);
  });

  it('logs a lost connection once per process, and reaches the others again once they listen again', async () => {
    const corpus = await copyBundledCorpus();
    const a = await member(corpus, 'replica a');
    await member(corpus, 'replica b');
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    clients.push(admin);
    await admin.connect();
    // Ends every connection to the test database, as a server restart or a network cut does.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [new URL(database.url).pathname.slice(1)]);
    await expect.poll(() => logged.filter((line) => line.includes('lost the connection')).length).toBe(2);
    await expect.poll(async () => (await reloadFrom(a)).peers, { timeout: 10_000 }).toEqual([expect.objectContaining({ process: 'replica b', ok: true })]);
    expect(logged.filter((line) => line.includes('listening again'))).toHaveLength(2);
  });
});
