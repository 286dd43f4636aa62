import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, messageCommands } from '../../commands/index.js';
import { childEnv } from '../support/child-env.js';
import { DiscordEmulator } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a process to its end, collecting its output. */
async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, ...output.read() };
}

function collect(child: ChildProcess): { read(): { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { read: () => ({ stdout, stderr }) };
}

/** `npm start`, run as npm runs it (the launcher, compiled code), but with node directly so signals reach the bot itself. */
const START = [process.execPath, ['scripts/run.mjs', 'src/discord/main.ts']] as const;

describe('npm run deploy-commands', () => {
  let emulator: DiscordEmulator;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
  });

  afterAll(async () => {
    await emulator?.close();
  });

  const deployEnv = (overrides: Record<string, string> = {}): NodeJS.ProcessEnv =>
    childEnv({
      DISCORD_TOKEN: emulator.token,
      DISCORD_APPLICATION_ID: emulator.applicationId,
      DISCORD_API_BASE: emulator.apiBase,
      ...overrides,
    });

  it('registers exactly the definitions in commands/ in the guild when DISCORD_GUILD_ID is set', async () => {
    const result = await run('npm', ['run', '--silent', 'deploy-commands'], deployEnv({ DISCORD_GUILD_ID: emulator.guildId }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`deploy-commands: registered 7 commands in server ${emulator.guildId}: /ask, /source, /reload, /gaps, /conversation, /help, "Check against the articles"`);
    const registration = emulator.registrations.at(-1)!;
    expect(registration.scope).toBe('guild');
    expect(registration.guildId).toBe(emulator.guildId);
    expect(registration.body).toEqual(JSON.parse(JSON.stringify([...commands, ...messageCommands].map((command) => command.definition))));
    expect(emulator.registeredCommands('guild').find((command) => command.name === 'reload')?.default_member_permissions).toBe('32');
  });

  it('registers the same definitions globally when no guild is given', async () => {
    const result = await run('npm', ['run', '--silent', 'deploy-commands'], deployEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('registered 7 commands globally');
    const registration = emulator.registrations.at(-1)!;
    expect(registration.scope).toBe('global');
    expect(registration.body).toEqual(JSON.parse(JSON.stringify([...commands, ...messageCommands].map((command) => command.definition))));
  });

  it('explains a missing application id in one line', async () => {
    const result = await run(process.execPath, ['scripts/run.mjs', 'src/discord/deploy-commands.ts'], deployEnv({ DISCORD_APPLICATION_ID: '' }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['config: DISCORD_APPLICATION_ID is not set: copy the Application ID from the Developer Portal (General Information)']);
  });
});

describe('npm start', () => {
  let emulator: DiscordEmulator;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  /** Starts the bot with `env`, asks one question, and stops it with SIGTERM. */
  async function askOnce(env: Record<string, string>): Promise<Finished> {
    const child = spawn(START[0], START[1], {
      cwd: ROOT,
      env: childEnv({ DISCORD_TOKEN: emulator.token, DISCORD_API_BASE: emulator.apiBase, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collect(child);
    const exited = once(child, 'exit');
    try {
      await emulator.waitForSession(20_000);
      const interaction = emulator.chatInput('ask', { question: 'How many hostage-takers were killed?' });
      expect(embedOf(await emulator.waitForReply(interaction.id)).title).toBe('From the articles');
      await expect.poll(() => output.read().stdout, { timeout: 5_000 }).toMatch(/interaction \/ask latency=\d+ms answered\n/);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await exited) as [number | null];
    return { code, ...output.read() };
  }

  it('logs in, answers, logs one line per interaction, and exits 0 on SIGTERM without ever printing the token', async () => {
    const { code, stdout, stderr } = await askOnce({});
    expect(code).toBe(0);
    expect(stdout).toMatch(/^incident-desk: logged in as incident-desk in 1 server\(s\); serving \d+ document\(s\), \d+ passages from /m);
    expect(stdout).toContain('incident-desk: SIGTERM received, disconnecting');
    expect(stderr).toBe('');
    expect(stdout + stderr).not.toContain(emulator.token);
  });

  it('records the question in DATA_DIR and closes the file cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'incident-desk-start-data-'));
    try {
      const result = await askOnce({ DATA_DIR: dataDir });
      expect(result.code).toBe(0);
      // A cleanly closed WAL database leaves no write-ahead log behind.
      expect(await readdir(dataDir)).toEqual(['questions.sqlite']);
      const db = new Database(path.join(dataDir, 'questions.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT question, outcome FROM questions').all();
      db.close();
      expect(rows).toEqual([{ question: 'How many hostage-takers were killed?', outcome: 'answered' }]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('still answers when DATA_DIR cannot be written, after one line naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'incident-desk-start-blocked-'));
    try {
      await writeFile(path.join(dir, 'a-file'), '');
      const result = await askOnce({ DATA_DIR: path.join(dir, 'a-file', 'data') });
      expect(result.code).toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^incident-desk: question recording is off, answers are still served: store: cannot use ${path.join(dir, 'a-file', 'data', 'questions.sqlite')}: the file or its folder is not writable`),
        ),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['missing', '', /^config: DISCORD_TOKEN is not set/],
    ['malformed', 'not-a-token', /^config: invalid environment \(see \.env\.example\): - DISCORD_TOKEN: does not look like a bot token/],
  ])('refuses a %s token with one line and no stack trace', async (_label, token, message) => {
    const result = await run(START[0], START[1], childEnv({ DISCORD_TOKEN: token, DISCORD_API_BASE: emulator.apiBase }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('says in one line that Discord refused a well-formed but wrong token, without printing it', async () => {
    const wrong = `${emulator.token.slice(0, -4)}abcd`;
    const result = await run(START[0], START[1], childEnv({ DISCORD_TOKEN: wrong, DISCORD_API_BASE: emulator.apiBase }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('discord: the token was refused: copy it again from the Developer Portal (your application, Bot page, Reset Token) into .env');
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });
});
