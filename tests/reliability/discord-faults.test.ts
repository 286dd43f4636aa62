/**
 * Issue 5, Discord faults: the emulator answers interaction callbacks with 500s and 429s, drops the gateway and
 * sends interactions the bot does not know. The real discord.js client logs, recovers (retries, reconnects,
 * resumes) and keeps serving; no unhandled rejection. Once in process (harness), once as the real `npm start`
 * process.
 */
import { InteractionType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { DiscordEmulator, makeUser, type DispatchedInteraction } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';
import { GOOD_CORPUS } from './support/corpora.js';
import { childEnv } from '../support/child-env.js';
import { BOT_MAIN, Child, TSX } from './support/processes.js';

const QUESTION = 'How many hostage-takers were killed?';
const APOLOGY = 'Sorry, something went wrong while answering that. It has been logged; please try again.';

const callbackPath = (interaction: DispatchedInteraction): string => `/interactions/${interaction.id}/${interaction.token}/callback`;

describe('Discord faults, in process (real discord.js client, emulator)', () => {
  let harness: Harness;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    harness = await startHarness({ corpusDir: GOOD_CORPUS });
  });

  afterAll(async () => {
    await harness?.close();
    process.off('unhandledRejection', onRejection);
  });

  async function expectServing(): Promise<void> {
    const interaction = harness.emulator.chatInput('ask', { question: QUESTION }, { user: makeUser('after') });
    const reply = await harness.emulator.waitForReply(interaction.id, 10_000);
    expect(embedOf(reply).title).toBe('From the articles');
  }

  it('a callback answered 500 once: discord.js retries and the answer arrives; nothing logged as an error', async () => {
    const { emulator } = harness;
    const errors = harness.log.errors.length;
    emulator.failNext('callback', { status: 500, count: 1 });
    const interaction = emulator.chatInput('ask', { question: QUESTION });
    const reply = await emulator.waitForReply(interaction.id);
    expect(embedOf(reply).title).toBe('From the articles');
    expect(emulator.requests.filter((request) => request.path === callbackPath(interaction)).map((request) => request.status)).toEqual([500, 204]);
    expect(harness.log.errors.slice(errors)).toEqual([]);
  });

  it('a callback that keeps failing with 500 (beyond the retries): logged, the user gets the apology, the bot keeps serving', async () => {
    const { emulator } = harness;
    const errors = harness.log.errors.length;
    // The first send and discord.js's three retries all fail; the apology, a fifth request, goes through.
    emulator.failNext('callback', { status: 500, count: 4 });
    const interaction = emulator.chatInput('ask', { question: QUESTION });
    const reply = await emulator.waitForReply(interaction.id, 15_000);
    expect(reply.body['content']).toContain(APOLOGY);
    const logged = harness.log.errors.slice(errors);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^interaction \/ask latency=\d+ms failed: Internal Server Error$/);
    await expectServing();
  }, 30_000);

  it('a callback answered 429 with retry_after: discord.js waits that long, retries, and the answer arrives', async () => {
    const { emulator } = harness;
    const errors = harness.log.errors.length;
    emulator.rateLimitNext('callback', { retryAfterSeconds: 0.5 });
    const interaction = emulator.chatInput('ask', { question: QUESTION });
    const reply = await emulator.waitForReply(interaction.id, 10_000);
    expect(embedOf(reply).title).toBe('From the articles');
    const attempts = emulator.requests.filter((request) => request.path === callbackPath(interaction));
    expect(attempts.map((request) => request.status)).toEqual([429, 204]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(450);
    expect(harness.log.errors.slice(errors)).toEqual([]);
  });

  it('a global 429: waited out, answered', async () => {
    const { emulator } = harness;
    emulator.rateLimitNext('callback', { retryAfterSeconds: 0.3, global: true });
    const interaction = emulator.chatInput('ask', { question: QUESTION });
    expect(embedOf(await emulator.waitForReply(interaction.id, 10_000)).title).toBe('From the articles');
  });

  it('the gateway closed (code 4000): discord.js resumes, the interaction sent meanwhile is replayed and answered', async () => {
    const { emulator } = harness;
    emulator.dropGateway({ code: 4000 });
    const interaction = emulator.chatInput('ask', { question: QUESTION });
    await emulator.waitForSession(15_000);
    expect(embedOf(await emulator.waitForReply(interaction.id, 15_000)).title).toBe('From the articles');
    expect(emulator.gatewayReceived.some((payload) => payload.op === 6)).toBe(true);
    await expectServing();
  }, 40_000);

  it('the gateway cut without a close frame: discord.js reconnects and keeps serving', async () => {
    const { emulator } = harness;
    emulator.dropGateway({ abrupt: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await emulator.waitForSession(30_000);
    await expectServing();
  }, 60_000);

  it('an interaction for an unknown command: answered politely, privately; an unknown interaction type: ignored', async () => {
    const { emulator } = harness;
    const errors = harness.log.errors.length;
    const unknown = emulator.chatInput('frobnicate', { level: 'max' });
    const reply = await emulator.waitForReply(unknown.id);
    expect(reply.body['content']).toBe("I don't know /frobnicate. The commands may have changed: try /help.");
    expect(Number(reply.body['flags'] ?? 0) & 64).toBe(64);
    // A modal submission, which this bot never asks for.
    emulator.dispatchRawInteraction({ type: InteractionType.ModalSubmit, data: { custom_id: 'nope', components: [] } });
    // A command payload with options of the wrong type.
    const odd = emulator.dispatchRawInteraction({
      type: InteractionType.ApplicationCommand,
      member: { user: makeUser('odd'), roles: [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
      data: { id: emulator.registeredCommands()[0]?.id ?? '1', name: 'ask', type: 1, options: [{ name: 'question', type: 4, value: 42 }] },
    });
    const oddReply = await emulator.waitForReply(odd.id);
    expect(String(oddReply.body['content'])).toMatch(/question/i);
    expect(harness.log.errors.slice(errors)).toEqual([]);
    await expectServing();
  });

  it('no unhandled rejection happened through all of it', () => {
    expect(rejections).toEqual([]);
  });
});

describe('Discord faults against the real bot process (npm start)', () => {
  let emulator: DiscordEmulator;
  let bot: Child;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
    bot = new Child(TSX, [BOT_MAIN], {
      env: childEnv({ DISCORD_TOKEN: emulator.token, DISCORD_API_BASE: emulator.apiBase, CORPUS_DIR: GOOD_CORPUS }),
    });
    await bot.waitFor(/incident-desk: logged in as /, 60_000);
  }, 90_000);

  afterAll(async () => {
    await bot?.stop();
    await emulator?.close();
  });

  it('500s past the retries, a 429, a dropped gateway and an unknown command: logged, recovered, still serving, exits cleanly', async () => {
    const ask = (): DispatchedInteraction => emulator.chatInput('ask', { question: QUESTION }, { user: makeUser('reader') });

    emulator.failNext('callback', { status: 500, count: 4 });
    expect((await emulator.waitForReply(ask().id, 15_000)).body['content']).toContain(APOLOGY);

    emulator.rateLimitNext('callback', { retryAfterSeconds: 0.3 });
    expect(embedOf(await emulator.waitForReply(ask().id, 10_000)).title).toBe('From the articles');

    emulator.dropGateway({ code: 4000 });
    const duringDrop = ask();
    await emulator.waitForSession(20_000);
    expect(embedOf(await emulator.waitForReply(duringDrop.id, 20_000)).title).toBe('From the articles');

    emulator.dropGateway({ abrupt: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await emulator.waitForSession(30_000);

    const unknown = emulator.chatInput('frobnicate');
    expect((await emulator.waitForReply(unknown.id)).body['content']).toContain("I don't know /frobnicate");
    expect(embedOf(await emulator.waitForReply(ask().id, 10_000)).title).toBe('From the articles');

    expect(bot.process.exitCode).toBeNull();
    expect(bot.stderr).toMatch(/interaction \/ask latency=\d+ms failed: /);
    expect(bot.stdout + bot.stderr).not.toMatch(/unhandled rejection/i);
    const finished = await bot.stop();
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('incident-desk: SIGTERM received, disconnecting');
  }, 120_000);
});
