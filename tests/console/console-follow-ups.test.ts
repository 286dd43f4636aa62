import { describe, expect, it } from 'vitest';
import { runConsole } from '../fixtures/console-process.js';

const PROCESS_TIMEOUT = 180_000;

describe('follow-ups in the console', { timeout: PROCESS_TIMEOUT }, () => {
  it('reads a line starting with ">" as a follow-up to the last answer, along a chain', async () => {
    const result = await runConsole('How many hostage-takers were killed?\n> and how many soldiers?\n> how many were injured?\n> what\n', {}, PROCESS_TIMEOUT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(follow-up 1, read as: how many soldiers were killed?)');
    expect(result.stdout).toMatch(/\(follow-up 2, read as: how many soldiers were injured\?\)\n {2}> The defence minister, Khawaja Muhammad Asif, said .*10 to 15 members of the military injured\./);
  });

  it('asks a follow-up with no answer before it on its own', async () => {
    const result = await runConsole('> who did he blame?\n', {}, PROCESS_TIMEOUT);
    expect(result.stdout).not.toContain('read as');
    expect(result.stdout).toContain('total collapse');
  });

  it('takes {"q": …, "followUp": true} lines in --json, and says what each follow-up was read as', async () => {
    const input = ['Which group was behind the attack?', '{"q": "when did it emerge?", "followUp": true}', '{"q": "when did it emerge?"}', '> quoted', '{"q": 1}'].join('\n');
    const result = await runConsole(input, { args: ['--json'] }, PROCESS_TIMEOUT);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatchObject({ question: 'when did it emerge?', answered: true, readAs: 'when did the group emerge?', followUpDepth: 1 });
    expect((lines[1]!['quotes'] as { text: string }[])[0]?.text).toContain('emerged in 2007');
    // Without followUp, the same words are a question of their own.
    expect(lines[2]).not.toHaveProperty('readAs');
    // A plain line is a question as it always was, ">" and all.
    expect(lines[3]).toMatchObject({ question: '> quoted' });
    expect(lines[4]).toMatchObject({ answered: false, notice: expect.stringMatching(/a JSON line takes \{"q"/) as unknown });
  });
});
