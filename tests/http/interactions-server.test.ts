import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { InteractionResponseType, InteractionType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { copyCorpus } from '../support/bot-harness.js';
import { childEnv } from '../support/child-env.js';
import { DiscordEmulator, MANAGE_GUILD, signInteraction, type DispatchedInteraction } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';
import { makeTempDir, removeTempDirs, SMALL_DOCUMENT } from '../fixtures/corpus.js';
import { Child } from '../reliability/support/processes.js';

const HTTP_MAIN = path.resolve(import.meta.dirname, '../../src/http/main.ts');

/** An Ed25519 key pair as Discord holds it: the private key signs, the application page shows the public one in hex. */
function keyPair(): { privateKey: KeyObject; publicKeyHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // The last 32 bytes of the SubjectPublicKeyInfo are the raw key.
  return { privateKey, publicKeyHex: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex') };
}

const discord = keyPair();
const intruder = keyPair();

/** `npm run start:http` as a real process (node itself, so signals reach it) on a free loopback port; resolves with its endpoint URL. */
async function startReplica(env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const child = new Child(process.execPath, ['--import', 'tsx', HTTP_MAIN], { env: childEnv({ HTTP_PORT: '0', DISCORD_PUBLIC_KEY: discord.publicKeyHex, ...env }) });
  await child.waitFor(/serving interactions on http:\/\/127\.0\.0\.1:\d+\/interactions/, 60_000);
  const port = /127\.0\.0\.1:(\d+)\/interactions/.exec(child.stdout)![1]!;
  return { child, url: `http://127.0.0.1:${port}/interactions` };
}

/** A request as Discord sends it, signed with `key` at `timestamp` (seconds). */
function post(url: string, body: string, options: { key?: KeyObject; timestamp?: number; signedBody?: string } = {}): Promise<Response> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Signature-Ed25519': signInteraction(options.key ?? discord.privateKey, timestamp, options.signedBody ?? body),
      'X-Signature-Timestamp': timestamp,
    },
    body,
  });
}

const PING = JSON.stringify({ id: '1', application_id: '2', type: InteractionType.Ping, token: 't', version: 1 });

const isEphemeral = (flags: unknown): boolean => (Number(flags ?? 0) & MessageFlags.Ephemeral) !== 0;

