import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Backend, QuestionRow, Queries, SqlValue } from './backend.js';
import { MIGRATIONS } from './schema.js';

/**
 * better-sqlite3, a native addon, is loaded when a file is first opened, not when this module is: the console
 * answers without ever opening the store (see `QuestionLog.open`), and loading the addon costs it about 10 ms.
 */
const requireHere = createRequire(import.meta.url);
let SqliteDatabase: typeof Database | undefined;

/** Raised when the store cannot be used; the message is one line naming the file, or `DATABASE_URL`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** How long a write waits for another process (a shard) holding the file's lock before giving up. */
const BUSY_TIMEOUT_MS = 5_000;

/** How often the write-ahead log is copied into the file (see {@link SqliteBackend.upkeep}). */
const CHECKPOINT_EVERY_MS = 30 * 1000;

/**
 * Opens (creating it if need be) the SQLite file at `file`, in WAL mode so several processes can share it, and
 * brings its schema up to date. Throws a {@link StoreError} naming the file when it is unwritable, locked,
 * corrupt or from a newer version of the bot.
 */
export function openDatabase(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
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

/**
 * The SQLite engine: one file, shared by the processes of one host. Every call runs synchronously underneath;
 * calls are taken one at a time, so no statement of another caller lands inside a transaction's awaits.
 */
export class SqliteBackend implements Backend {
  readonly engine = 'sqlite';
  readonly problem = undefined;
  private readonly statements = new Map<string, Database.Statement>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly where: string,
    private readonly db: Database.Database,
  ) {}

  /** Opens the file (see {@link openDatabase}); throws a {@link StoreError} naming it. */
  static open(file: string): SqliteBackend {
    return new SqliteBackend(file, openDatabase(file));
  }

  all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.inTurn(() => this.allNow<Row>(sql, params));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.inTurn(() => this.runNow(sql, params));
  }

  transaction<T>(work: (tx: Queries) => Promise<T>): Promise<T> {
    const tx: Queries = {
      all: <Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(this.allNow<Row>(sql, params)),
      run: (sql, params = []) => Promise.resolve(this.runNow(sql, params)),
    };
    return this.inTurn(async () => {
      this.db.prepare('BEGIN IMMEDIATE').run();
      try {
        const result = await work(tx);
        this.db.prepare('COMMIT').run();
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.prepare('ROLLBACK').run();
        throw error;
      }
    });
  }

  appendQuestion(row: QuestionRow): Promise<number | undefined> {
    return this.inTurn(() => {
      const result = this.statement(
        `INSERT INTO questions (asked_at, guild_id, question, group_key, outcome, confidence, corpus_version, passage_id, quote)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(row.askedAt, row.guildId, row.question, row.groupKey, row.outcome, row.confidence, row.corpusVersion, row.passageId, row.quote);
      return Number(result.lastInsertRowid);
    });
  }

  /** Nothing is pending: every write is in the file when its call resolves. */
  flush(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /**
   * Copies the write-ahead log into the file every 30 seconds, instead of SQLite doing it inside whichever write
   * fills the log, which held that one `/ask` up for milliseconds.
   */
  upkeep(): () => void {
    this.db.pragma('wal_autocheckpoint = 0');
    // PASSIVE: never waits for the other processes sharing the file; what it cannot copy now waits for next time.
    const timer = setInterval(() => {
      try {
        this.db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // A busy or failing checkpoint is retried on the next tick; the writes themselves report their errors.
      }
    }, CHECKPOINT_EVERY_MS).unref();
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.db.open) this.db.close();
  }

  private inTurn<T>(work: () => T | Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private allNow<Row>(sql: string, params: readonly SqlValue[]): Row[] {
    return this.statement(sql).all(...params.map(bound)) as Row[];
  }

  private runNow(sql: string, params: readonly SqlValue[]): number {
    return this.statement(sql).run(...params.map(bound)).changes;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function bound(value: SqlValue): string | number | null {
  return value ?? null;
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
    for (const migration of MIGRATIONS.slice(version)) db.exec(migration.sqlite);
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
