import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { childEnv } from '../support/child-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MISSING = path.join(ROOT, 'no-such-eval-dir');

function runEval(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/eval/main.ts', '--data', MISSING, ...args], { cwd: ROOT, env: childEnv(), timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('npm run eval without the evaluation data', () => {
  it('says what is missing and where, then evaluates the question sets this repository holds', async () => {
    const { code, stdout, stderr } = await runEval(['--mode', 'lexical', '--quiet']);
    expect(code).toBe(0);
    expect(stderr.trim()).toBe(
      `eval: no questions.jsonl in ${MISSING} (the evaluation data is not in this repository; pass --data DIR): evaluating the question sets in this repository instead (src/eval/our-questions.jsonl, src/eval/probe-questions.jsonl, src/eval/chat-questions.jsonl)`,
    );
    for (const set of ['our-questions', 'probe-questions', 'chat-questions']) expect(stdout).toMatch(new RegExp(`Questions from .*src/eval/${set}\\.jsonl \\(\\d+, 1 documents\\)\\n  top-1 .* \\d+\\.\\d %`));
  });

  it('refuses --squad, naming the missing folders, before evaluating anything, with no stack trace', async () => {
    const { code, stdout, stderr } = await runEval(['--squad']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      `eval: no squad-v1.1-dev and squad-v2.0-dev in ${MISSING} (the evaluation data is not in this repository; pass --data DIR): --squad cannot run, so nothing was evaluated`,
    );
  });
});