describe('npm run start:http: two replicas behind one interactions endpoint', () => {
  let emulator: DiscordEmulator;
  let replicas: { child: Child; url: string }[] = [];
  let corpus: Awaited<ReturnType<typeof copyCorpus>>;

  beforeAll(async () => {
    corpus = await copyCorpus();
    emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
    const env = { DISCORD_API_BASE: emulator.apiBase, CORPUS_DIR: corpus.dir, RELOAD_SYNC_DIR: await makeTempDir() };
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
    emulator.useInteractionsEndpoint({ urls: replicas.map((replica) => replica.url), privateKey: discord.privateKey });
  }, 90_000);

  afterAll(async () => {
    const finished = await Promise.all(replicas.map((replica) => replica.child.stop()));
    await emulator?.close();
    await corpus?.remove();
    await removeTempDirs();
    for (const { code, stdout, stderr } of finished) {
      expect(code).toBe(0);
      expect(stdout + stderr).not.toContain(discord.publicKeyHex);
    }
  });

  /** The endpoint's answer to an interaction, once the emulator has taken it as the callback. */
  async function answerTo(interaction: DispatchedInteraction) {
    const callback = await emulator.waitForCallback(interaction.id, 10_000);
    const response = emulator.endpointResponses.find((candidate) => candidate.interactionId === interaction.id)!;
    expect(response).toMatchObject({ status: 200, problem: undefined });
    return { callback, response };
  }

  it('answers /ask in the HTTP response itself (type 4) on each replica, quotes and buttons as on the gateway', async () => {
    const asked = [emulator.chatInput('ask', { question: 'How many hostage-takers were killed?' }), emulator.chatInput('ask', { question: 'Who seized the police station?' })];
    const answers = await Promise.all(asked.map(answerTo));
    expect(new Set(answers.map(({ response }) => response.url))).toEqual(new Set(replicas.map((replica) => replica.url)));
    for (const { callback } of answers) expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const embed = embedOf(await emulator.waitForReply(asked[0]!.id));
    expect(embed.title).toBe('From the articles');
    expect(embed.description).toContain('33');
    expect(answers[0]!.callback.data).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('answers autocomplete with choices (type 8) and a button with a private message (type 4), as on the gateway', async () => {
    const typing = emulator.autocomplete('ask', 'question', 'hostage');
    const { callback } = await answerTo(typing);
    expect(callback.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect((callback.data?.['choices'] as unknown[]).length).toBeGreaterThan(0);

    const asked = emulator.chatInput('ask', { question: 'How many hostage-takers were killed?' });
    await answerTo(asked);
    const click = emulator.clickButton(emulator.originalMessage(asked.id)!, 'passage:bannu-siege#p2');
    const clicked = await answerTo(click);
    expect(clicked.callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(clicked.callback.data?.['flags'])).toBe(true);
    expect(embedOf(await emulator.waitForReply(click.id)).footer?.text).toContain('bannu-siege#p2');
  });

  it('defers /reload (type 5), edits the answer through the webhook, and the other replica serves the new corpus too', async () => {
    await corpus.write('documents/flood.txt', SMALL_DOCUMENT);
    const reload = emulator.chatInput('reload', {}, { permissions: MANAGE_GUILD });
    const { callback } = await answerTo(reload);
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(callback.data?.['flags'])).toBe(true);
    const edited = await emulator.waitForReply(reload.id, 20_000);
    expect(edited.route).toBe('edit-original');
    const embed = embedOf(edited);
    expect(embed.title).toBe('Corpus reloaded');
    const version = /now serves corpus version `(\w+)`/.exec(embed.description!)?.[1];
    expect(embed.description).toContain('**Every process** (2 of 2)');

    // Round robin: two questions in a row reach both replicas, and both answer from the new article.
    const asked = [0, 1].map(() => emulator.chatInput('ask', { question: 'How many families were evacuated?' }));
    for (const interaction of asked) expect(embedOf(await emulator.waitForReply(interaction.id, 10_000)).description).toContain('`flood-report#p2`');
    const helps = [0, 1].map(() => emulator.chatInput('help'));
    for (const interaction of helps) {
      const help = embedOf(await emulator.waitForReply(interaction.id, 10_000));
      expect(help.footer?.text).toBe(`Corpus version ${version}`);
      // HTTP interactions carry no messages: /help says mentions and DMs go unanswered here.
      expect(help.description).toContain('this bot answers through HTTP interactions, which cannot read messages');
    }
  });

  it('answers a signed PING with PONG, and refuses a missing or bad signature, a tampered body, a wrong key and a stale timestamp with 401', async () => {
    const url = replicas[0]!.url;
    const ping = await post(url, PING);
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual({ type: InteractionResponseType.Pong });

    const unsigned = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: PING });
    const tampered = await post(url, PING.replace('"id":"1"', '"id":"9"'), { signedBody: PING });
    const wrongKey = await post(url, PING, { key: intruder.privateKey });
    const stale = await post(url, PING, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const future = await post(url, PING, { timestamp: Math.floor(Date.now() / 1000) + 301 });
    const garbage = await fetch(url, { method: 'POST', headers: { 'X-Signature-Ed25519': 'zz', 'X-Signature-Timestamp': '1' }, body: PING });
    expect([unsigned, tampered, wrongKey, stale, future, garbage].map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(await stale.json()).toEqual({ message: 'http: timestamp more than 300 s from now' });
    expect(await tampered.json()).toEqual({ message: 'http: bad signature' });
  });

  it('refuses a body over the size limit with 413, before checking anything else, and only serves POST /interactions', async () => {
    const url = replicas[1]!.url;
    const big = JSON.stringify({ type: 1, padding: 'x'.repeat(300 * 1024) });
    const tooLarge = await post(url, big);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({ message: 'http: body over 262144 bytes' });
    expect((await fetch(url)).status).toBe(405);
    expect((await post(url.replace('/interactions', '/other'), PING)).status).toBe(404);
  });
});
