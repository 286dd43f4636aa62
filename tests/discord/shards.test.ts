import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { copyCorpus } from '../support/bot-harness.js';
import { childEnv } from '../support/child-env.js';
import { DiscordEmulator, MANAGE_GUILD, shardOf } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';
import { makeTempDir, removeTempDirs, SMALL_DOCUMENT } from '../fixtures/corpus.js';
import { BOT_MAIN, Child } from '../reliability/support/processes.js';
import { freshDatabase } from '../support/postgres-server.js';
import { testPostgresUrl } from '../store/support/engines.js';

// Run by node itself, not the tsx command, so that a signal (SIGKILL too) reaches the manager and no shard outlives a test.
const SHARDS_MAIN = path.resolve(import.meta.dirname, '../../src/discord/shards-main.ts');
const FLOOD_QUESTION = 'How many families were evacuated?';

/** What the moderator's /reload and each guild's /ask and /help show, after a new article is added. */
async function reloadThroughFirstGuild(emulator: DiscordEmulator, corpus: Awaited<ReturnType<typeof copyCorpus>>): Promise<void> {
  await corpus.write('documents/flood.txt', SMALL_DOCUMENT);
  const [first, second] = emulator.guildIds;
  const reload = emulator.chatInput('reload', {}, { permissions: MANAGE_GUILD, guildId: first });
  const report = embedOf(await emulator.waitForReply(reload.id, 20_000));
  expect(report.title).toBe('Corpus reloaded');
  expect(report.description).toContain('**Every process** (2 of 2) now serves corpus version');
  const version = /corpus version `(\w+)`/.exec(report.description!)![1];
  // The other shard answers from the new article at once: the reply came after every process had reloaded.
  const asked = emulator.chatInput('ask', { question: FLOOD_QUESTION }, { guildId: second });
  expect(embedOf(await emulator.waitForReply(asked.id, 10_000)).description).toContain('`flood-report#p2`');
  for (const guildId of [first, second]) {
    const help = emulator.chatInput('help', {}, { guildId });
    expect(embedOf(await emulator.waitForReply(help.id, 10_000)).footer?.text).toBe(`Corpus version ${version}`);
  }
}

describe('npm run start:sharded: two shards under discord.js ShardingManager', () => {
  let emulator: DiscordEmulator;
  let corpus: Awaited<ReturnType<typeof copyCorpus>>;
  let manager: Child;

  beforeAll(async () => {
    // Two shards recommended (SHARD_COUNT unset means auto), and a guild on each.
    emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition), shards: 2, maxConcurrency: 16 });
    corpus = await copyCorpus();
    // As the package script starts it: the launcher runs the bundled manager, whose shards run the bot's bundle.
    manager = new Child(process.execPath, ['scripts/run.mjs', 'src/discord/shards-main.ts'], {
      env: childEnv({ DISCORD_TOKEN: emulator.token, DISCORD_API_BASE: emulator.apiBase, CORPUS_DIR: corpus.dir }),
    });
    await manager.waitFor(/shards: all 2 shard\(s\) ready/, 90_000);
    await emulator.waitForShards([0, 1]);
  }, 120_000);

  afterAll(async () => {
    const finished = await manager?.stop();
    await emulator?.close();
    await corpus?.remove();
    expect(finished?.code).toBe(0);
    expect(finished?.stdout).toMatch(/shards: starting shard\(s\) 0, 1 of 2/);
    expect(finished?.stderr).not.toContain('run: compiling');
    expect(finished.stdout + finished.stderr).not.toContain(emulator.token);
  });

  it('identifies each shard as [i, 2], and each answers the guild Discord routes to it', async () => {
    const identified = emulator.gatewayReceived.filter((payload) => payload.op === 2).map((payload) => (payload.d as { shard: number[] }).shard);
    expect(identified).toEqual(expect.arrayContaining([[0, 2], [1, 2]]));
    for (const [shard, guildId] of emulator.guildIds.entries()) {
      expect(shardOf(guildId, 2)).toBe(shard);
      const asked = emulator.chatInput('ask', { question: 'Who seized the police station?' }, { guildId });
      expect(embedOf(await emulator.waitForReply(asked.id, 10_000)).title).toBe('From the articles');
    }
  });

  it('makes a reload through one shard reach the other (discord.js broadcastEval), both then showing one version', async () => {
    await reloadThroughFirstGuild(emulator, corpus);
  });

  it('respawns a shard whose process is killed, which then answers its guild again', async () => {
    const pid = Number(/shards: shard 1 of 2 started \(pid (\d+)\)/.exec(manager.stdout)![1]);
    process.kill(pid, 'SIGKILL');
    await manager.waitFor(/shards: shard 1 exited; respawning it/, 10_000);
    await manager.waitFor(new RegExp(`shards: shard 1 of 2 started \\(pid (?!${pid}\\))\\d+\\)`), 30_000);
    // Logged in again: a new session, which (as on Discord) gets no interaction sent while the shard was down.
    await manager.waitFor(new RegExp(`logged in as .* as shard 1 of 2 on \\S+ pid (?!${pid}\\n)\\d+\\n`), 30_000);
    const asked = emulator.chatInput('ask', { question: 'Who seized the police station?' }, { guildId: emulator.guildIds[1] });
    expect(embedOf(await emulator.waitForReply(asked.id, 10_000)).title).toBe('From the articles');
  }, 60_000);
});

