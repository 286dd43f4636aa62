/**
 * The store's schema, one migration per version. `PRAGMA user_version` holds the version a file is at; start-up
 * applies the missing migrations in order. Never edit a released migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: questions asked, votes on answers, the installation's vote salt. No user ids or names anywhere.
  `
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
  // 2: where each server lets the bot answer in the conversation (mentions, replies). Server and channel ids only.
  `
  CREATE TABLE conversation_settings (
    guild_id TEXT PRIMARY KEY,
    mode TEXT NOT NULL CHECK (mode IN ('everywhere', 'off', 'channels')),
    -- For 'channels': the channel ids, comma-separated.
    channel_ids TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
  ) STRICT;
  `,
];
