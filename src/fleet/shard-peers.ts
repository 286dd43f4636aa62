import { randomBytes } from 'node:crypto';
import type { Client } from 'discord.js';
import type { Library } from '../library/library.js';
import { reloadAsPeer, type PeerReport, type Peers } from './peers.js';

/** The client property a broadcast evaluates: `broadcastEval` runs a function's source in each shard's client. */
const RELOAD_HOOK = 'incidentDeskReloadAsPeer';

/** One shard's answer: how it took the reload (null for the shard that asked), and which shards it runs. */
interface HookAnswer {
  readonly ids: readonly number[];
  readonly report: PeerReport | null;
}

type ReloadHook = (version: string, from: string) => Promise<HookAnswer>;

/**
 * The other shards of this `ShardingManager`, reached through discord.js's own IPC (`broadcastEval`). Each shard
 * keeps a hook on its client that reloads its library; the shard a moderator used skips itself (it has reloaded).
 * Shards of `SHARD_COUNT` that no shard of this manager runs (other hosts) are named as not reached: those need
 * `RELOAD_SYNC_DIR`.
 */
export function shardPeers(client: Client, library: Library, label: string, timeoutMs: number): Peers {
  const hook: ReloadHook = async (version, from) => ({
    ids: client.shard?.ids ?? [],
    report: from === label ? null : await reloadAsPeer(library, label, version),
  });
  Object.defineProperty(client, RELOAD_HOOK, { value: hook });
  return {
    async reload(version) {
      const shard = client.shard;
      if (!shard) return [];
      const others = Array.from({ length: shard.count }, (_, id) => id).filter((id) => !shard.ids.includes(id));
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
        const reached = new Set(answers.flatMap((answer) => answer.ids));
        const unreached = others
          .filter((id) => !reached.has(id))
          .map((id) => ({ process: `shard ${id}`, ok: false, problem: 'not reached: run by another ShardingManager (set RELOAD_SYNC_DIR on every host)' }));
        return [...answers.flatMap((answer) => (answer.report ? [answer.report] : [])), ...unreached];
      } catch (error) {
        // discord.js refuses the whole broadcast while a shard has no process, and one still starting never answers.
        return others.map((id) => ({ process: `shard ${id}`, ok: false, problem: `not reached: ${(error as Error).message}` }));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
