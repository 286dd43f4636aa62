import path from 'node:path';
import type { Backend } from './backend.js';
import { SqliteBackend } from './database.js';
import { QUESTION_LOG_DEFAULTS } from './question-log.js';

/** Where a server lets the bot answer in the conversation: every channel, none, or the channels listed. */
export type ConversationSetting =
  | { readonly mode: 'everywhere' }
  | { readonly mode: 'off' }
  | { readonly mode: 'channels'; readonly channelIds: readonly string[] };

/** At most this many channels in a server's list: a list is for a few question channels, not a whole server. */
export const MAX_CONVERSATION_CHANNELS = 25;

interface Options {
  readonly clock?: () => number;
  readonly onError?: (line: string, error: unknown) => void;
}

/**
 * Each server's conversation setting, kept in the store (table `conversation_settings`: the SQLite file
 * `DATA_DIR/questions.sqlite`, or the PostgreSQL database of `DATABASE_URL`) so every process sharing it sees a
 * moderator's change at once; servers that never chose one get the environment's default (`CONVERSATION_ANSWERS`).
 * Holds server and channel ids only. Like the question log, a store that cannot be used costs the setting, not the
 * answers: the default applies, and a change says it could not be saved. No method throws or rejects.
 */
export class ServerSettings {
  private readonly clock: () => number;
  private readonly onError: (line: string, error: unknown) => void;

  private constructor(
    private readonly where: string,
    private readonly fallback: ConversationSetting,
    private readonly connect: () => { backend: Backend | undefined; problem: string | undefined },
    private readonly closeStore: () => Promise<void>,
    options: Options,
  ) {
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? (() => undefined);
  }

  /** The settings kept in the SQLite file under `dataDir`, opened when first needed. */
  static open(dataDir: string, fallback: ConversationSetting, options: Options = {}): ServerSettings {
    const file = path.resolve(dataDir, QUESTION_LOG_DEFAULTS.fileName);
    let connection: { backend: Backend | undefined; problem: string | undefined } | undefined;
    const connect = () => {
      if (!connection) {
        try {
          connection = { backend: SqliteBackend.open(file), problem: undefined };
        } catch (error) {
          connection = { backend: undefined, problem: (error as Error).message };
        }
      }
      return connection;
    };
    return new ServerSettings(file, fallback, connect, () => connection?.backend?.close() ?? Promise.resolve(), options);
  }

  /** The settings in a store opened elsewhere (the PostgreSQL database of `DATABASE_URL`), which the caller closes. */
  static on(backend: Backend, fallback: ConversationSetting, options: Options = {}): ServerSettings {
    return new ServerSettings(backend.where, fallback, () => ({ backend, problem: backend.problem }), () => Promise.resolve(), options);
  }

  /** A server's setting, or the default when it chose none (or the store cannot be read). */
  async conversation(guildId: string): Promise<ConversationSetting> {
    const rows = await this.guard('could not read a server setting', (backend) =>
      backend.all<{ mode: ConversationSetting['mode']; channelIds: string }>('SELECT mode, channel_ids AS "channelIds" FROM conversation_settings WHERE guild_id = ?', [guildId]),
    );
    const row = rows?.[0];
    if (!row) return this.fallback;
    return row.mode === 'channels' ? { mode: 'channels', channelIds: row.channelIds.split(',').filter(Boolean) } : { mode: row.mode };
  }

  /** Saves a server's setting; false when the store cannot be written (the reason is logged and in {@link unavailable}). */
  async setConversation(guildId: string, setting: ConversationSetting): Promise<boolean> {
    const channelIds = setting.mode === 'channels' ? setting.channelIds.join(',') : '';
    const saved = await this.guard('could not save a server setting', (backend) =>
      backend.run(
        `INSERT INTO conversation_settings (guild_id, mode, channel_ids, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET mode = excluded.mode, channel_ids = excluded.channel_ids, updated_at = excluded.updated_at`,
        [guildId, setting.mode, channelIds, this.clock()],
      ),
    );
    return saved !== undefined;
  }

  /** Why settings cannot be kept (the file or `DATABASE_URL` named), or undefined while they can. */
  get unavailable(): string | undefined {
    return this.connect().problem;
  }

  /** Closes the SQLite file it opened; a shared store is the caller's to close. */
  close(): Promise<void> {
    return this.closeStore();
  }

  private async guard<T>(what: string, work: (backend: Backend) => Promise<T>): Promise<T | undefined> {
    const { backend, problem } = this.connect();
    if (!backend || problem !== undefined) return undefined;
    try {
      return await work(backend);
    } catch (error) {
      this.onError(`store: ${what} in ${this.where}: ${(error as Error).message}`, error);
      return undefined;
    }
  }
}
