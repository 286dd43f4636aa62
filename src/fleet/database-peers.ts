/**
 * Reload propagation through PostgreSQL (`DATABASE_URL`): every process keeps one connection that `LISTEN`s on a
 * channel, named by its `application_name`; a moderator's process `NOTIFY`s a request there and waits for each
 * live listener's answer. The server itself knows who is live (`pg_stat_activity`): a process that stopped, even
 * by kill -9, leaves the list when its connection closes, so there is no heartbeat to keep.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import * as z from 'zod';
import type { Library } from '../library/library.js';
import { describeServer } from '../store/postgres-backend.js';
import { PEER_ANSWER_TIMEOUT_MS, reloadAsPeer, type PeerReport, type Peers } from './peers.js';

/** Defaults for {@link DatabasePeers.join}. */
export const DATABASE_PEERS_DEFAULTS = {
  channel: 'incident_desk_reload',
  /** Marks the listening connections in `pg_stat_activity`; the process's label follows it. */
  applicationPrefix: 'incident-desk: ',
  answerTimeoutMs: PEER_ANSWER_TIMEOUT_MS,
  retryFirstMs: 500,
  retryMaxMs: 30_000,
  /** A refusal's problems are cut to this many characters: a notification carries at most 8000 bytes. */
  maxProblemChars: 1_500,
} as const;

type Defaults = { readonly [K in keyof typeof DATABASE_PEERS_DEFAULTS]: (typeof DATABASE_PEERS_DEFAULTS)[K] extends number ? number : string };

const messageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('request'), id: z.string(), version: z.string() }),
  z.object({
    kind: z.literal('answer'),
    request: z.string(),
    report: z.object({ process: z.string(), ok: z.boolean(), version: z.string().optional(), problem: z.string().optional() }),
  }),
]);
type Message = z.infer<typeof messageSchema>;

interface Waiting {
  readonly id: string;
  readonly answers: Map<number, PeerReport>;
  readonly expected: ReadonlySet<number>;
  readonly done: () => void;
}

/** This process's place among the processes sharing one PostgreSQL database: answers their reloads, asks for its own. */
export class DatabasePeers implements Peers {
  private client: pg.Client | undefined;
  private backendPid: number | undefined;
  private down: string | undefined;
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private left = false;
  /** Until the first connection, the store's own line says the database is away: this one stays quiet. */
  private everConnected = false;
  private answering: Promise<unknown> = Promise.resolve();
  private waiting: Waiting | undefined;

  private constructor(
    private readonly url: string,
    private readonly library: Library,
    private readonly label: string,
    private readonly settings: Defaults,
    private readonly log: (line: string) => void,
  ) {
    this.retryMs = settings.retryFirstMs;
  }

  /**
   * Starts listening. Never throws for the server: while it is away, a reload here says the others were not
   * reached, and the connection is retried with back-off; once back, this process re-reads its corpus, in case it
   * missed a reload meanwhile.
   */
  static async join(url: string, library: Library, label: string, log: (line: string) => void, settings: Partial<Defaults> = {}): Promise<DatabasePeers> {
    const peers = new DatabasePeers(url, library, label, { ...DATABASE_PEERS_DEFAULTS, ...settings }, log);
    await peers.connect(false);
    return peers;
  }

  async reload(version: string): Promise<readonly PeerReport[]> {
    const client = this.client;
    if (!client || this.down !== undefined) {
      return [{ process: `the processes sharing ${describeServer(this.url)}`, ok: false, problem: `not reached: ${this.down ?? 'not connected'}` }];
    }
    try {
      const { rows } = await client.query<{ pid: number; name: string }>(
        `SELECT pid, application_name AS name FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND starts_with(application_name, $1)`,
        [this.settings.applicationPrefix],
      );
      const labels = new Map(rows.map((row) => [row.pid, row.name.slice(this.settings.applicationPrefix.length)]));
      const id = randomBytes(8).toString('hex');
      const answers = new Map<number, PeerReport>();
      const all = new Promise<void>((resolve) => {
        this.waiting = { id, answers, expected: new Set(labels.keys()), done: resolve };
      });
      if (labels.size === 0) this.waiting?.done();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.settings.answerTimeoutMs)));
      await this.notify(client, { kind: 'request', id, version });
      await Promise.race([all, timeout]);
      clearTimeout(timer);
      this.waiting = undefined;
      return [...labels].map(([pid, name]) =>
        answers.get(pid) ?? { process: name, ok: false, problem: `no answer within ${this.settings.answerTimeoutMs / 1000} s` },
      );
    } catch (error) {
      this.waiting = undefined;
      return [{ process: `the processes sharing ${describeServer(this.url)}`, ok: false, problem: `not reached: ${(error as Error).message}` }];
    }
  }

  /** Stops listening; the other processes stop waiting for this one at once (its connection closes). */
  async leave(): Promise<void> {
    this.left = true;
    clearTimeout(this.retryTimer);
    await this.answering;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(again: boolean): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      // PostgreSQL keeps 63 bytes of it; a label cut short still names the process.
      application_name: `${this.settings.applicationPrefix}${this.label}`,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the connection closed')));
    client.on('notification', (notification) => this.received(notification));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.settings.channel}`);
      this.backendPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      this.client = client;
      if (this.down !== undefined && this.everConnected) this.log(`reload-sync: listening again on ${describeServer(this.url)}`);
      this.everConnected = true;
      this.down = undefined;
      this.retryMs = this.settings.retryFirstMs;
      // A reload may have been announced while this process was not listening: its corpus is read again.
      if (again) this.answering = this.answering.then(() => this.library.reload()).catch(() => undefined);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      const problem = `reload-sync: cannot listen on PostgreSQL at ${describeServer(this.url)} (DATABASE_URL): ${(error as Error).message}; reloads reach only this process until it can, retrying`;
      if (this.down !== problem && this.everConnected) this.log(problem);
      this.down = problem;
      this.retry();
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.left || client !== this.client) return;
    this.client = undefined;
    this.down = `reload-sync: lost the connection to PostgreSQL at ${describeServer(this.url)}: ${error.message}`;
    this.log(`${this.down}; reconnecting`);
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.retryMs = this.settings.retryFirstMs;
    this.retry();
  }

  private retry(): void {
    if (this.left || this.retryTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.settings.retryMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(true);
    }, wait).unref();
  }

  private received(notification: pg.Notification): void {
    let message: Message;
    try {
      message = messageSchema.parse(JSON.parse(notification.payload ?? ''));
    } catch {
      return; // Not ours (another program on the channel, or a newer bot's message): nothing to do.
    }
    if (message.kind === 'answer') {
      const waiting = this.waiting;
      if (!waiting || message.request !== waiting.id || !waiting.expected.has(notification.processId)) return;
      waiting.answers.set(notification.processId, message.report);
      if (waiting.answers.size === waiting.expected.size) waiting.done();
      return;
    }
    if (notification.processId === this.backendPid) return;
    // One reload at a time: a request during a reload is answered after it.
    this.answering = this.answering.then(async () => {
      const report = await reloadAsPeer(this.library, this.label, message.version);
      const problem = report.problem && report.problem.length > this.settings.maxProblemChars ? `${report.problem.slice(0, this.settings.maxProblemChars)}…` : report.problem;
      const client = this.client;
      if (client) await this.notify(client, { kind: 'answer', request: message.id, report: { ...report, problem } }).catch(() => undefined);
    });
  }

  private async notify(client: pg.Client, message: Message): Promise<void> {
    await client.query('SELECT pg_notify($1, $2)', [this.settings.channel, JSON.stringify(message)]);
  }
}
