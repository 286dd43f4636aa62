/**
 * Issue 5, security: /reload is refused at run time to members who are not moderators (no Manage Server, no role
 * in MODERATOR_ROLE_IDS) and allowed to each kind of moderator; the bot token never appears in anything the bot
 * or the console writes, crash paths included; `.env` is git-ignored.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { DiscordEmulator, MANAGE_GUILD, makeUser, MEMBER_PERMISSIONS, snowflake, type Actor } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';
import { BAD_CORPORA } from './support/bad-corpora.js';
import { GOOD_CORPUS, REPO_ROOT, Scratch } from './support/corpora.js';
import { childEnv } from '../support/child-env.js';
import { BOT_MAIN, Child, CONSOLE_MAIN, runToEnd, TSX, type Finished } from './support/processes.js';

const ADMINISTRATOR = 1n << 3n;
const REFUSAL = '⛔ Only moderators (Manage Server, or a moderator role) can use /reload. Nothing was changed.';

describe('/reload is for moderators only, checked at run time', () => {
  let harness: Harness;
  const otherRole = snowflake();

  beforeAll(async () => {
    harness = await startHarness({ corpusDir: GOOD_CORPUS, moderatorRoleIds: (emulator) => [emulator.moderatorRoleId] });
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function reloadAs(actor: Actor): Promise<{ allowed: boolean; text: string }> {
    const before = harness.library.current.version;
    const interaction = harness.emulator.chatInput('reload', {}, { user: makeUser('someone'), ...actor });
    const reply = await harness.emulator.waitForReply(interaction.id, 20_000);
    const allowed = harness.library.current.version === before + 1;
    const content = reply.body['content'];
    return { allowed, text: typeof content === 'string' && content !== '' ? content : (embedOf(reply).title ?? '') };
  }

  it('refused for a member with the usual permissions and no role', async () => {
    expect(await reloadAs({ permissions: MEMBER_PERMISSIONS })).toEqual({ allowed: false, text: REFUSAL });
  });

  it('refused for a member with no permissions at all', async () => {
    expect(await reloadAs({ permissions: 0n })).toEqual({ allowed: false, text: REFUSAL });
  });

  it('refused for a member holding a role that is not in MODERATOR_ROLE_IDS', async () => {
    expect(await reloadAs({ permissions: MEMBER_PERMISSIONS, roles: [otherRole] })).toEqual({ allowed: false, text: REFUSAL });
  });

  it('allowed for a member with Manage Server', async () => {
    expect(await reloadAs({ permissions: MEMBER_PERMISSIONS | MANAGE_GUILD })).toEqual({ allowed: true, text: 'Corpus reloaded' });
  });

  it('allowed for an Administrator (which implies Manage Server)', async () => {
    expect(await reloadAs({ permissions: MEMBER_PERMISSIONS | ADMINISTRATOR })).toEqual({ allowed: true, text: 'Corpus reloaded' });
  });

  it('allowed for a member holding a role in MODERATOR_ROLE_IDS, without Manage Server', async () => {
    expect(await reloadAs({ permissions: MEMBER_PERMISSIONS, roles: [otherRole, harness.emulator.moderatorRoleId] })).toEqual({
      allowed: true,
      text: 'Corpus reloaded',
    });
  });

  it('the refusal is private, pings nobody, and is logged as refused', async () => {
    const interaction = harness.emulator.chatInput('reload', {}, { user: makeUser('curious'), permissions: MEMBER_PERMISSIONS });
    const reply = await harness.emulator.waitForReply(interaction.id);
    // /reload is deferred privately (ephemeral flag on the deferral), then the refusal edits that reply.
    const callback = await harness.emulator.waitForCallback(interaction.id);
    expect(Number(callback.data?.['flags'] ?? 0) & 64).toBe(64);
    expect(reply.body['content']).toBe(REFUSAL);
    expect(reply.body['allowed_mentions']).toEqual({ parse: [] });
    expect(harness.log.lines.some((line) => line.startsWith('interaction /reload ') && line.endsWith(' refused'))).toBe(true);
  });
});

describe('the token never appears in what the processes write', () => {
  let scratch: Scratch;
  let emulator: DiscordEmulator;

  beforeAll(async () => {
    scratch = await Scratch.create();
    emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
  });

  afterAll(async () => {
    await emulator?.close();
    await scratch?.dispose();
  });

  /** The token and each of its three parts: none may show up, whole or in part. */
  function expectNoToken(output: string, token: string): void {
    expect(output).not.toContain(token);
    for (const part of token.split('.')) expect(output).not.toContain(part);
  }

  const startBot = (env: Record<string, string>): Child => new Child(TSX, [BOT_MAIN], { env: childEnv(env) });

  it('a bot serving, reloading (also a broken corpus), failing and stopping: no token in stdout or stderr', async () => {
    const corpus = await scratch.goodCorpus('served');
    const bot = startBot({
      DISCORD_TOKEN: emulator.token,
      DISCORD_API_BASE: emulator.apiBase,
      CORPUS_DIR: corpus,
      MODERATOR_ROLE_IDS: emulator.moderatorRoleId,
    });
    try {
      await bot.waitFor(/incident-desk: logged in as /, 60_000);
      const moderator = { user: makeUser('mod'), roles: [emulator.moderatorRoleId] };
      await emulator.waitForReply(emulator.chatInput('ask', { question: `What is ${emulator.token}?` }).id, 10_000);
      await emulator.waitForReply(emulator.chatInput('reload', {}, moderator).id, 20_000);
      await BAD_CORPORA.find((badCase) => badCase.name === 'invalid UTF-8')!.breakIt(corpus, scratch.root);
      const refused = await emulator.waitForReply(emulator.chatInput('reload', {}, moderator).id, 20_000);
      expect(embedOf(refused).title).toBe('Reload refused: the previous corpus is still being served');
      // Refused to a member through MODERATOR_ROLE_IDS parsing in the real process, too.
      const member = await emulator.waitForReply(emulator.chatInput('reload', {}, { roles: [snowflake()] }).id, 10_000);
      expect(member.body['content']).toBe(REFUSAL);
      emulator.failNext('callback', { status: 500, count: 4 });
      await emulator.waitForReply(emulator.chatInput('ask', { question: 'Who seized the police station?' }).id, 15_000);
      emulator.dropGateway({ abrupt: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await emulator.waitForSession(30_000);
    } finally {
      const finished = await bot.stop();
      expect(finished.code).toBe(0);
      expect(finished.stderr).toMatch(/failed: Internal Server Error/);
      expectNoToken(finished.stdout + finished.stderr, emulator.token);
    }
    // Nor in anything the bot sent to Discord (replies, edits, follow-ups).
    // (The question above echoes the token in the answer's footer, as the user typed it: that is the user's text.)
    const sent = emulator.sentMessages.filter((message) => !JSON.stringify(message.body).includes('What is '));
    expectNoToken(JSON.stringify(sent), emulator.token);
  }, 180_000);

  it.each([
    ['a bad corpus at start-up', (token: string, corpus: string): Record<string, string> => ({ DISCORD_TOKEN: token, CORPUS_DIR: corpus })],
    ['a token Discord refuses', (token: string): Record<string, string> => ({ DISCORD_TOKEN: token })],
    ['an unreachable Discord API', (token: string): Record<string, string> => ({ DISCORD_TOKEN: token, DISCORD_API_BASE: 'http://127.0.0.1:9/api' })],
    ['a malformed token', (token: string): Record<string, string> => ({ DISCORD_TOKEN: token.replaceAll('.', ':') })],
  ])('crash path, %s: exits 1 with a one-line reason, no stack, no token', async (name, envFor) => {
    // A well-formed token the emulator does not know, so a refusal is Discord's, not the format check's.
    const token = `${randomBytes(18).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
    const corpus = await scratch.goodCorpus('crash');
    await BAD_CORPORA.find((badCase) => badCase.name === 'a glossary mapping a term to itself')!.breakIt(corpus, scratch.root);
    const env = { DISCORD_API_BASE: emulator.apiBase, ...envFor(token, corpus) };
    const finished: Finished = await runToEnd(TSX, [BOT_MAIN], { env: childEnv(env), timeoutMs: 90_000 });
    expect(finished.code, `${name}\n${finished.stdout}\n${finished.stderr}`).toBe(1);
    expectNoToken(finished.stdout + finished.stderr, token);
    expectNoToken(finished.stdout + finished.stderr, token.replaceAll('.', ':'));
    expect(finished.stderr).not.toMatch(/^\s+at .+:\d+/m);
    expect(finished.stderr.trim().split('\n')[0]).toMatch(/^(corpus:|config:|discord:|incident-desk: could not start:)/);
  }, 120_000);

  it('the console with a token in its environment and a bad corpus: no token', async () => {
    const token = emulator.token;
    const corpus = await scratch.goodCorpus('console-crash');
    await BAD_CORPORA.find((badCase) => badCase.name === 'a binary file')!.breakIt(corpus, scratch.root);
    const finished = await runToEnd(TSX, [CONSOLE_MAIN], { env: childEnv({ DISCORD_TOKEN: token, CORPUS_DIR: corpus }), input: 'hello\n' });
    expect(finished.code).toBe(1);
    expectNoToken(finished.stdout + finished.stderr, token);
    const healthy = await runToEnd(TSX, [CONSOLE_MAIN, '--json'], { env: childEnv({ DISCORD_TOKEN: token }), input: 'Who seized the police station?\n/reload\n' });
    expect(healthy.code).toBe(0);
    expectNoToken(healthy.stdout + healthy.stderr, token);
  }, 120_000);
});

describe('secrets stay out of git', () => {
  const git = promisify(execFile);

  it('.env (and .env.local) are git-ignored; .env.example is not', async () => {
    await expect(git('git', ['check-ignore', '-q', '.env'], { cwd: REPO_ROOT })).resolves.toBeDefined();
    await expect(git('git', ['check-ignore', '-q', '.env.local'], { cwd: REPO_ROOT })).resolves.toBeDefined();
    await expect(git('git', ['check-ignore', '-q', '.env.example'], { cwd: REPO_ROOT })).rejects.toMatchObject({ code: 1 });
  });

  it('no .env file is tracked', async () => {
    const { stdout } = await git('git', ['ls-files', '--', '.env', '*.env', '.env.*'], { cwd: REPO_ROOT });
    expect(stdout.split('\n').filter(Boolean).map((file) => path.basename(file))).toEqual(['.env.example'].filter((file) => stdout.includes(file)));
  });
});
