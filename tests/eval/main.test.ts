import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm run eval', () => {
  it('says where it looked and how to point it elsewhere when the evaluation data is missing, without a stack trace', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/eval/main.ts', '--data', path.join(ROOT, 'no-such-eval-dir')], {
      cwd: ROOT,
      timeout: 60_000,
    });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe(
      `eval: no question file at ${path.join(ROOT, 'no-such-eval-dir', 'questions.jsonl')}: the evaluation data is not in this repository; pass --data DIR (or --questions FILE)`,
    );
  });
});
