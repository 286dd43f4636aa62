/**
 * The store's schema, one migration per version, written once for each engine: SQLite (the embedded default) and
 * PostgreSQL (`DATABASE_URL`). The two columns of a version hold the same tables, columns and indexes; only the
 * types differ. SQLite keeps the version a file is at in `PRAGMA user_version`, PostgreSQL in the one-row table
 * `schema_version`; start-up applies the missing migrations in order. Never edit a released migration: add the next.
 */
export interface Migration {
  readonly sqlite: string;
  readonly postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  // 1: questions asked, votes on answers, the installation's vote salt. No user ids or names anywhere.
  {
    sqlite: `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    asked_at INTEGER NOT NULL,
    guild_id TEXT,
    question TEXT NOT NULL,
    -- The question's sorted content stems joined by spaces, or for a question with none '#' and its lower-cased text.
    group_key TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'low-confidence', 'abstained')),
    confidence REAL NOT NULL,
    corpus_version TEXT NOT NULL,
    passage_id TEXT,
    quote TEXT
  ) STRICT;
  CREATE INDEX questions_by_time ON questions (asked_at);
  -- Covers /gaps: its GROUP BY walks this in order, with no table look-ups and no sorting.
  CREATE INDEX questions_gaps ON questions (group_key, asked_at, question) WHERE outcome != 'answered';
  CREATE TABLE votes (
    voter TEXT PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    verdict TEXT NOT NULL CHECK (verdict IN ('helpful', 'wrong')),
    voted_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX votes_by_question ON votes (question_id);
  `,
    postgres: `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- Ids are handed out in blocks (question_ids), so a process names an answer before its row is written.
  CREATE SEQUENCE question_ids INCREMENT BY 64;
  CREATE TABLE questions (
    id BIGINT PRIMARY KEY,
    asked_at BIGINT NOT NULL,
    guild_id TEXT,
    question TEXT NOT NULL,
    group_key TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'low-confidence', 'abstained')),
    confidence DOUBLE PRECISION NOT NULL,
    corpus_version TEXT NOT NULL,
    passage_id TEXT,
    quote TEXT
  );
  CREATE INDEX questions_by_time ON questions (asked_at);
  CREATE INDEX questions_gaps ON questions (group_key, asked_at, question) WHERE outcome <> 'answered';
  CREATE TABLE votes (
    voter TEXT PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    verdict TEXT NOT NULL CHECK (verdict IN ('helpful', 'wrong')),
    voted_at BIGINT NOT NULL
  );
  CREATE INDEX votes_by_question ON votes (question_id);
  `,
  },
  // 2: where each server lets the bot answer in the conversation (mentions, replies). Server and channel ids only.
  {
    sqlite: `
  CREATE TABLE conversation_settings (
    guild_id TEXT PRIMARY KEY,
    mode TEXT NOT NULL CHECK (mode IN ('everywhere', 'off', 'channels')),
    -- For 'channels': the channel ids, comma-separated.
    channel_ids TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
  ) STRICT;
  `,
    postgres: `
  CREATE TABLE conversation_settings (
    guild_id TEXT PRIMARY KEY,
    mode TEXT NOT NULL CHECK (mode IN ('everywhere', 'off', 'channels')),
    channel_ids TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
  );
  `,
  },
];
