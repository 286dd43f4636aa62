import 'dotenv/config';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import { ConfigError, parseConfig } from '../config/env.js';
import { describeStartupError, stopOnSignals } from './lifecycle.js';
import { consoleLogger as logger } from './log.js';
import { fetchGatewayAdvice, gatewaySharding } from './sharding.js';

/**
 * The script each shard runs: `npm start`'s entry beside this file, with this file's own extension, so the same
 * line serves `src/` run through tsx and compiled `dist/` JavaScript.
 */
export const SHARD_SCRIPT = fileURLToPath(new URL(`./main${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Discord lets `max_concurrency` shards identify per 5 s; discord.js waits 5.5 s between shards by default. */
const IDENTIFY_WINDOW_MS = 5_500;

/** How long a shard has to log in before the manager reports it failed (discord.js's default). */
const SHARD_READY_TIMEOUT_MS = 30_000;

/**
 * `npm run start:sharded`: discord.js's `ShardingManager` runs each shard of `SHARD_COUNT` (`auto` by default:
 * Discord's recommendation) in its own process, or only `SHARD_IDS` of them on this host, and respawns a shard
 * whose process dies. Stops every shard on SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const token = config.DISCORD_TOKEN;
  if (token === undefined) {
    throw new ConfigError('config: DISCORD_TOKEN is not set: copy the token from the Developer Portal (your application, Bot page) into .env');
  }
  // Checks SHARD_IDS against SHARD_COUNT as a plain `npm start` would.
  const { shards } = gatewaySharding(config, process.env);
  // Asked here rather than by the manager: its own lookup of "auto" ignores DISCORD_API_BASE.
  const advice = await fetchGatewayAdvice(token, config.DISCORD_API_BASE);
  const totalShards = typeof config.SHARD_COUNT === 'number' ? config.SHARD_COUNT : advice.shards;
  const manager = new ShardingManager(SHARD_SCRIPT, {
    token,
    totalShards,
    shardList: Array.isArray(shards) ? shards : 'auto',
    mode: 'process',
    respawn: true,
    // The shards run as this process does (under tsx from src/, plain node from dist/).
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard) => {
    // Process mode: each shard is a ChildProcess, whose pid an operator can match with `ps`.
    shard.on('spawn', () => logger.info(`shards: shard ${shard.id} of ${totalShards} started (pid ${shard.process?.pid ?? '?'})`));
    shard.on('death', () => logger.error(`shards: shard ${shard.id} exited; ${manager.respawn ? 'respawning it' : 'not respawning'}`));
  });
  const stopShards = (): Promise<unknown> =>
    Promise.all(
      [...manager.shards.values()].map((shard) => {
        const child = shard.process;
        // kill() sends SIGTERM, which each shard answers by disconnecting; waited for so none outlives the manager.
        shard.kill();
        return child && child.exitCode === null ? once(child, 'exit') : Promise.resolve();
      }),
    );
  stopOnSignals(stopShards, logger);
  const ids = Array.isArray(shards) ? shards : Array.from({ length: totalShards }, (_, id) => id);
  logger.info(`shards: starting shard(s) ${ids.join(', ')} of ${totalShards}`);
  try {
    await manager.spawn({ amount: totalShards, delay: Math.ceil(IDENTIFY_WINDOW_MS / advice.maxConcurrency), timeout: SHARD_READY_TIMEOUT_MS });
  } catch (error) {
    // A shard that never became ready stops the start; the ones already logged in must not stay on unmanaged.
    await stopShards();
    throw new Error(`shards: ${(error as Error).message}`, { cause: error });
  }
  logger.info(`shards: all ${ids.length} shard(s) ready`);
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
