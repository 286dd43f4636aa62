import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { MIGRATIONS } from './schema.js';

/**
 * better-sqlite3, a native addon, is loaded when a file is first opened, not when this module is: the console
 * answers without ever opening the store (see `QuestionLog.open`), and loading the addon costs it about 10 ms.
 */
const requireHere = createRequire(import.meta.url);
let SqliteDatabase: typeof Database | undefined;

/** Raised when the store's file cannot be used; the message is one line naming the file. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** How long a write waits for another process (a shard) holding the file's lock before giving up. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating it if need be) the SQLite file at `file`, in WAL mode so several processes can share it, and
 * brings its schema up to date. Throws a {@link StoreError} naming the file when it is unwritable, locked,
 * corrupt or from a newer version of the bot.
 */
export function openDatabase(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    SqliteDatabase ??= requireHere('better-sqlite3') as typeof Database;
    db = new SqliteDatabase(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last few records, which is fine here.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(`store: cannot use ${file}: ${describe(error)}`);
  }
}

/** Applies the missing migrations in one IMMEDIATE transaction, so two processes starting together apply each once. */
function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StoreError(
        `store: ${file} has schema version ${version}, newer than this bot's ${MIGRATIONS.length}: run a newer incident-desk, or point DATA_DIR elsewhere`,
      );
    }
    for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/** SQLite's and Node's errors, in words a person starting the bot can act on. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return `the file is corrupt or not a database (${message}): move it away to start afresh`;
  if (code === 'SQLITE_BUSY') return `the file is locked by another process (${message})`;
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'ENOTDIR' || code === 'EROFS' || code === 'EEXIST') {
    return `the file or its folder is not writable (${message}): check DATA_DIR`;
  }
  return message ?? String(error);
}
