/**
 * What the question log and the server settings need of a database, met by two engines: SQLite in a file
 * (`sqlite-backend.ts`, the default) and PostgreSQL shared by every process (`postgres-backend.ts`, with
 * `DATABASE_URL`). Statements are written once, with `?` placeholders, in the SQL both engines accept.
 */

/** A value bound to a `?`: undefined is stored as NULL. */
export type SqlValue = string | number | null | undefined;

export interface Queries {
  /** The rows a statement returns; integers come back as numbers on both engines. */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement; resolves with how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** A recorded question's row, as `questions` holds it (the id is the engine's to give). */
export interface QuestionRow {
  readonly askedAt: number;
  readonly guildId: string | null;
  readonly question: string;
  readonly groupKey: string;
  readonly outcome: string;
  readonly confidence: number;
  readonly corpusVersion: string;
  readonly passageId: string | null;
  readonly quote: string | null;
}

export interface Backend extends Queries {
  readonly engine: 'sqlite' | 'postgres';
  /** Where the store is, for messages: the file, or the server and database (never the password). */
  readonly where: string;
  /** Why the store cannot be used right now (one line, naming the file or `DATABASE_URL`), or undefined. */
  readonly problem: string | undefined;
  /** Runs `work` in one transaction, which holds the write lock from its start (SQLite: IMMEDIATE). */
  transaction<T>(work: (tx: Queries) => Promise<T>): Promise<T>;
  /**
   * Records a question; resolves with its id, or undefined when it could not be. SQLite writes it before
   * resolving; PostgreSQL resolves at once with an id reserved beforehand and writes it in the background, so the
   * write is never on `/ask`'s reply path ({@link flush} waits for it).
   */
  appendQuestion(row: QuestionRow): Promise<number | undefined>;
  /** Resolves once every question appended so far is written, or could not be. */
  flush(): Promise<void>;
  /** Starts the engine's own upkeep, keeping no process alive; returns a function that stops it. */
  upkeep(): () => void;
  close(): Promise<void>;
}
