import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RECORDER = path.join(import.meta.dirname, 'support', 'record-many.ts');

describe('one store file shared by several processes (shards)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incident-desk-shared-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every question and vote that three processes write at once, and the file stays sound', async () => {
    const run = (name: string): Promise<unknown> =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', RECORDER, dir, name, '300'], { cwd: ROOT, timeout: 60_000 });
    await Promise.all([run('shard-a'), run('shard-b'), run('shard-c')]);
    const db = new Database(path.join(dir, 'questions.sqlite'), { readonly: true });
    const counts = db.prepare('SELECT (SELECT COUNT(*) FROM questions) AS questions, (SELECT COUNT(*) FROM votes) AS votes').get();
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();
    expect(counts).toEqual({ questions: 900, votes: 900 });
    expect(integrity).toBe('ok');
  }, 60_000);
});
