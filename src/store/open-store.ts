import type { Config } from '../config/env.js';
import type { Logger } from '../discord/log.js';
import { StoreError } from './database.js';
import { QuestionLog } from './question-log.js';
import { ServerSettings } from './server-settings.js';

/** The store as the environment says: the question log and each server's settings, and how to close them. */
export interface OpenStore {
  readonly questions: QuestionLog;
  readonly settings: ServerSettings;
  /** Stops the upkeep, writes what is pending and closes the store. */
  close(): Promise<void>;
}

/** What a process that records nothing says instead (the console). */
export interface StoreOverride {
  readonly record: false;
  readonly notRecordingBecause: string;
}

/**
 * Opens the store: the PostgreSQL database of `DATABASE_URL` when it is set, else the SQLite file under
 * `DATA_DIR`; with the hourly upkeep unless `override` says the process records nothing. A store that cannot be
 * used costs the records, not the answers: one line says why, /help and /gaps show it, and a PostgreSQL server
 * that is away is reconnected to with back-off. Server settings fall back to `CONVERSATION_ANSWERS`.
 */
export async function openStore(config: Config, logger: Logger, override?: StoreOverride): Promise<OpenStore> {
  const logSettings = {
    record: override?.record ?? config.RECORD_QUESTIONS,
    retentionDays: config.QUESTION_RETENTION_DAYS,
    notRecordingBecause: override?.notRecordingBecause,
  };
  // A store error is its one line; anything else (a bug) keeps its stack.
  const onError = (line: string, error: unknown): void => logger.error(line, error instanceof StoreError ? undefined : error);
  const fallback = { mode: config.CONVERSATION_ANSWERS === 'on' ? 'everywhere' : 'off' } as const;
  let questions: QuestionLog;
  let settings: ServerSettings;
  let closeBackend = (): Promise<void> => Promise.resolve();
  if (config.DATABASE_URL !== undefined) {
    // The backend logs its own line when the server is away or refuses, and again when it is back.
    // Loaded only here: a process on the SQLite file never loads node-postgres.
    const { PostgresBackend } = await import('./postgres-backend.js');
    const backend = await PostgresBackend.connect(config.DATABASE_URL, { log: (line) => logger.error(line, undefined) });
    questions = QuestionLog.on(backend, logSettings, { onError });
    settings = ServerSettings.on(backend, fallback, { onError });
    closeBackend = () => backend.close();
  } else {
    questions = QuestionLog.open({ ...logSettings, dataDir: config.DATA_DIR }, { onError });
    settings = ServerSettings.open(config.DATA_DIR, fallback, { onError });
    if (logSettings.record && !questions.status.available) logger.error(`incident-desk: question recording is ${questions.status.text}`, undefined);
  }
  const stopUpkeep = logSettings.record ? questions.scheduleUpkeep() : () => undefined;
  return {
    questions,
    settings,
    close: async () => {
      stopUpkeep();
      await questions.close();
      await settings.close();
      await closeBackend();
    },
  };
}
