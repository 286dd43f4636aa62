import { hostname } from 'node:os';
import { describeProblem } from '../corpus/errors.js';
import { corpusVersion } from '../library/corpus-version.js';
import type { Library } from '../library/library.js';

/** How one other process took a reload: whether it now serves the version the moderator's process loaded. */
export interface PeerReport {
  /** Which process: its role, host and pid (`shard 1 on desk-2 pid 4242`). */
  readonly process: string;
  readonly ok: boolean;
  /** The corpus version it serves now, when it answered. */
  readonly version?: string | undefined;
  /** Why it does not serve the expected version, in a line for the moderator. */
  readonly problem?: string | undefined;
}

/**
 * The other processes serving the same bot (shards, replicas, other hosts). `/reload` reloads its own process
 * first; when that succeeds it asks its peers to reload and to end up serving the same corpus version.
 */
export interface Peers {
  /** Asks every other process to reload; resolves with how each took it once all answered or the wait ran out. */
  reload(version: string): Promise<readonly PeerReport[]>;
}

/** What a moderator's `/reload` learns about the other processes. */
export interface FleetReload {
  /** The version the moderator's process serves now. */
  readonly version: string;
  readonly peers: readonly PeerReport[];
}

/** How long a reload waits for the other processes to answer before naming those that did not. */
export const PEER_ANSWER_TIMEOUT_MS = 15_000;

/** Problems listed in a peer's refusal; the moderator can reload that process's folder for the full list. */
const PROBLEMS_SHOWN = 3;

/** `shard 0 on desk-1 pid 4242`: a process as moderators and logs name it (no user data in it). */
export function describeProcess(role: string): string {
  return `${role} on ${hostname()} pid ${process.pid}`;
}

/** Reloads this process at another's request and says whether it now serves `expected`. */
export async function reloadAsPeer(library: Library, label: string, expected: string): Promise<PeerReport> {
  const outcome = await library.reload();
  const version = await corpusVersion(library.current.engine.corpus);
  if (!outcome.ok) {
    const shown = outcome.problems.slice(0, PROBLEMS_SHOWN).map(describeProblem);
    const more = outcome.problems.length > PROBLEMS_SHOWN ? `; and ${outcome.problems.length - PROBLEMS_SHOWN} more` : '';
    return { process: label, ok: false, version, problem: `refused its corpus folder (still serving ${version}): ${shown.join('; ')}${more}` };
  }
  if (version !== expected) {
    return { process: label, ok: false, version, problem: `reloaded, but serves ${version}: its corpus folder differs from the moderator's` };
  }
  return { process: label, ok: true, version };
}
