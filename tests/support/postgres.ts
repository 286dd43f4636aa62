/**
 * vitest global set-up: one real PostgreSQL server for the whole run (see `postgres-server.ts`), its URL in
 * `INCIDENT_DESK_TEST_POSTGRES` for the test files, which each make databases of their own on it. Stopped, and its
 * data folder removed, after the last test.
 */
import { startTestPostgres } from './postgres-server.js';

/** The variable the test files read the server's URL from. */
export const TEST_POSTGRES_VARIABLE = 'INCIDENT_DESK_TEST_POSTGRES';

export default async function startPostgres(): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  process.env[TEST_POSTGRES_VARIABLE] = server.url;
  return () => server.stop();
}
