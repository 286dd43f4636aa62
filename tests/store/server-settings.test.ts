import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuestionLog } from '../../src/store/question-log.js';
import { ServerSettings } from '../../src/store/server-settings.js';

describe('ServerSettings', () => {
  let dir: string;
  const opened: { close(): void }[] = [];
  const open = (fallback: 'everywhere' | 'off' = 'everywhere'): ServerSettings => {
    const settings = ServerSettings.open(dir, { mode: fallback });
    opened.push(settings);
    return settings;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incident-desk-settings-'));
  });
  afterEach(async () => {
    for (const each of opened.splice(0)) each.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the default to a server that chose nothing', () => {
    expect(open('off').conversation('111111111111111111')).toEqual({ mode: 'off' });
  });

  it('keeps each server\'s choice in the file, where another process reads it', () => {
    const first = open();
    expect(first.setConversation('111111111111111111', { mode: 'channels', channelIds: ['222222222222222222', '333333333333333333'] })).toBe(true);
    expect(first.setConversation('444444444444444444', { mode: 'off' })).toBe(true);
    const second = open();
    expect(second.conversation('111111111111111111')).toEqual({ mode: 'channels', channelIds: ['222222222222222222', '333333333333333333'] });
    expect(second.conversation('444444444444444444')).toEqual({ mode: 'off' });
    expect(second.conversation('555555555555555555')).toEqual({ mode: 'everywhere' });
  });

  it('adds its table to a file of the first schema version without touching the questions in it', () => {
    const log = QuestionLog.open({ dataDir: dir, record: true, retentionDays: 90 });
    const db = new Database(path.join(dir, 'questions.sqlite'));
    db.exec('DROP TABLE conversation_settings');
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO questions (asked_at, question, group_key, outcome, confidence, corpus_version) VALUES (1, 'kept?', 'kept', 'abstained', 0, 'v')").run();
    db.close();
    log.close();
    const settings = open();
    expect(settings.setConversation('111111111111111111', { mode: 'off' })).toBe(true);
    const check = new Database(path.join(dir, 'questions.sqlite'));
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    expect(check.prepare('SELECT question FROM questions').all()).toEqual([{ question: 'kept?' }]);
    check.close();
  });

  it('falls back to the default, and says it cannot save, when the file is not a database', async () => {
    await writeFile(path.join(dir, 'questions.sqlite'), 'not a database at all, just text '.repeat(200));
    const settings = open('off');
    expect(settings.conversation('111111111111111111')).toEqual({ mode: 'off' });
    expect(settings.setConversation('111111111111111111', { mode: 'everywhere' })).toBe(false);
    expect(settings.unavailable).toMatch(/questions\.sqlite: the file is corrupt or not a database/);
  });
});
