import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { gaps } from '../../commands/gaps.js';
import type { CommandContext } from '../../src/commands/command.js';
import { runCommand } from '../../src/commands/run-command.js';
import { parseLine } from '../../src/console/parse-line.js';
import { Library } from '../../src/library/library.js';
import { QuestionLog } from '../../src/store/question-log.js';
import { REPO_CORPUS } from '../support/bot-harness.js';

describe('/gaps', () => {
  let dataDir: string;
  let questions: QuestionLog;
  let context: CommandContext;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'incident-desk-gaps-command-'));
    questions = QuestionLog.open({ dataDir, record: true, retentionDays: 90 });
    context = { library: await Library.load(REPO_CORPUS), invoker: { id: 'moderator', isModerator: true }, questions };
  });

  afterAll(async () => {
    await questions.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is refused to a member who is not a moderator, and changes nothing', async () => {
    const ask = commands.find((command) => command.name === 'ask')!;
    await runCommand(ask, { question: 'Were any journalists hurt?' }, context);
    const reply = await runCommand(gaps, { action: 'clear' }, { ...context, invoker: { id: 'member', isModerator: false } });
    expect(reply).toMatchObject({ kind: 'notice', tone: 'refusal' });
    expect((await questions.gaps(30, 0))!.asked).toBe(1);
  });

  it('refuses a period outside 1 to 365 days with the reason', async () => {
    expect(await runCommand(gaps, { days: 0 }, context)).toMatchObject({ kind: 'notice', text: 'days must be at least 1.' });
    expect(await runCommand(gaps, { days: 400 }, context)).toMatchObject({ kind: 'notice', text: 'days can be at most 365.' });
  });

  it('reads "/gaps clear" and "/gaps days: 7 page: 2" typed in the console', () => {
    expect(parseLine('/gaps clear', commands)).toMatchObject({ kind: 'command', command: gaps, options: { action: 'clear' } });
    expect(parseLine('/gaps days: 7 page: 2', commands)).toMatchObject({ options: { days: '7', page: '2' } });
  });

  it('says there is nothing to show where nothing is kept', async () => {
    const reply = await runCommand(gaps, {}, { ...context, questions: undefined });
    expect(reply).toMatchObject({ kind: 'notice', text: 'This bot keeps no record of questions. There is nothing to show or clear.' });
  });
});
