/**
 * The two store engines the store's tests run against: the SQLite file under a temporary folder, and a fresh
 * database on the run's real PostgreSQL server (`tests/support/postgres.ts`). Each test gets a store of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Backend } from '../../../src/store/backend.js';
import { SqliteBackend } from '../../../src/store/database.js';
import { PostgresBackend } from '../../../src/store/postgres-backend.js';
import { QUESTION_LOG_DEFAULTS, QuestionLog, type QuestionLogSettings } from '../../../src/store/question-log.js';
import { ServerSettings, type ConversationSetting } from '../../../src/store/server-settings.js';
import { TEST_POSTGRES_VARIABLE } from '../../support/postgres.js';
import { freshDatabase } from '../../support/postgres-server.js';

type LogOptions = Parameters<typeof QuestionLog.open>[1];

/** One store for one test: logs and settings opened on it see each other's writes, as processes sharing it do. */
export interface StoreUnderTest {
  openLog(settings?: Partial<Omit<QuestionLogSettings, 'dataDir'>>, options?: LogOptions): Promise<QuestionLog>;
  openSettings(fallback: ConversationSetting): Promise<ServerSettings>;
  /** Every row of every table, as JSON text: what a person reading the store would see. */
  everything(): Promise<string>;
  /** A raw connection to the store, for what the bot never does (lowering the schema version). */
  raw(): Promise<Backend>;
  close(): Promise<void>;
}

export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  create(): Promise<StoreUnderTest>;
}

const TABLES = ['meta', 'questions', 'votes', 'conversation_settings'];

async function dump(backend: Backend): Promise<string> {
  const tables = await Promise.all(TABLES.map((table) => backend.all(`SELECT * FROM ${table}`)));
  return JSON.stringify(tables);
}

export const sqliteEngine: Engine = {
  name: 'sqlite',
  async create() {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'incident-desk-store-'));
    const opened: { close(): Promise<void> }[] = [];
    const file = path.join(dataDir, QUESTION_LOG_DEFAULTS.fileName);
    return {
      openLog(settings = {}, options = {}) {
        const log = QuestionLog.open({ dataDir, record: true, retentionDays: 90, ...settings }, options);
        opened.push(log);
        return Promise.resolve(log);
      },
      openSettings(fallback) {
        const settings = ServerSettings.open(dataDir, fallback);
        opened.push(settings);
        return Promise.resolve(settings);
      },
      async everything() {
        const backend = SqliteBackend.open(file);
        try {
          return await dump(backend);
        } finally {
          await backend.close();
        }
      },
      raw() {
        const backend = SqliteBackend.open(file);
        opened.push(backend);
        return Promise.resolve(backend);
      },
      async close() {
        for (const each of opened.splice(0)) await each.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** The run's PostgreSQL server, started by the suite's global set-up. */
export function testPostgresUrl(): string {
  const url = process.env[TEST_POSTGRES_VARIABLE];
  if (url === undefined) throw new Error(`tests: ${TEST_POSTGRES_VARIABLE} is not set: run the tests through vitest (tests/support/postgres.ts starts the server)`);
  return url;
}

export const postgresEngine: Engine = {
  name: 'postgres',
  async create() {
    const database = await freshDatabase(testPostgresUrl(), 'store');
    const backends: PostgresBackend[] = [];
    const opened: { close(): Promise<void> }[] = [];
    // Each log or settings gets a connection pool of its own, as each process has.
    const connect = async (): Promise<PostgresBackend> => {
      const backend = await PostgresBackend.connect(database.url);
      backends.push(backend);
      return backend;
    };
    return {
      async openLog(settings = {}, options = {}) {
        const log = QuestionLog.on(await connect(), { record: true, retentionDays: 90, ...settings }, options);
        opened.push(log);
        return log;
      },
      async openSettings(fallback) {
        return ServerSettings.on(await connect(), fallback);
      },
      everything: async () => dump(await connect()),
      raw: connect,
      async close() {
        for (const each of opened.splice(0)) await each.close();
        for (const backend of backends.splice(0)) await backend.close();
        await database.drop();
      },
    };
  },
};

export const ENGINES: readonly Engine[] = [sqliteEngine, postgresEngine];
