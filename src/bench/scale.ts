/**
 * Running at scale, measured: `/ask` through HTTP interactions mode next to the gateway in the same process and
 * run, and a `/reload` through one of four HTTP replicas (real processes sharing a reload folder) until every one
 * of them serves the new corpus.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commands } from '../../commands/index.js';
import { DiscordEmulator, MANAGE_GUILD } from '../../tests/support/discord-emulator.js';
import { startBot } from '../discord/bot.js';
import type { Logger } from '../discord/log.js';
import { startInteractionsServer } from '../http/interactions-server.js';
import { Library } from '../library/library.js';
import { distribution, interleavedTimings, ratio, round, roundedDistribution, type Distribution } from './stats.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SILENT: Logger = { info: () => undefined, error: () => undefined };

export interface ModesJob {
  readonly corpusDir: string;
  readonly questions: readonly string[];
  readonly count: number;
  readonly warmup: number;
}

export interface ModesFigures {
  readonly count: number;
  readonly gateway: Distribution;
  readonly http: Distribution;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
}

/** A fresh Ed25519 key pair: the private key signs as Discord would, the hex public key is `DISCORD_PUBLIC_KEY`. */
function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyHex: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex') };
}


/**
 * `/ask` latency from the emulator sending the interaction to its accepting the answer, through the gateway (a
 * discord.js client) and through HTTP mode (a signed POST answered in the response), same library, alternating.
 */
export async function measureModes(job: ModesJob): Promise<ModesFigures> {
  const definitions = commands.map((command) => command.definition);
  const keys = keyPair();
  const library = await Library.load(job.corpusDir);
  const overGateway = await DiscordEmulator.start({ commands: definitions });
  const overHttp = await DiscordEmulator.start({ commands: definitions });
  const settings = { moderatorRoleIds: [], askCooldownSeconds: 0, commands };
  const bot = await startBot({ ...settings, token: overGateway.token, apiBase: overGateway.apiBase }, library, SILENT);
  const server = await startInteractionsServer({ ...settings, publicKey: keys.publicKeyHex, apiBase: overHttp.apiBase, options: { port: 0 } }, library, SILENT);
  overHttp.useInteractionsEndpoint({ urls: [`http://127.0.0.1:${server.port}/interactions`], privateKey: keys.privateKey });
  const time = async (emulator: DiscordEmulator, question: string): Promise<number> => {
    const started = performance.now();
    const interaction = emulator.chatInput('ask', { question });
    await emulator.waitForCallback(interaction.id);
    return performance.now() - started;
  };
  let gateway: number[];
  let http: number[];
  try {
    [http, gateway] = await interleavedTimings(job, (question) => time(overHttp, question), (question) => time(overGateway, question));
  } finally {
    await Promise.all([bot.stop(), server.stop()]);
    await Promise.all([overGateway.close(), overHttp.close()]);
  }
  const [gatewayFigures, httpFigures] = [distribution(gateway), distribution(http)];
  return {
    count: http.length,
    gateway: roundedDistribution(gatewayFigures),
    http: roundedDistribution(httpFigures),
    p50Ratio: ratio(httpFigures.p50, gatewayFigures.p50),
    p99Ratio: ratio(httpFigures.p99, gatewayFigures.p99),
  };
}

export interface FleetJob {
  readonly corpusDir: string;
  readonly processes: number;
  readonly reloads: number;
  /** The replicas share this PostgreSQL database (reloads by LISTEN/NOTIFY) instead of a reload folder. */
  readonly databaseUrl?: string | undefined;
}

export interface FleetFigures {
  readonly processes: number;
  readonly reloads: number;
  /** From the moderator's `/reload` to its reply, which waits for every process's answer. */
  readonly replyMs: Distribution;
  /** Baseline: `Library.reload` of the same corpus alone, in this process. */
  readonly singleReloadMs: Distribution;
  readonly replyRatio: number;
  /**
   * The latest, over reloads and processes, that a process was first seen serving the new version, in ms after the
   * moderator's reply (each process asked with `/help` in turn once the reply came; so an upper bound).
   */
  readonly lastServedAfterReplyMs: number;
  /** Whether every process served each new version (false: the reply named a process that did not). */
  readonly allServed: boolean;
}

