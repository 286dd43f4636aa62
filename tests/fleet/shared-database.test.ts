/**
 * Two HTTP replicas and a gateway bot, real processes, sharing one PostgreSQL database: what one records, another
 * shows; a reload through one is served by all, announced through the database.
 */
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { copyCorpus } from '../support/bot-harness.js';
import { childEnv } from '../support/child-env.js';
import { DiscordEmulator, MANAGE_GUILD } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';
import { freshDatabase } from '../support/postgres-server.js';
import { SMALL_DOCUMENT } from '../fixtures/corpus.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { Child } from '../reliability/support/processes.js';
import { testPostgresUrl } from '../store/support/engines.js';

const HTTP_MAIN = path.resolve(import.meta.dirname, '../../src/http/main.ts');
const GATEWAY_MAIN = path.resolve(import.meta.dirname, '../../src/discord/main.ts');
const MODERATOR = { permissions: MANAGE_GUILD };

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

describe('two HTTP replicas and a gateway bot sharing one PostgreSQL database', () => {
  let emulator: DiscordEmulator;
  let database: { url: string; drop: () => Promise<void> };
  let corpus: Awaited<ReturnType<typeof copyCorpus>>;
  const replicas: { child: Child; url: string }[] = [];
  let gateway: Child;

  beforeAll(async () => {
    database = await freshDatabase(testPostgresUrl(), 'fleet');
    corpus = await copyCorpus();
    emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
    const env = { DISCORD_API_BASE: emulator.apiBase, CORPUS_DIR: corpus.dir, DATABASE_URL: database.url };
    const startReplica = async (): Promise<{ child: Child; url: string }> => {
      const child = new Child(process.execPath, ['--import', 'tsx', HTTP_MAIN], { env: childEnv({ ...env, HTTP_PORT: '0', DISCORD_PUBLIC_KEY: publicKeyHex }) });
      await child.waitFor(/serving interactions on http:\/\/127\.0\.0\.1:\d+\/interactions/, 60_000);
      return { child, url: `http://127.0.0.1:${/127\.0\.0\.1:(\d+)\/interactions/.exec(child.stdout)![1]!}/interactions` };
    };
    replicas.push(...(await Promise.all([startReplica(), startReplica()])));
    gateway = new Child(process.execPath, ['--import', 'tsx', GATEWAY_MAIN], { env: childEnv({ ...env, DISCORD_TOKEN: emulator.token }) });
    await gateway.waitFor(/incident-desk: logged in as/, 60_000);
  }, 120_000);

  afterAll(async () => {
    const finished = await Promise.all([...replicas.map((replica) => replica.child.stop()), gateway?.stop()]);
    await emulator?.close();
    await corpus?.remove();
    await database?.drop();
    for (const result of finished) {
      expect(result?.code).toBe(0);
      // DATABASE_URL holds the password: never in a log line.
      expect(`${result?.stdout}${result?.stderr}`).not.toContain(new URL(database.url).password);
    }
  });

  /** Sends the next interactions through replica `index`, or the gateway for undefined. */
  const through = (index: number | undefined): void =>
    emulator.useInteractionsEndpoint(index === undefined ? undefined : { urls: [replicas[index]!.url], privateKey });

  const command = async (name: string, options: Record<string, string | number> = {}, actor = {}) => {
    const interaction = emulator.chatInput(name, options, actor);
    return { interaction, reply: await emulator.waitForReply(interaction.id, 20_000) };
  };

  it('lists in /gaps through one replica a question asked through another, and a quote marked wrong through the gateway', async () => {
    through(0);
    await command('ask', { question: 'Were any journalists hurt in Bannu?' });
    const { interaction: answered } = await command('ask', { question: 'How many hostage-takers were killed?' });
    const message = emulator.originalMessage(answered.id)!;
    const voteId = JSON.stringify(message.components).match(/vote:wrong:\d+/)![0];
    through(undefined);
    const click = emulator.clickButton(message, voteId);
    expect(String((await emulator.waitForCallback(click.id, 10_000)).data?.['content'])).toMatch(/^Thanks: noted that a quote was wrong/);

    through(1);
    const report = embedOf((await command('gaps', {}, MODERATOR)).reply).description!;
    expect(report).toContain('2 question(s) asked in the last 30 day(s); 1 not answered');
    expect(report).toContain('Were any journalists hurt in Bannu?');
    expect(report).toMatch(/`bannu-siege#p2`: marked wrong 1 time\(s\), last for “How many hostage-takers were killed\?”/);
  });

  it('has every process serve the corpus a moderator reloaded through one replica, the reply naming all three', async () => {
    await corpus.write('documents/flood.txt', SMALL_DOCUMENT);
    through(1);
    const reloaded = embedOf((await command('reload', {}, MODERATOR)).reply);
    expect(reloaded.title).toBe('Corpus reloaded');
    expect(reloaded.description).toContain('**Every process** (3 of 3)');
    const version = /now serves corpus version `(\w+)`/.exec(reloaded.description!)![1];
    for (const index of [0, 1, undefined]) {
      through(index);
      expect(embedOf((await command('ask', { question: 'How many families were evacuated?' })).reply).description).toContain('`flood-report#p2`');
      expect(embedOf((await command('help')).reply).footer?.text).toBe(`Corpus version ${version}`);
    }
  });
});

describe('an HTTP replica whose database is down when it starts', () => {
  it('says so in one line, answers from its corpus with recording off, and /gaps says the store is unreachable', async () => {
    const emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
    const proxy = await TcpProxy.reserve({ host: '127.0.0.1', port: 9 });
    const child = new Child(process.execPath, ['--import', 'tsx', HTTP_MAIN], {
      env: childEnv({ DISCORD_API_BASE: emulator.apiBase, HTTP_PORT: '0', DISCORD_PUBLIC_KEY: publicKeyHex, DATABASE_URL: proxy.rewrite('postgres://bot:secret-password@db/incident_desk') }),
    });
    try {
      await child.waitFor(/serving interactions on http:\/\/127\.0\.0\.1:\d+\/interactions/, 60_000);
      emulator.useInteractionsEndpoint({ urls: [`http://127.0.0.1:${/127\.0\.0\.1:(\d+)\/interactions/.exec(child.stdout)![1]!}/interactions`], privateKey });
      const asked = emulator.chatInput('ask', { question: 'Who seized the police station?' });
      expect(embedOf(await emulator.waitForReply(asked.id, 10_000)).title).toBe('From the articles');
      const gaps = emulator.chatInput('gaps', {}, MODERATOR);
      // Discord markdown escapes the underscores of incident_desk and DATABASE_URL.
      expect(String((await emulator.waitForReply(gaps.id, 10_000)).body['content'])).toMatch(
        /^Question recording is off, answers are still served: store: PostgreSQL at 127\.0\.0\.1:\d+\/incident\\_desk \(DATABASE\\_URL\) is unreachable: connect ECONNREFUSED .* There is nothing to show or clear\.$/,
      );
    } finally {
      const { code, stdout, stderr } = await child.stop();
      await emulator.close();
      expect(code).toBe(0);
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^store: PostgreSQL at .* is unreachable: .*ECONNREFUSED.*; answering with recording off, retrying with back-off$/)]);
      expect(stdout + stderr).not.toContain('secret-password');
    }
  }, 90_000);
});
