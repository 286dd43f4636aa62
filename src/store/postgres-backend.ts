import pg from 'pg';
import type { Backend, QuestionRow, Queries, SqlValue } from './backend.js';
import { StoreError } from './database.js';
import { MIGRATIONS } from './schema.js';

/** Defaults for {@link PostgresBackend}: pool, time-outs, back-off, and the background writes of questions. */
export const POSTGRES_DEFAULTS = {
  /** Connections per process: `/ask` writes in batches and `/gaps` is rare, so a few suffice. */
  poolSize: 4,
  connectTimeoutMs: 5_000,
  /** Reconnection back-off: the first wait, doubled after each failure up to the last. */
  retryFirstMs: 500,
  retryMaxMs: 30_000,
  /** The wait between tries while the server refuses the credentials or the database (a person must act). */
  refusedRetryMs: 60_000,
  /** Questions written in one INSERT. */
  batchRows: 500,
  /** Questions waiting for the server at most; past that a question is not recorded (the log says so). */
  maxPending: 10_000,
  /** Ids reserved at a time: the `question_ids` sequence's increment (migration 1). */
  idBlock: 64,
} as const;

/** The advisory lock key migrations run under, so two processes starting together apply each migration once. */
const MIGRATION_LOCK = 7_420_020;

/** Integers (BIGINT, COUNT) as numbers: ids and times stay below 2^53. */
const WHOLE_NUMBERS: ReadonlySet<number> = new Set([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text') => (WHOLE_NUMBERS.has(oid) ? Number : (pg.types.getTypeParser(oid, format) as (value: string) => unknown))) as typeof pg.types.getTypeParser,
};

/** Settings as {@link POSTGRES_DEFAULTS} has them, any value allowed (the tests shorten the waits). */
type Settings = { readonly [K in keyof typeof POSTGRES_DEFAULTS]: number };

interface Options {
  /** Told one line when the store becomes unusable, and when it is usable again. Never given the password. */
  readonly log?: (line: string) => void;
  readonly defaults?: Partial<Settings>;
}

/** A pending question and its reserved id. */
type PendingRow = QuestionRow & { readonly id: number };

/**
 * The PostgreSQL engine: one database for every process on every host (`DATABASE_URL`). Never throws for the
 * server: while it is unreachable, or refuses the credentials or the database, {@link problem} says why in one
 * line and the bot records nothing, and it reconnects with back-off. A question's id is reserved beforehand and its
 * row written in the background, in batches; a vote (or anything awaited) is acknowledged only once committed.
 */
export class PostgresBackend implements Backend {
  readonly engine = 'postgres';
  readonly where: string;
  private readonly pool: pg.Pool;
  private readonly settings: Settings;
  private readonly log: (line: string) => void;
  private down: string | undefined = 'store: not connected yet';
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private ids = { next: 0, end: 0 };
  private reserving: Promise<void> | undefined;
  private pending: PendingRow[] = [];
  private writing: Promise<void> | undefined;

  private constructor(url: string, options: Options) {
    this.settings = { ...POSTGRES_DEFAULTS, ...options.defaults };
    this.log = options.log ?? (() => undefined);
    this.retryMs = this.settings.retryFirstMs;
    this.where = describeServer(url);
    this.pool = new pg.Pool({
      connectionString: url,
      max: this.settings.poolSize,
      connectionTimeoutMillis: this.settings.connectTimeoutMs,
      application_name: 'incident-desk store',
      types: TYPES,
    });
    // An idle connection the server dropped: the next query finds out too, this only keeps the process alive.
    this.pool.on('error', (error) => this.lost(error));
  }

  /**
   * Connects to `url` and brings the schema up to date, trying once before resolving: when that fails, the
   * backend is returned degraded, its {@link problem} logged, and retried in the background.
   */
  static async connect(url: string, options: Options = {}): Promise<PostgresBackend> {
    const backend = new PostgresBackend(url, options);
    await backend.reconnect();
    return backend;
  }

  get problem(): string | undefined {
    return this.down;
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await this.query(this.pool, sql, params)).rows as Row[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(this.pool, sql, params)).rowCount ?? 0;
  }

  async transaction<T>(work: (tx: Queries) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw this.lost(error);
    });
    // A connection cut while checked out is reported here (the pool listens only to idle ones); the query fails too.
    const onError = (error: Error): void => void this.lost(error);
    client.on('error', onError);
    let broken: unknown;
    try {
      const tx: Queries = {
        all: async <Row>(sql: string, params: readonly SqlValue[] = []) => (await this.query(client, sql, params)).rows as Row[],
        run: async (sql, params = []) => (await this.query(client, sql, params)).rowCount ?? 0,
      };
      await this.query(client, 'BEGIN');
      try {
        const result = await work(tx);
        await this.query(client, 'COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      }
    } finally {
      client.off('error', onError);
      client.release(broken !== undefined);
    }
  }

  async appendQuestion(row: QuestionRow): Promise<number | undefined> {
    // The block ran out before the next one came (a burst): this one question waits a round trip for it.
    if (this.down === undefined && this.ids.next >= this.ids.end) await this.reserveIds();
    if (this.down !== undefined || this.ids.next >= this.ids.end || this.pending.length >= this.settings.maxPending) return undefined;
    const id = this.ids.next++;
    // Half the block used: the next one is reserved before this one runs out.
    if (this.ids.end - this.ids.next < this.settings.idBlock / 2) void this.reserveIds();
    this.pending.push({ ...row, id });
    this.writing ??= this.writePending();
    return id;
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Nothing to do: PostgreSQL runs its own upkeep (autovacuum); pruning is the question log's. */
  upkeep(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.flush();
    await this.pool.end();
  }

  /** Writes the pending questions in batches until none is left; on a lost connection they wait for the next one. */
  private async writePending(): Promise<void> {
    try {
      while (this.pending.length > 0 && this.down === undefined) {
        const batch = this.pending.slice(0, this.settings.batchRows);
        const values = batch.map((_, index) => `(${Array.from({ length: 10 }, (_unused, column) => `$${index * 10 + column + 1}`).join(', ')})`);
        try {
          await this.query(
            this.pool,
            `INSERT INTO questions (id, asked_at, guild_id, question, group_key, outcome, confidence, corpus_version, passage_id, quote)
             VALUES ${values.join(', ')} ON CONFLICT (id) DO NOTHING`,
            batch.flatMap((row) => [row.id, row.askedAt, row.guildId, row.question, row.groupKey, row.outcome, row.confidence, row.corpusVersion, row.passageId, row.quote]),
            true,
          );
          this.pending.splice(0, batch.length);
        } catch (error) {
          if (this.down !== undefined) return;
          // Refused by the server itself (not the connection): retrying would fail the same way.
          this.log(`store: could not record ${batch.length} question(s) in ${this.where}: ${firstLine(error)}`);
          this.pending.splice(0, batch.length);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  private reserveIds(): Promise<void> {
    if (this.down !== undefined) return Promise.resolve();
    this.reserving ??= (async () => {
      try {
        const [row] = (await this.query(this.pool, "SELECT nextval('question_ids') AS start")).rows as { start: number }[];
        this.ids = { next: row!.start, end: row!.start + this.settings.idBlock };
      } catch {
        // Reported by query(); a question meanwhile goes unrecorded.
      } finally {
        this.reserving = undefined;
      }
    })();
    return this.reserving;
  }

  /** One statement; a lost connection marks the store down (and reconnects) before the error goes on. */
  private async query(client: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[] = [], numbered = false): Promise<pg.QueryResult> {
    try {
      return await client.query(numbered ? sql : numberPlaceholders(sql), params.map((value) => value ?? null));
    } catch (error) {
      if (isConnectionError(error)) throw this.lost(error);
      throw error;
    }
  }

  /** The store is unreachable: say so once, and reconnect with back-off. Returns the error to throw. */
  private lost(error: unknown): Error {
    if (this.down === undefined && !this.closed) {
      this.down = `store: lost the connection to PostgreSQL at ${this.where} (DATABASE_URL): ${firstLine(error)}; reconnecting, and recording nothing meanwhile`;
      this.log(this.down);
      this.retryMs = this.settings.retryFirstMs;
      this.scheduleRetry();
    }
    return new StoreError(this.down ?? firstLine(error));
  }

  private scheduleRetry(wait = this.retryMs): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.reconnect();
    }, wait).unref();
  }

  /** Connects and migrates; on failure, records why (logging it when it changed) and tries again later. */
  private reconnect(): Promise<void> {
    this.connecting ??= (async () => {
      const before = this.down;
      try {
        await this.migrate();
        this.down = undefined;
        this.retryMs = this.settings.retryFirstMs;
        await this.reserveIds();
        if (before !== undefined && before !== 'store: not connected yet') this.log(`store: connected again to PostgreSQL at ${this.where}; recording`);
        if (this.pending.length > 0) this.writing ??= this.writePending();
      } catch (error) {
        const refused = refusal(error);
        this.down = refused ?? (error instanceof StoreError ? error.message : `store: PostgreSQL at ${this.where} (DATABASE_URL) is unreachable: ${firstLine(error)}; answering with recording off, retrying with back-off`);
        if (this.down !== before) this.log(this.down);
        const wait = refused || error instanceof StoreError ? this.settings.refusedRetryMs : this.retryMs;
        this.retryMs = Math.min(this.retryMs * 2, this.settings.retryMaxMs);
        this.scheduleRetry(wait);
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  /** Applies the missing migrations in one transaction under an advisory lock: a second process waits, then finds none. */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    const onError = (): void => undefined; // The failing query reports it.
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
        const version = rows[0]?.version ?? 0;
        if (version > MIGRATIONS.length) {
          throw new StoreError(
            `store: the database at ${this.where} (DATABASE_URL) has schema version ${version}, newer than this bot's ${MIGRATIONS.length}: run a newer incident-desk, or point DATABASE_URL elsewhere`,
          );
        }
        for (const migration of MIGRATIONS.slice(version)) await client.query(migration.postgres);
        if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES ($1)', [MIGRATIONS.length]);
        else await client.query('UPDATE schema_version SET version = $1', [MIGRATIONS.length]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      client.off('error', onError);
      client.release();
    }
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the statements here hold no `?` inside quotes). */
function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** `db.example.com:5432/incident_desk`: where the store is, without the user or password. */
export function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the server in DATABASE_URL';
  }
}

/** Connection-level failures (the server gone, the network down), as opposed to a statement the server refused. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^(08|57P0[123])/.test(code)) return true;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded|Client has encountered a connection error|not queryable/i.test(error instanceof Error ? error.message : '');
}

/** The server refusing the credentials or the database: a line naming `DATABASE_URL` and what to fix, or undefined. */
function refusal(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  const message = firstLine(error);
  if (code === '28P01' || code === '28000') return `store: PostgreSQL refused the user or password in DATABASE_URL (${message}): fix DATABASE_URL; recording is off until then`;
  if (code === '3D000') return `store: the database named in DATABASE_URL does not exist (${message}): create it (createdb) or fix DATABASE_URL; recording is off until then`;
  if (code === '42501') return `store: the user in DATABASE_URL may not create the store's tables (${message}): grant it CREATE on the database; recording is off until then`;
  return undefined;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
  return text.split('\n')[0]!;
}
