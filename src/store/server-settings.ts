import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './database.js';
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
 * Each server's conversation setting, kept in the store's file (`DATA_DIR/questions.sqlite`, table
 * `conversation_settings`) so every process sharing the file sees a moderator's change at once; servers that never
 * chose one get the environment's default (`CONVERSATION_ANSWERS`). Holds server and channel ids only. Like the
 * question log, a file that cannot be used costs the setting, not the answers: the default applies, and a change
 * says it could not be saved. No method throws.
 */
export class ServerSettings {
  private db: Database.Database | undefined;
  private problem: string | undefined;
  private opened = false;
  private readonly clock: () => number;
  private readonly onError: (line: string, error: unknown) => void;

  private constructor(
    readonly file: string,
    private readonly fallback: ConversationSetting,
    options: Options,
  ) {
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? (() => undefined);
  }

  /** The settings kept under `dataDir`; the file is opened when first needed. */
  static open(dataDir: string, fallback: ConversationSetting, options: Options = {}): ServerSettings {
    return new ServerSettings(path.resolve(dataDir, QUESTION_LOG_DEFAULTS.fileName), fallback, options);
  }

  /** A server's setting, or the default when it chose none (or the file cannot be read). */
  conversation(guildId: string): ConversationSetting {
    const row = this.guard('could not read a server setting', () =>
      this.connection()
        ?.prepare('SELECT mode, channel_ids AS channelIds FROM conversation_settings WHERE guild_id = ?')
        .get(guildId) as { mode: ConversationSetting['mode']; channelIds: string } | undefined,
    );
    if (!row) return this.fallback;
    return row.mode === 'channels' ? { mode: 'channels', channelIds: row.channelIds.split(',').filter(Boolean) } : { mode: row.mode };
  }

  /** Saves a server's setting; false when the file cannot be written (the reason is logged and in {@link unavailable}). */
  setConversation(guildId: string, setting: ConversationSetting): boolean {
    const channelIds = setting.mode === 'channels' ? setting.channelIds.join(',') : '';
    const saved = this.guard('could not save a server setting', () => {
      const db = this.connection();
      if (!db) return false;
      db.prepare(
        `INSERT INTO conversation_settings (guild_id, mode, channel_ids, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET mode = excluded.mode, channel_ids = excluded.channel_ids, updated_at = excluded.updated_at`,
      ).run(guildId, setting.mode, channelIds, this.clock());
      return true;
    });
    return saved ?? false;
  }

  /** Why settings cannot be kept (the file named), or undefined while they can. */
  get unavailable(): string | undefined {
    this.connection();
    return this.problem;
  }

  close(): void {
    if (this.db?.open) this.db.close();
  }

  private connection(): Database.Database | undefined {
    if (!this.opened) {
      this.opened = true;
      try {
        this.db = openDatabase(this.file);
      } catch (error) {
        this.problem = (error as Error).message;
      }
    }
    return this.db;
  }

  private guard<T>(what: string, work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.onError(`store: ${what} in ${this.file}: ${(error as Error).message}`, error);
      return undefined;
    }
  }
}
