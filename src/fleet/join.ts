import { ConfigError, type Config } from '../config/env.js';
import type { Library } from '../library/library.js';
import type { Peers } from './peers.js';

/** The other processes a reload reaches, and how this process leaves them when it stops. */
export type Fleet = Peers & { leave(): Promise<void> };

/**
 * How `/reload` reaches the other processes, from the environment: through the database of `DATABASE_URL`
 * (`LISTEN/NOTIFY`), through the shared folder `RELOAD_SYNC_DIR`, or neither (one process, or the shards of one
 * `start:sharded`, which use discord.js's IPC). Both set is refused: the processes would each reload twice.
 */
export async function joinFleet(config: Config, library: Library, label: string, log: (line: string) => void): Promise<Fleet | undefined> {
  if (config.DATABASE_URL !== undefined && config.RELOAD_SYNC_DIR !== undefined) {
    throw new ConfigError('config: DATABASE_URL and RELOAD_SYNC_DIR are both set: with DATABASE_URL a reload reaches every process through the database; unset RELOAD_SYNC_DIR');
  }
  if (config.DATABASE_URL !== undefined) {
    const { DatabasePeers } = await import('./database-peers.js');
    return DatabasePeers.join(config.DATABASE_URL, library, label, log);
  }
  if (config.RELOAD_SYNC_DIR !== undefined) {
    const { SyncFolder } = await import('./sync-folder.js');
    return SyncFolder.join(config.RELOAD_SYNC_DIR, library, label);
  }
  return undefined;
}
