import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../../src/answer/engine.js';
import { Library } from '../../src/library/library.js';
import { QuestionLog, type QuestionLogSettings } from '../../src/store/question-log.js';
import { REPO_CORPUS } from '../support/bot-harness.js';
import { ENGINES, type StoreUnderTest } from './support/engines.js';

const DAY = 24 * 60 * 60 * 1000;

let engine: AnswerEngine;
let now = 0;
const clock = { clock: () => now };
const ask = async (log: QuestionLog, question: string): Promise<number | undefined> =>
  log.record({ question, guildId: '123456789012345678', answer: await engine.answer(question), corpusVersion: 'test' });

beforeAll(async () => {
  engine = (await Library.load(REPO_CORPUS)).current.engine;
});

describe.each(ENGINES)('QuestionLog on $name', (engineUnderTest) => {
  let store: StoreUnderTest;
  const open = (settings: Partial<Omit<QuestionLogSettings, 'dataDir'>> = {}): Promise<QuestionLog> => store.openLog(settings, clock);

  beforeEach(async () => {
    store = await engineUnderTest.create();
    now = Date.UTC(2026, 0, 10);
  });

  afterEach(async () => {
    await store.close();
  });

  it('lists abstentions grouped with their rewordings, most asked first, and leaves answered questions out', async () => {
    const log = await open();
    await ask(log, 'Were any journalists hurt?');
    await ask(log, 'Were any journalists hurt?');
    await ask(log, 'Any journalists hurt in the siege?');
    await ask(log, 'What is the weather in Bannu today?');
    await ask(log, 'How many hostage-takers were killed?');
    const report = (await log.gaps(30, 0))!;
    expect(report.asked).toBe(5);
    expect(report.unanswered).toBe(4);
    expect(report.groups.map((group) => [group.question, group.count, group.otherWordings])).toEqual([
      ['Were any journalists hurt?', 3, ['Any journalists hurt in the siege?']],
      ['What is the weather in Bannu today?', 1, []],
    ]);
  });

  it('shows the latest wording of questions counted together', async () => {
    const log = await open();
    await ask(log, 'were any journalists hurt');
    now += 1000;
    await ask(log, 'Were any journalists hurt?');
    expect((await log.gaps(30, 0))!.groups.map((group) => [group.question, group.count])).toEqual([['Were any journalists hurt?', 2]]);
  });

  it('stores no user id anywhere, only a salted hash for a vote', async () => {
    const log = await open();
    const answerId = (await ask(log, 'Who seized the police station?'))!;
    expect(await log.vote(answerId, '987654321098765432', 'wrong')).toBe('recorded');
    const everything = await store.everything();
    expect(everything).not.toContain('987654321098765432');
    const votes = (JSON.parse(everything) as { voter?: string }[][])[2]!;
    expect(votes[0]!.voter).toMatch(/^[0-9a-f]{64}$/);
  });

  it('counts one vote per member per answer, a second click changing it', async () => {
    const log = await open();
    const answerId = (await ask(log, 'Who seized the police station?'))!;
    expect(await log.vote(answerId, 'member-1', 'helpful')).toBe('recorded');
    expect(await log.vote(answerId, 'member-1', 'helpful')).toBe('unchanged');
    expect((await log.gaps(30, 0))!.wrongQuoteCount).toBe(0);
    expect(await log.vote(answerId, 'member-1', 'wrong')).toBe('changed');
    expect(await log.vote(answerId, 'member-2', 'wrong')).toBe('recorded');
    const [wrong] = (await log.gaps(30, 0))!.wrongQuotes;
    expect(wrong).toMatchObject({ passageId: 'bannu-siege#p3', question: 'Who seized the police station?', count: 2 });
    expect(wrong!.quote).toContain('seized the centre');
    expect(await log.vote(answerId + 100_000, 'member-1', 'wrong')).toBe('unknown-answer');
  });

  it('hashes a member the same in every process sharing the store, so a vote through another changes the first', async () => {
    const first = await open();
    const answerId = (await ask(first, 'Who seized the police station?'))!;
    expect(await first.vote(answerId, 'member-1', 'helpful')).toBe('recorded');
    const second = await open();
    expect(await second.vote(answerId, 'member-1', 'helpful')).toBe('unchanged');
    expect(await second.vote(answerId, 'member-1', 'wrong')).toBe('changed');
  });

  it('keeps what was recorded when the store is opened again', async () => {
    const first = await open();
    await ask(first, 'Were any journalists hurt?');
    await first.close();
    expect((await (await open()).gaps(30, 0))!.groups.map((group) => group.question)).toEqual(['Were any journalists hurt?']);
  });

  it('shows only the questions of the last `days`, and prunes those older than the retention period', async () => {
    const log = await open({ retentionDays: 10 });
    await ask(log, 'Were any journalists hurt?');
    now += 8 * DAY;
    await ask(log, 'What is the weather in Bannu today?');
    expect((await log.gaps(7, 0))!.groups.map((group) => group.question)).toEqual(['What is the weather in Bannu today?']);
    expect((await log.gaps(30, 0))!.groupCount).toBe(2);
    now += 3 * DAY;
    expect(await log.prune()).toBe(1);
    expect((await log.gaps(30, 0))!.groups.map((group) => group.question)).toEqual(['What is the weather in Bannu today?']);
  });

  it('pages the groups ten at a time', async () => {
    const log = await open();
    const topics = ['ransom', 'weather', 'football', 'elections', 'airport', 'museum', 'bridge', 'vaccine', 'festival', 'cricket', 'earthquake', 'harvest'];
    for (const topic of topics) await ask(log, `What about the ${topic} in Bannu?`);
    const first = (await log.gaps(30, 0))!;
    const second = (await log.gaps(30, 1))!;
    expect([first.pageCount, first.groups.length, second.groups.length]).toEqual([2, 10, 2]);
    expect((await log.gaps(30, 99))!.page).toBe(1);
  });

  it('clears every question and vote', async () => {
    const log = await open();
    const answerId = (await ask(log, 'Who seized the police station?'))!;
    await ask(log, 'Were any journalists hurt?');
    await log.vote(answerId, 'member-1', 'wrong');
    expect(await log.clear()).toBe(2);
    const report = (await log.gaps(30, 0))!;
    expect([report.asked, report.groupCount, report.wrongQuoteCount]).toEqual([0, 0, 0]);
  });

  it('records nothing with RECORD_QUESTIONS=false, yet still shows and clears what was recorded before', async () => {
    await ask(await open(), 'Were any journalists hurt?');
    const off = await open({ record: false });
    expect(await ask(off, 'What is the weather in Bannu today?')).toBeUndefined();
    expect(await off.vote(1, 'member-1', 'wrong')).toBe('off');
    expect(off.status).toMatchObject({ recording: false, available: true, text: 'off (RECORD_QUESTIONS=false)' });
    expect((await off.gaps(30, 0))!.groups.map((group) => group.question)).toEqual(['Were any journalists hurt?']);
    expect(await off.clear()).toBe(1);
  });

  it('keeps each server\'s conversation setting, where another process reads it, and the default for the rest', async () => {
    const first = await store.openSettings({ mode: 'everywhere' });
    expect(await first.setConversation('111111111111111111', { mode: 'channels', channelIds: ['222222222222222222', '333333333333333333'] })).toBe(true);
    expect(await first.setConversation('444444444444444444', { mode: 'off' })).toBe(true);
    const second = await store.openSettings({ mode: 'off' });
    expect(await second.conversation('111111111111111111')).toEqual({ mode: 'channels', channelIds: ['222222222222222222', '333333333333333333'] });
    expect(await second.conversation('444444444444444444')).toEqual({ mode: 'off' });
    expect(await second.conversation('555555555555555555')).toEqual({ mode: 'off' });
  });
});

