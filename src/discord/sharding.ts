import { REST, Routes, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { ConfigError, type Config } from '../config/env.js';

/** Which gateway shards one process runs, as discord.js `Client` options take them. */
export interface GatewaySharding {
  readonly shards?: number[] | 'auto' | undefined;
  readonly shardCount?: number | undefined;
}

/**
 * The shards a plain `npm start` runs: `SHARD_IDS` of `SHARD_COUNT` (one host of several), every shard of
 * `SHARD_COUNT` in this one process, or Discord's recommended count with `SHARD_COUNT=auto`. Under
 * `npm run start:sharded` the `ShardingManager` sets each shard's process itself (discord.js reads the `SHARDS`
 * it puts in the environment), so nothing here applies there.
 */
export function gatewaySharding(config: Config, env: NodeJS.ProcessEnv): GatewaySharding {
  if (isShardingManagerChild(env)) return {};
  const { SHARD_IDS: ids, SHARD_COUNT: count } = config;
  if (ids === undefined) return count === undefined ? {} : count === 'auto' ? { shards: 'auto' } : { shardCount: count };
  if (typeof count !== 'number') {
    throw new ConfigError('config: SHARD_IDS needs SHARD_COUNT, the number of shards over every host (not "auto": each host must agree on it)');
  }
  const outside = ids.filter((id) => id >= count);
  if (outside.length > 0) throw new ConfigError(`config: SHARD_IDS ${outside.join(', ')} not below SHARD_COUNT ${count} (shards count from 0)`);
  return { shards: [...new Set(ids)], shardCount: count };
}

/**
 * Removes `SHARD_COUNT` from the environment of a process that no `ShardingManager` started. discord.js's
 * `Client` reads that variable itself (it is how a manager tells its shards the total) and would take an empty
 * value, as `.env.example` leaves it, or `auto` as a number; the parsed configuration is passed explicitly instead.
 */
export function releaseShardCount(env: NodeJS.ProcessEnv): void {
  if (!isShardingManagerChild(env)) delete env['SHARD_COUNT'];
}

/** Whether this process is a shard a discord.js `ShardingManager` started. */
export function isShardingManagerChild(env: NodeJS.ProcessEnv): boolean {
  return env['SHARDING_MANAGER'] === 'true';
}

/** How a gateway process names itself to moderators: `shard 1 of 4`, `shards 0, 1 of 4`, or `gateway`. */
export function gatewayRole(config: Config, env: NodeJS.ProcessEnv): string {
  const ids = isShardingManagerChild(env) ? [Number(env['SHARDS'])] : config.SHARD_IDS;
  const count = isShardingManagerChild(env) ? Number(env['SHARD_COUNT']) : config.SHARD_COUNT;
  if (ids === undefined) return typeof count === 'number' && count > 1 ? `shards 0-${count - 1} of ${count}` : 'gateway';
  return `${ids.length === 1 ? 'shard' : 'shards'} ${ids.join(', ')} of ${String(count)}`;
}

/** What `GET /gateway/bot` says: the recommended shard count and how many shards may identify at once. */
export interface GatewayAdvice {
  readonly shards: number;
  readonly maxConcurrency: number;
}

/**
 * Asks the API (Discord's, or `DISCORD_API_BASE`) for the recommended shard count. discord.js's own
 * `fetchRecommendedShardCount`, which `ShardingManager` calls for `auto`, always asks discord.com.
 */
export async function fetchGatewayAdvice(token: string, apiBase: string | undefined): Promise<GatewayAdvice> {
  const rest = new REST(apiBase === undefined ? {} : { api: apiBase }).setToken(token);
  const result = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return { shards: result.shards, maxConcurrency: result.session_start_limit.max_concurrency };
}
