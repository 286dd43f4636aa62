import { randomBytes } from 'node:crypto';
import type { Client } from 'discord.js';
import type { Library } from '../library/library.js';
import { reloadAsPeer, type PeerReport, type Peers } from './peers.js';

/** The client property a broadcast evaluates: `broadcastEval` runs a function's source in each shard's client. */
const RELOAD_HOOK = 'incidentDeskReloadAsPeer';

type ReloadHook = (version: string, from: string) => Promise<PeerReport | null>;

/**
 * The other shards of this `ShardingManager`, reached through discord.js's own IPC (`broadcastEval`). Each shard
 * keeps a hook on its client that reloads its library; the shard a moderator used skips itself (it has reloaded).
 */
export function shardPeers(client: Client, library: Library, label: string, timeoutMs: number): Peers {
  const hook: ReloadHook = (version, from) => (from === label ? Promise.resolve(null) : reloadAsPeer(library, label, version));
  Object.defineProperty(client, RELOAD_HOOK, { value: hook });
  return {
    async reload(version) {
      const shard = client.shard;
      if (!shard) return [];
      // The nonce keeps two reloads apart: discord.js matches a broadcast's answer by its script text.
      const context = { hook: RELOAD_HOOK, version, from: label, nonce: randomBytes(6).toString('hex') };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      });
      try {
        const answers = await Promise.race([
          shard.broadcastEval((c, { hook, version, from }) => (c as unknown as Record<string, ReloadHook>)[hook]!(version, from), { context }),
          timeout,
        ]);
        return answers.filter((answer) => answer !== null);
      } catch (error) {
        // discord.js refuses the whole broadcast while a shard is down (e.g. being respawned).
        return [{ process: `the other shards of this manager`, ok: false, problem: `not reached: ${(error as Error).message}` }];
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
