import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/env.js';
import { joinFleet } from '../../src/fleet/join.js';
import { Library } from '../../src/library/library.js';
import { REPO_CORPUS } from '../support/bot-harness.js';

describe('joinFleet', () => {
  it('refuses DATABASE_URL and RELOAD_SYNC_DIR together, naming both, since every process would reload twice', async () => {
    const config = parseConfig({ DATABASE_URL: 'postgres://bot:pw@127.0.0.1:9/incident_desk', RELOAD_SYNC_DIR: '/tmp/never-made' });
    const joining = joinFleet(config, await Library.load(REPO_CORPUS), 'gateway', () => undefined);
    await expect(joining).rejects.toThrow(ConfigError);
    await expect(joining).rejects.toThrow(/^config: DATABASE_URL and RELOAD_SYNC_DIR are both set/);
  });

  it('joins nothing for a single process with neither set', async () => {
    expect(await joinFleet(parseConfig({}), await Library.load(REPO_CORPUS), 'gateway', () => undefined)).toBeUndefined();
  });
});