/** `npm run start:http` as a real process; resolves with its endpoint URL once it serves. */
async function startReplica(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'http', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /serving interactions on http:\/\/127\.0\.0\.1:(\d+)\/interactions/.exec(output)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}/interactions`);
    });
    child.once('exit', (code) => reject(new Error(`bench: a replica exited with ${code} before serving:\n${output}`)));
  });
  return { child, url };
}

/**
 * Four (`processes`) HTTP replicas on one corpus folder and one reload folder, or one PostgreSQL database. Each round adds a document, has a
 * moderator `/reload` through the first replica, then asks every replica's `/help` for the version it serves.
 */
export async function measureFleet(job: FleetJob): Promise<FleetFigures> {
  const keys = keyPair();
  const work = await mkdtemp(path.join(os.tmpdir(), 'incident-desk-bench-fleet-'));
  const emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    DOTENV_CONFIG_PATH: path.join(work, 'no-such.env'),
    CORPUS_DIR: job.corpusDir,
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    DISCORD_API_BASE: emulator.apiBase,
    HTTP_PORT: '0',
    // The replicas' store, index snapshot and vectors stay in the bench's folder, not the repository's ./data and ./.cache.
    CACHE_DIR: path.join(work, 'cache'),
    ...(job.databaseUrl === undefined ? { RELOAD_SYNC_DIR: path.join(work, 'sync'), DATA_DIR: path.join(work, 'data') } : { DATABASE_URL: job.databaseUrl }),
    ASK_COOLDOWN_SECONDS: '0',
  };
  const replicas: { child: ChildProcess; url: string }[] = [];
  const reply: number[] = [];
  const single: number[] = [];
  let lastServed = Number.NEGATIVE_INFINITY;
  let allServed = true;
  try {
    replicas.push(...(await Promise.all(Array.from({ length: job.processes }, () => startReplica(env)))));
    const ask = async (url: string, name: string, actor = {}) => {
      emulator.useInteractionsEndpoint({ urls: [url], privateKey: keys.privateKey });
      const interaction = emulator.chatInput(name, {}, actor);
      const sent = await emulator.waitForReply(interaction.id, 60_000);
      return (sent.body['embeds'] as { description?: string; footer?: { text: string } }[])[0]!;
    };
    const baseline = await Library.load(job.corpusDir);
    for (let round = 0; round < job.reloads; round++) {
      await writeFile(
        path.join(job.corpusDir, 'documents', `bench-fleet-${round}.txt`),
        `---\nid: bench-fleet-${round}\ntitle: Bench round ${round}\nsource: Bench\n---\nRound ${round} of the fleet reload measurement added this paragraph.\n`,
      );
      const started = performance.now();
      const report = await ask(replicas[0]!.url, 'reload', { permissions: MANAGE_GUILD });
      const replied = performance.now();
      reply.push(replied - started);
      const version = /corpus version `(\w+)`/.exec(report.description ?? '')?.[1];
      if (!report.description?.includes('**Every process**')) allServed = false;
      for (const replica of replicas) {
        const footer = (await ask(replica.url, 'help')).footer?.text;
        if (footer !== `Corpus version ${version}`) allServed = false;
        lastServed = Math.max(lastServed, performance.now() - replied);
      }
      const alone = performance.now();
      await baseline.reload();
      single.push(performance.now() - alone);
    }
  } finally {
    await Promise.all(
      replicas.map(({ child }) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        return exited;
      }),
    );
    await emulator.close();
    await rm(work, { recursive: true, force: true });
  }
  const [replyFigures, singleFigures] = [distribution(reply), distribution(single)];
  return {
    processes: job.processes,
    reloads: job.reloads,
    replyMs: roundedDistribution(replyFigures),
    singleReloadMs: roundedDistribution(singleFigures),
    replyRatio: ratio(replyFigures.p50, singleFigures.p50),
    lastServedAfterReplyMs: round(lastServed, 1),
    allServed,
  };
}
