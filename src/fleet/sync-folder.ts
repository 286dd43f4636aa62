/**
 * Reload propagation through a shared folder (`RELOAD_SYNC_DIR`): no server, no port, nothing but files, so it
 * works between any processes that see the same folder — shards and HTTP replicas on one host, or on several
 * hosts through a network file system (docs/scaling.md).
 *
 *   request.json          the latest reload request: { id, version, from, at }
 *   members/<member>.json one per process: { label, version, answered: { request, ok, version, problem, at } }
 *
 * Each process touches its member file as a heartbeat and polls `request.json`; on a request from another
 * process it reloads and writes how that went into its member file, which the requesting process waits for.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { corpusVersion } from '../library/corpus-version.js';
import type { Library } from '../library/library.js';
import { PEER_ANSWER_TIMEOUT_MS, reloadAsPeer, type PeerReport, type Peers } from './peers.js';

export interface SyncFolderOptions {
  /** How often each process looks for a new request. */
  readonly pollMs: number;
  /** How often each process touches its member file to show it is alive. */
  readonly heartbeatMs: number;
  /** A member file untouched for this long belongs to a process that stopped; it is not waited for. */
  readonly staleMs: number;
  /** How long a reload waits for the other processes' answers before naming those that did not answer. */
  readonly answerTimeoutMs: number;
}

/** Defaults for {@link SyncFolder.join}: a reload reaches every process within about a poll and a rebuild. */
export const DEFAULT_SYNC_FOLDER_OPTIONS: SyncFolderOptions = {
  pollMs: 250,
  heartbeatMs: 2_000,
  staleMs: 10_000,
  answerTimeoutMs: PEER_ANSWER_TIMEOUT_MS,
};

const requestSchema = z.object({ id: z.string(), version: z.string(), from: z.string(), at: z.number() });
type Request = z.infer<typeof requestSchema>;

/** `at`: when the reload that answered began, i.e. when the process started reading the corpus folder. */
const answerSchema = z.object({
  request: z.string(),
  ok: z.boolean(),
  version: z.string().optional(),
  problem: z.string().optional(),
  at: z.number(),
});
const memberSchema = z.object({ label: z.string(), version: z.string(), answered: answerSchema.optional() });
type Member = z.infer<typeof memberSchema>;

/** This process's membership of a sync folder: answers other processes' reloads and asks them for its own. */
export class SyncFolder implements Peers {
  private readonly memberFile: string;
  private lastSeen: string | undefined;
  private answered: Member['answered'];
  private readonly timers: NodeJS.Timeout[] = [];
  private polling: Promise<void> | undefined;

  private constructor(
    private readonly directory: string,
    private readonly library: Library,
    private readonly label: string,
    private readonly options: SyncFolderOptions,
    private readonly memberId: string,
  ) {
    this.memberFile = path.join(directory, 'members', `${memberId}.json`);
  }

