import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../src/library/library.js';
import { QuestionLog } from '../../src/store/question-log.js';
import { runConsole } from '../fixtures/console-process.js';
import { BUNDLED_CORPUS } from '../fixtures/corpus.js';

describe('/gaps in the console', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'incident-desk-console-gaps-'));
    const { engine } = (await Library.load(BUNDLED_CORPUS)).current;
    const log = QuestionLog.open({ dataDir, record: true, retentionDays: 90 });
    for (const question of ['Were any journalists hurt?', 'Were any journalists hurt?', 'Any journalists hurt in the siege?']) {
      await log.record({ question, answer: await engine.answer(question), corpusVersion: 'test' });
    }
    await log.close();
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows what the bot recorded, records nothing itself, and clears on /gaps clear', async () => {
    const result = await runConsole('/gaps\nWhat is the weather in Bannu today?\n/gaps days: 7\n/gaps clear\n/gaps\n', { env: { DATA_DIR: dataDir } }, 60_000);
    expect(result.stderr).toBe('');
    const [first, second, , third] = result.stdout.split(/^(?=\d+ question\(s\) asked|Deleted)/m).slice(1);
    expect(first).toContain('3 question(s) asked in the last 30 day(s); 3 not answered, or answered with low confidence.');
    expect(first).toContain('Question recording: off (the console never records)');
    expect(first).toContain('  1. Were any journalists hurt?  (3 time(s), last ');
    expect(first).toContain('     also asked as: "Any journalists hurt in the siege?"');
    // The question typed in the console between the two was not recorded.
    expect(second).toMatch(/^3 question\(s\) asked in the last 7 day\(s\)/);
    expect(result.stdout).toContain('Deleted every recorded question (3) and every vote.');
    expect(third).toMatch(/^0 question\(s\) asked/);
  }, 60_000);

  it('creates no data folder or file when none exists: /help and /gaps read it as empty', async () => {
    const missing = path.join(dataDir, 'never-made');
    const result = await runConsole('/help\n/gaps\nWho seized the police station?\n', { env: { DATA_DIR: missing } }, 60_000);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Question recording: off (the console never records)');
    expect(result.stdout).toContain('0 question(s) asked in the last 30 day(s)');
    expect(existsSync(missing)).toBe(false);
  }, 60_000);
});