describe('npm start with SHARD_IDS and SHARD_COUNT: one shard per host, sharing a reload folder', () => {
  let emulator: DiscordEmulator;
  let corpus: Awaited<ReturnType<typeof copyCorpus>>;
  let hosts: Child[] = [];

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition), shards: 2 });
    corpus = await copyCorpus();
    const sync = await makeTempDir();
    hosts = [0, 1].map(
      (shard) =>
        new Child(process.execPath, ['--import', 'tsx', BOT_MAIN], {
          env: childEnv({
            DISCORD_TOKEN: emulator.token,
            DISCORD_API_BASE: emulator.apiBase,
            CORPUS_DIR: corpus.dir,
            SHARD_IDS: String(shard),
            SHARD_COUNT: '2',
            RELOAD_SYNC_DIR: sync,
          }),
        }),
    );
    await Promise.all(hosts.map((host) => host.waitFor(/incident-desk: logged in as /, 60_000)));
    await emulator.waitForShards([0, 1]);
  }, 90_000);

  afterAll(async () => {
    const finished = await Promise.all(hosts.map((host) => host.stop()));
    await emulator?.close();
    await corpus?.remove();
    await removeTempDirs();
    expect(finished.map((result) => result.code)).toEqual([0, 0]);
    expect(finished[1]!.stdout).toMatch(/ as shard 1 of 2 on \S+ pid \d+\n/);
  });

  it('runs only its own shard in each process, and a reload through one reaches the other through the folder', async () => {
    const identified = emulator.gatewayReceived.filter((payload) => payload.op === 2).map((payload) => (payload.d as { shard: number[] }).shard);
    expect(identified.sort()).toEqual([[0, 2], [1, 2]]);
    await reloadThroughFirstGuild(emulator, corpus);
  });
});

describe('npm run start:sharded with DATABASE_URL: the shards share the database, and reach each other through it', () => {
  it('has each shard listen on the database, and a reload through one reach the other there', async () => {
    const database = await freshDatabase(testPostgresUrl(), 'shards');
    const emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition), shards: 2, maxConcurrency: 16 });
    const corpus = await copyCorpus();
    const manager = new Child(process.execPath, ['--import', 'tsx', SHARDS_MAIN], {
      env: childEnv({ DISCORD_TOKEN: emulator.token, DISCORD_API_BASE: emulator.apiBase, CORPUS_DIR: corpus.dir, SHARD_COUNT: '2', DATABASE_URL: database.url }),
    });
    try {
      await manager.waitFor(/shards: all 2 shard\(s\) ready/, 90_000);
      await emulator.waitForShards([0, 1]);
      // The reload goes through LISTEN/NOTIFY, not discord.js IPC: both shards are listeners on the database.
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const { rows } = await admin.query<{ name: string }>("SELECT application_name AS name FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, 'incident-desk: ') ORDER BY 1");
      await admin.end();
      expect(rows.map((row) => row.name)).toEqual([expect.stringMatching(/^incident-desk: shard 0 of 2 on /), expect.stringMatching(/^incident-desk: shard 1 of 2 on /)]);
      await reloadThroughFirstGuild(emulator, corpus);
    } finally {
      const finished = await manager.stop();
      await emulator.close();
      await corpus.remove();
      await database.drop();
      expect(finished.code).toBe(0);
    }
  }, 150_000);
});

describe('npm run start:sharded when the manager itself dies', () => {
  it('stops its shards rather than leave them serving unmanaged', async () => {
    const emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
    const manager = new Child(process.execPath, ['--import', 'tsx', SHARDS_MAIN], {
      env: childEnv({ DISCORD_TOKEN: emulator.token, DISCORD_API_BASE: emulator.apiBase, SHARD_COUNT: '1' }),
    });
    try {
      await manager.waitFor(/shards: all 1 shard\(s\) ready/, 60_000);
      const pid = Number(/shards: shard 0 of 1 started \(pid (\d+)\)/.exec(manager.stdout)![1]);
      manager.process.kill('SIGKILL');
      await manager.finished;
      const alive = (): boolean => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await expect.poll(alive, { timeout: 15_000, interval: 200 }).toBe(false);
      expect(emulator.connected).toBe(false);
    } finally {
      await manager.stop();
      await emulator.close();
    }
  }, 90_000);
});
