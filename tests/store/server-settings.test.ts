import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuestionLog } from '../../src/store/question-log.js';
import { ServerSettings } from '../../src/store/server-settings.js';

// What both engines do with server settings is in question-log.test.ts (one suite run on each); here, the SQLite file's own cases.
describe('ServerSettings in the SQLite file', () => {
  let dir: string;
  const opened: { close(): Promise<void> }[] = [];
  const open = (fallback: 'everywhere' | 'off' = 'everywhere'): ServerSettings => {
    const settings = ServerSettings.open(dir, { mode: fallback });
    opened.push(settings);
    return settings;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incident-desk-settings-'));
  });
  afterEach(async () => {
    for (const each of opened.splice(0)) await each.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds its table to a file of the first schema version without touching the questions in it', async () => {
    const log = QuestionLog.open({ dataDir: dir, record: true, retentionDays: 90 });
    const db = new Database(path.join(dir, 'questions.sqlite'));
    db.exec('DROP TABLE conversation_settings');
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO questions (asked_at, question, group_key, outcome, confidence, corpus_version) VALUES (1, 'kept?', 'kept', 'abstained', 0, 'v')").run();
    db.close();
    await log.close();
    const settings = open();
    expect(await settings.setConversation('111111111111111111', { mode: 'off' })).toBe(true);
    const check = new Database(path.join(dir, 'questions.sqlite'));
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    expect(check.prepare('SELECT question FROM questions').all()).toEqual([{ question: 'kept?' }]);
    check.close();
  });

  it('falls back to the default, and says it cannot save, when the file is not a database', async () => {
    await writeFile(path.join(dir, 'questions.sqlite'), 'not a database at all, just text '.repeat(200));
    const settings = open('off');
    expect(await settings.conversation('111111111111111111')).toEqual({ mode: 'off' });
    expect(await settings.setConversation('111111111111111111', { mode: 'everywhere' })).toBe(false);
    expect(settings.unavailable).toMatch(/questions\.sqlite: the file is corrupt or not a database/);
  });
});
