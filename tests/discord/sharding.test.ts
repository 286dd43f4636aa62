import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/env.js';
import { gatewayRole, gatewaySharding } from '../../src/discord/sharding.js';

const sharding = (env: NodeJS.ProcessEnv, processEnv: NodeJS.ProcessEnv = {}) => gatewaySharding(parseConfig(env), processEnv);

describe('gatewaySharding: the shards a plain npm start runs', () => {
  it('leaves sharding to discord.js when nothing is set: one shard', () => {
    expect(sharding({})).toEqual({});
  });

  it('runs every shard of SHARD_COUNT in this process, or asks Discord with auto', () => {
    expect(sharding({ SHARD_COUNT: '3' })).toEqual({ shardCount: 3 });
    expect(sharding({ SHARD_COUNT: 'auto' })).toEqual({ shards: 'auto' });
  });

  it('runs only SHARD_IDS of SHARD_COUNT, as one host of several', () => {
    expect(sharding({ SHARD_IDS: '2, 3', SHARD_COUNT: '4' })).toEqual({ shards: [2, 3], shardCount: 4 });
  });

  it('refuses SHARD_IDS without a numeric SHARD_COUNT, and ids not below it, naming the variables', () => {
    expect(() => sharding({ SHARD_IDS: '0' })).toThrow(ConfigError);
    expect(() => sharding({ SHARD_IDS: '0', SHARD_COUNT: 'auto' })).toThrow(/SHARD_IDS needs SHARD_COUNT/);
    expect(() => sharding({ SHARD_IDS: '1,4', SHARD_COUNT: '4' })).toThrow('config: SHARD_IDS 4 not below SHARD_COUNT 4 (shards count from 0)');
    expect(() => parseConfig({ SHARD_COUNT: 'many' })).toThrow(/SHARD_COUNT: must be "auto" or a whole number from 1/);
  });

  it('under a ShardingManager, leaves the shard to what the manager put in the environment', () => {
    const child = { SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' };
    expect(sharding({ SHARD_IDS: '0,1', SHARD_COUNT: '2' }, child)).toEqual({});
    expect(gatewayRole(parseConfig({ SHARD_COUNT: '2' }), child)).toBe('shard 1 of 2');
  });

  it('names the process by its shards for moderators', () => {
    expect(gatewayRole(parseConfig({}), {})).toBe('gateway');
    expect(gatewayRole(parseConfig({ SHARD_IDS: '0,1', SHARD_COUNT: '4' }), {})).toBe('shards 0, 1 of 4');
  });
});
