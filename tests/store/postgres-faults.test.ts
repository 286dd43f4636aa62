import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../../src/answer/engine.js';
import { Library } from '../../src/library/library.js';
import { PostgresBackend } from '../../src/store/postgres-backend.js';
import { QuestionLog } from '../../src/store/question-log.js';
import { REPO_CORPUS } from '../support/bot-harness.js';
import { freshDatabase } from '../support/postgres-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { testPostgresUrl } from './support/engines.js';

const FAST = { retryFirstMs: 50, retryMaxMs: 200, refusedRetryMs: 200, connectTimeoutMs: 2_000 };

describe('the PostgreSQL store when the server is away or refuses', () => {
  let engine: AnswerEngine;
  let database: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  const opened: PostgresBackend[] = [];
  const logged: string[] = [];
  const connect = async (url: string): Promise<PostgresBackend> => {
    const backend = await PostgresBackend.connect(url, { log: (line) => logged.push(line), defaults: FAST });
    opened.push(backend);
    return backend;
  };
  const ask = async (log: QuestionLog, question: string): Promise<number | undefined> =>
    log.record({ question, answer: await engine.answer(question), corpusVersion: 'test' });

  beforeAll(async () => {
    engine = (await Library.load(REPO_CORPUS)).current.engine;
  });
  beforeEach(async () => {
    database = await freshDatabase(testPostgresUrl(), 'faults');
    const server = new URL(testPostgresUrl());
    proxy = await TcpProxy.reserve({ host: server.hostname, port: Number(server.port) });
  });
  afterEach(async () => {
    for (const backend of opened.splice(0)) await backend.close();
    await proxy.close();
    await database.drop();
    logged.length = 0;
  });

  it('starts with the server down: one line saying so, nothing recorded, /gaps unavailable; once it is up, reconnects and records', async () => {
    const backend = await connect(proxy.rewrite(database.url));
    const log = QuestionLog.on(backend, { record: true, retentionDays: 90 });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^store: PostgreSQL at 127\.0\.0\.1:\d+\/faults_\w+ \(DATABASE_URL\) is unreachable: .*ECONNREFUSED.*; answering with recording off, retrying with back-off$/);
    expect(log.status).toMatchObject({ recording: false, available: false, text: expect.stringContaining('is unreachable') });
    expect(await ask(log, 'Were any journalists hurt?')).toBeUndefined();
    expect(await log.gaps(30, 0)).toBeUndefined();
    // Retried with back-off while down, without a line per attempt.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(logged).toHaveLength(1);

    await proxy.open();
    await expect.poll(() => log.status.recording, { timeout: 5_000 }).toBe(true);
    expect(logged[1]).toMatch(/^store: connected again to PostgreSQL at /);
    expect(await ask(log, 'Were any journalists hurt?')).toBeTypeOf('number');
    expect((await log.gaps(30, 0))!.asked).toBe(1);
  });

  it('loses no acknowledged vote when the connection drops mid-run, and records again after reconnecting', async () => {
    await proxy.open();
    const backend = await connect(proxy.rewrite(database.url));
    const log = QuestionLog.on(backend, { record: true, retentionDays: 90 });
    const ids: number[] = [];
    for (const question of ['Who seized the police station?', 'How many hostage-takers were killed?']) ids.push((await ask(log, question))!);
    expect(await log.vote(ids[0]!, 'member-1', 'wrong')).toBe('recorded');

    await proxy.close();
    // The next call finds the connection gone: the store says so, once, and the call is declined, not thrown.
    expect(await log.vote(ids[1]!, 'member-1', 'wrong')).toBe('off');
    expect(log.status.text).toMatch(/lost the connection to PostgreSQL .*reconnecting/);
    expect(logged.filter((line) => line.includes('lost the connection'))).toHaveLength(1);

    await proxy.open();
    await expect.poll(() => log.status.recording, { timeout: 5_000 }).toBe(true);
    expect(await log.vote(ids[1]!, 'member-1', 'wrong')).toBe('recorded');
    const report = (await log.gaps(30, 0))!;
    expect(report.asked).toBe(2);
    expect(report.wrongQuotes.reduce((sum, quote) => sum + quote.count, 0)).toBe(2);
  });

  it('names DATABASE_URL in one line when the password is refused, and keeps answering without recording', async () => {
    const wrong = new URL(database.url);
    wrong.password = 'not-the-password';
    const log = QuestionLog.on(await connect(wrong.toString()), { record: true, retentionDays: 90 });
    expect(logged).toEqual([expect.stringMatching(/^store: PostgreSQL refused the user or password in DATABASE_URL \(password authentication failed for user "\w+"\): fix DATABASE_URL; recording is off until then$/)]);
    expect(logged[0]).not.toContain('not-the-password');
    expect(log.status.available).toBe(false);
    expect(await ask(log, 'Were any journalists hurt?')).toBeUndefined();
  });

  it('names DATABASE_URL in one line when the database does not exist', async () => {
    const missing = new URL(database.url);
    missing.pathname = '/no_such_database';
    const log = QuestionLog.on(await connect(missing.toString()), { record: true, retentionDays: 90 });
    expect(logged).toEqual([expect.stringMatching(/^store: the database named in DATABASE_URL does not exist \(database "no_such_database" does not exist\): create it \(createdb\) or fix DATABASE_URL; recording is off until then$/)]);
    expect(log.status.text).toContain('does not exist');
  });

  it('migrates once when several processes start on an empty database together: none fails, the version is the latest', async () => {
    const backends = await Promise.all(Array.from({ length: 5 }, () => connect(database.url)));
    expect(backends.map((backend) => backend.problem)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(logged).toEqual([]);
    const [{ version }] = (await backends[0]!.all<{ version: number }>('SELECT version FROM schema_version')) as [{ version: number }];
    const { MIGRATIONS } = await import('../../src/store/schema.js');
    expect(version).toBe(MIGRATIONS.length);
  });

  it('refuses a database from a newer version of the bot instead of changing it, naming DATABASE_URL', async () => {
    const first = await connect(database.url);
    await first.run('UPDATE schema_version SET version = 99');
    const log = QuestionLog.on(await connect(database.url), { record: true, retentionDays: 90 });
    expect(log.status.text).toMatch(/has schema version 99, newer than this bot's \d+: run a newer incident-desk, or point DATABASE_URL elsewhere/);
  });
});