  /**
   * Joins the folder (creating it if needed) and starts answering requests. A request already there is taken as
   * seen: this process loaded its corpus after it was written.
   */
  static async join(directory: string, library: Library, label: string, options = DEFAULT_SYNC_FOLDER_OPTIONS): Promise<SyncFolder> {
    const memberId = `${hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const folder = new SyncFolder(directory, library, label, options, memberId);
    try {
      await mkdir(path.join(directory, 'members'), { recursive: true });
      folder.lastSeen = (await folder.readRequest())?.id;
      await folder.writeMember();
    } catch (error) {
      throw new Error(`reload-sync: cannot use ${directory}: ${(error as Error).message}`, { cause: error });
    }
    folder.timers.push(
      setInterval(() => void folder.poll(), options.pollMs).unref(),
      setInterval(() => void folder.heartbeat(), options.heartbeatMs).unref(),
    );
    return folder;
  }

  async reload(version: string): Promise<readonly PeerReport[]> {
    try {
      return await this.requestReload(version);
    } catch (error) {
      // The folder gone or unwritable: the moderator hears it, the reload here stands.
      return [{ process: `the processes sharing ${this.directory}`, ok: false, problem: `not reached: reload-sync: ${(error as Error).message}` }];
    }
  }

  private async requestReload(version: string): Promise<readonly PeerReport[]> {
    const request: Request = { id: randomBytes(8).toString('hex'), version, from: this.memberId, at: Date.now() };
    this.lastSeen = request.id;
    this.answered = { request: request.id, ok: true, version, at: request.at };
    await this.writeMember();
    await writeAtomically(path.join(this.directory, 'request.json'), request);
    const deadline = Date.now() + this.options.answerTimeoutMs;
    for (;;) {
      const others = await this.otherMembers();
      const waiting = others.filter((member) => !answers(member.data, request));
      if (waiting.length === 0 || Date.now() >= deadline) {
        return others.map(({ data }) =>
          answers(data, request)
            ? { process: data.label, ok: data.answered.ok, version: data.answered.version, problem: data.answered.problem }
            : { process: data.label, ok: false, version: data.version, problem: `no answer within ${this.options.answerTimeoutMs / 1000} s (still serving ${data.version})` },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.options.pollMs, 100)));
    }
  }

  /** Stops answering and removes this process's member file, so no reload waits for it. */
  async leave(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.polling;
    await rm(this.memberFile, { force: true });
  }

  private poll(): Promise<void> {
    // One request at a time: a poll that finds a reload still running waits for the next tick.
    this.polling ??= this.answerNewRequest().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async answerNewRequest(): Promise<void> {
    const request = await this.readRequest().catch(() => undefined);
    if (!request || request.id === this.lastSeen) return;
    this.lastSeen = request.id;
    if (request.from === this.memberId) return;
    const started = Date.now();
    const report = await reloadAsPeer(this.library, this.label, request.version);
    this.answered = { request: request.id, ok: report.ok, version: report.version, problem: report.problem, at: started };
    await this.writeMember().catch(() => undefined);
  }

  private async heartbeat(): Promise<void> {
    const now = new Date();
    // Recreated if someone cleaned the folder while this process runs.
    await utimes(this.memberFile, now, now).catch(() => this.writeMember().catch(() => undefined));
  }

  private async readRequest(): Promise<Request | undefined> {
    const text = await readFile(path.join(this.directory, 'request.json'), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    return text === undefined ? undefined : requestSchema.parse(JSON.parse(text));
  }

  private async writeMember(): Promise<void> {
    const member: Member = {
      label: this.label,
      version: await corpusVersion(this.library.current.engine.corpus),
      ...(this.answered ? { answered: this.answered } : {}),
    };
    await writeAtomically(this.memberFile, member);
  }

  /** The other live members: files touched within `staleMs`, and readable. */
  private async otherMembers(): Promise<{ data: Member }[]> {
    const folder = path.join(this.directory, 'members');
    const names = (await readdir(folder)).filter((name) => name.endsWith('.json') && name !== path.basename(this.memberFile));
    const members = await Promise.all(
      names.map(async (name) => {
        const file = path.join(folder, name);
        try {
          const { mtimeMs } = await stat(file);
          if (Date.now() - mtimeMs > this.options.staleMs) return undefined;
          return { data: memberSchema.parse(JSON.parse(await readFile(file, 'utf8'))) };
        } catch {
          // Removed as it left, or half-written by a process without atomic rename: not a live member now.
          return undefined;
        }
      }),
    );
    return members.filter((member) => member !== undefined);
  }
}

/**
 * Whether a member's latest answer covers `request`: it answered that request, or another one written after it
 * (two moderators reloading at once: a process that took only the later request began reading the folder after
 * the earlier one was written, so it read what the earlier moderator wanted served too).
 */
function answers(member: Member, request: Request): member is Member & { answered: NonNullable<Member['answered']> } {
  return member.answered !== undefined && (member.answered.request === request.id || member.answered.at >= request.at);
}

/** Writes JSON so readers see the old file or the new one, never a half-written one (rename is atomic). */
async function writeAtomically(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(value));
  await rename(temporary, file);
}
