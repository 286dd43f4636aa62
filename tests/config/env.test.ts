import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/env.js';

const TOKEN = `${'A'.repeat(24)}.${'b'.repeat(6)}.${'C'.repeat(27)}`;

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('needs nothing to run the console: defaults for the corpus folder and limits', () => {
    expect(parseConfig({})).toEqual({
      CORPUS_DIR: './corpus',
      MAX_CORPUS_FILE_BYTES: 5 * 1024 * 1024,
      MODERATOR_ROLE_IDS: [],
      ASK_COOLDOWN_SECONDS: 10,
      CACHE_DIR: './.cache',
      EMBEDDINGS: 'on',
      DATA_DIR: './data',
      RECORD_QUESTIONS: true,
      QUESTION_RETENTION_DAYS: 90,
      CONVERSATION_ANSWERS: 'on',
    });
  });

  it('refuses a RECORD_QUESTIONS that is not true or false, and a retention of no days', () => {
    expect(configError({ RECORD_QUESTIONS: 'no' }).message).toContain('RECORD_QUESTIONS: must be true or false');
    expect(configError({ QUESTION_RETENTION_DAYS: '0' }).message).toContain('QUESTION_RETENTION_DAYS');
  });

  it('refuses a CONVERSATION_ANSWERS that is not on or off', () => {
    expect(configError({ CONVERSATION_ANSWERS: 'channels' }).message).toContain('CONVERSATION_ANSWERS: must be "on" or "off"');
  });

  it('treats empty values as unset, as an .env copied from .env.example has them', () => {
    expect(parseConfig({ CORPUS_DIR: '', DISCORD_TOKEN: ' ', MAX_CORPUS_FILE_BYTES: '', MODERATOR_ROLE_IDS: '' })).toMatchObject({
      CORPUS_DIR: './corpus',
      DISCORD_TOKEN: undefined,
      MAX_CORPUS_FILE_BYTES: 5 * 1024 * 1024,
      MODERATOR_ROLE_IDS: [],
    });
  });

  it('reads and converts every variable', () => {
    expect(
      parseConfig({
        CORPUS_DIR: '/srv/corpus',
        MAX_CORPUS_FILE_BYTES: '1048576',
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: '123456789012345678',
        DISCORD_GUILD_ID: '223456789012345678',
        DISCORD_API_BASE: 'http://127.0.0.1:5555/api',
        MODERATOR_ROLE_IDS: ' 323456789012345678, 423456789012345678 ,',
        ASK_COOLDOWN_SECONDS: '0',
        CACHE_DIR: '/var/cache/incident-desk',
        EMBEDDINGS: ' OFF ',
        DATA_DIR: '/var/lib/desk',
        RECORD_QUESTIONS: 'false',
        QUESTION_RETENTION_DAYS: '30',
        CONVERSATION_ANSWERS: ' Off',
        UNRELATED: 'ignored',
      }),
    ).toEqual({
      CORPUS_DIR: '/srv/corpus',
      MAX_CORPUS_FILE_BYTES: 1048576,
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_GUILD_ID: '223456789012345678',
      DISCORD_API_BASE: 'http://127.0.0.1:5555/api',
      MODERATOR_ROLE_IDS: ['323456789012345678', '423456789012345678'],
      ASK_COOLDOWN_SECONDS: 0,
      CACHE_DIR: '/var/cache/incident-desk',
      EMBEDDINGS: 'off',
      DATA_DIR: '/var/lib/desk',
      RECORD_QUESTIONS: false,
      QUESTION_RETENTION_DAYS: 30,
      CONVERSATION_ANSWERS: 'off',
    });
  });

  it('takes a PostgreSQL DATABASE_URL, and refuses another kind of URL without echoing it (it may hold a password)', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://bot:pw@db.internal:5432/incident_desk' }).DATABASE_URL).toBe('postgres://bot:pw@db.internal:5432/incident_desk');
    expect(parseConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
    const error = configError({ DATABASE_URL: 'mysql://bot:hunter2@db/incident_desk' });
    expect(error.message).toContain('DATABASE_URL: must be a PostgreSQL URL such as postgres://');
    expect(error.message).not.toContain('hunter2');
  });

  it('lists every bad variable in one message', () => {
    const error = configError({
      MAX_CORPUS_FILE_BYTES: 'lots',
      DISCORD_TOKEN: 'hunter2',
      DISCORD_APPLICATION_ID: 'my-app',
      DISCORD_API_BASE: 'ftp://example.org',
      MODERATOR_ROLE_IDS: '323456789012345678,moderators',
      ASK_COOLDOWN_SECONDS: '-1',
    });
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('config: invalid environment (see .env.example):');
    for (const variable of [
      'MAX_CORPUS_FILE_BYTES',
      'DISCORD_TOKEN',
      'DISCORD_APPLICATION_ID',
      'DISCORD_API_BASE',
      'MODERATOR_ROLE_IDS',
      'ASK_COOLDOWN_SECONDS',
    ]) {
      expect(lines.some((line) => line.startsWith(`  - ${variable}`)), variable).toBe(true);
    }
    expect(error.message).toContain('DISCORD_TOKEN: does not look like a bot token');
  });

  it('never prints the value of a bad token', () => {
    for (const token of ['hunter2-secret-value', `${TOKEN}.extra part`, 'x'.repeat(80)]) {
      const error = configError({ DISCORD_TOKEN: token });
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain(token.slice(0, 12));
    }
  });

  it('refuses a file size limit that is not a positive whole number', () => {
    for (const value of ['0', '-5', '1.5', 'abc', String(2 * 1024 * 1024 * 1024)]) {
      expect(configError({ MAX_CORPUS_FILE_BYTES: value }).message).toContain('MAX_CORPUS_FILE_BYTES');
    }
  });
});

describe('the scaling variables', () => {
  it('accepts the public key as 64 hex digits and refuses anything else without echoing it', () => {
    const key = 'ab'.repeat(32);
    expect(parseConfig({ DISCORD_PUBLIC_KEY: key, HTTP_PORT: '8443' })).toMatchObject({ DISCORD_PUBLIC_KEY: key, HTTP_PORT: 8443 });
    const error = (() => {
      try {
        parseConfig({ DISCORD_PUBLIC_KEY: 'not-a-key-xyz' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toContain('DISCORD_PUBLIC_KEY: must be the 64 hex digits of the Public Key');
    expect(error?.message).not.toContain('not-a-key-xyz');
  });
});
