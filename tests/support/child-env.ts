/** The environment for running the project's real entry points as child processes in tests. */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scratchDir } from '../fixtures/corpus.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Every variable the project reads, set explicitly, and a `.env` path that does not exist: a developer's own
 * `.env` or shell cannot change what a test sees.
 */
export function childEnv(overrides: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    // The run's own temporary folder (tests/support/leftovers.ts), for what the programs make there.
    TMPDIR: tmpdir(),
    DOTENV_CONFIG_PATH: path.join(REPO_ROOT, 'tests', 'no-such.env'),
    CORPUS_DIR: path.join(REPO_ROOT, 'corpus'),
    MAX_CORPUS_FILE_BYTES: '',
    DISCORD_TOKEN: '',
    DISCORD_APPLICATION_ID: '',
    DISCORD_GUILD_ID: '',
    DISCORD_API_BASE: '',
    MODERATOR_ROLE_IDS: '',
    ASK_COOLDOWN_SECONDS: '0',
    // The sentence model costs a second and about 150 MB per process: only the tests about it turn it on.
    EMBEDDINGS: 'off',
    CACHE_DIR: scratchDir('cache'),
    SHARD_COUNT: '',
    SHARD_IDS: '',
    HTTP_PORT: '',
    HTTP_HOST: '',
    DISCORD_PUBLIC_KEY: '',
    RELOAD_SYNC_DIR: '',
    DATABASE_URL: '',
    // Bots started by tests never write to the repository's data or cache folders.
    DATA_DIR: scratchDir('data'),
    RECORD_QUESTIONS: '',
    QUESTION_RETENTION_DAYS: '',
    CONVERSATION_ANSWERS: '',
    ...overrides,
  };
}