describe('QuestionLog on SQLite only', () => {
  let dir: string;
  const opened: QuestionLog[] = [];
  const open = (settings: Partial<QuestionLogSettings> = {}): QuestionLog => {
    const log = QuestionLog.open({ dataDir: dir, record: true, retentionDays: 90, ...settings }, clock);
    opened.push(log);
    return log;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incident-desk-store-'));
    now = Date.UTC(2026, 0, 10);
  });

  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves no user id in the file\'s bytes, the write-ahead log included', async () => {
    const log = open();
    await log.vote((await ask(log, 'Who seized the police station?'))!, '987654321098765432', 'wrong');
    await log.close();
    const file = await readFile(path.join(dir, 'questions.sqlite'));
    const wal = await readFile(path.join(dir, 'questions.sqlite-wal')).catch(() => Buffer.alloc(0));
    expect(Buffer.concat([file, wal]).includes('987654321098765432')).toBe(false);
  });

  it('creates no file when it records nothing: reads as empty until a recording process makes the file, then reads that', async () => {
    const dataDir = path.join(dir, 'not-made-yet');
    const reader = open({ dataDir, record: false, notRecordingBecause: 'the console never records' });
    expect(reader.status).toMatchObject({ recording: false, available: true, text: 'off (the console never records)' });
    expect(await reader.gaps(30, 0)).toMatchObject({ asked: 0, groupCount: 0, wrongQuoteCount: 0 });
    expect(await reader.clear()).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
    await ask(open({ dataDir }), 'Were any journalists hurt?');
    expect((await reader.gaps(30, 0))!.groups.map((group) => group.question)).toEqual(['Were any journalists hurt?']);
  });

  it('is degraded, not fatal, on a corrupt file: nothing recorded, and the reason names the file', async () => {
    await writeFile(path.join(dir, 'questions.sqlite'), 'this is not a database, just text '.repeat(200));
    const log = open();
    expect(log.status.recording).toBe(false);
    expect(log.status.text).toMatch(/^off, answers are still served: store: cannot use .*questions\.sqlite: the file is corrupt or not a database/);
    expect(log.status.text).not.toContain('\n');
    expect(await ask(log, 'Were any journalists hurt?')).toBeUndefined();
    expect(await log.gaps(30, 0)).toBeUndefined();
  });

  it('is degraded on a folder that cannot be written, naming the file', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, '');
    const log = open({ dataDir: path.join(blocker, 'data') });
    expect(log.status.text).toContain(`store: cannot use ${path.join(blocker, 'data', 'questions.sqlite')}: the file or its folder is not writable`);
  });

  it('refuses a file from a newer version of the bot instead of changing it', () => {
    const db = new Database(path.join(dir, 'questions.sqlite'));
    db.pragma('user_version = 99');
    db.close();
    expect(open().status.text).toMatch(/has schema version 99, newer than this bot's \d+/);
  });
});
