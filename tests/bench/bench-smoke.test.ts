import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../src/bench/report.js';
import { makeTempDir } from '../fixtures/corpus.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `npm run bench -- --json` on the bundled corpus with the smallest sizes (`--smoke`): checks the shape of the
 * JSON only. Speed is measured by the benchmark itself, never asserted here.
 */
describe('npm run bench --json', () => {
  // Without the evaluation data (../shared/eval), as in a fresh clone: the bundled parts ask this repository's questions.
  // The answer-model part takes its baseline tree from git: HEAD is in any clone, however shallow, and goes through
  // the same extraction and child processes as the landed commit of a real run.
  it('writes one JSON object with the corpus figures, the machine and every target, even without the evaluation data', async () => {
    const missing = path.join(ROOT, 'no-such-eval-dir');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/bench/main.ts', '--smoke', '--only', 'bundled,semantic,conversation,answer-model,database', '--baseline', 'HEAD', '--json', '--data', missing, '--cache', await makeTempDir()],
      { cwd: ROOT, timeout: 260_000, maxBuffer: 10 * 1024 * 1024 },
    );
    expect(stderr).toContain(`bench: no questions.jsonl in ${missing} (the evaluation data is not in this repository; pass --data DIR): asking the question sets in this repository instead`);
    const results = JSON.parse(stdout) as BenchResults;
    expect(results.mode).toBe('smoke');
    expect(results.questions).toBe('src/eval/*-questions.jsonl');
    expect(results.skipped).toEqual([]);
    expect(results.machine.cpus).toBeGreaterThan(0);
    expect(results.corpora.map((corpus) => corpus.label)).toEqual(['bundled']);
    const [bundled] = results.corpora;
    expect(bundled!.passages).toBeGreaterThan(0);
    for (const value of [
      bundled!.answer.ours.p50,
      bundled!.answer.ours.p99,
      bundled!.answer.baseline.p99,
      bundled!.build.oursMs,
      bundled!.reload.reloadMs,
      bundled!.reload.editOneMs,
      bundled!.reload.editOneMaxEventLoopDelayMs,
      bundled!.reload.maxEventLoopDelayMs,
      bundled!.restart.restartMs,
      bundled!.restart.ratioToBuild,
      bundled!.memory.rssMb,
    ]) {
      expect(Number.isFinite(value)).toBe(true);
    }
    const [fused] = results.semantic ?? [];
    expect(fused).toMatchObject({ label: 'bundled', vectors: 'whole' });
    for (const value of [fused!.answer.ours.p99, fused!.answer.floor.p99, fused!.answer.p99Ratio, fused!.rssMb]) expect(Number.isFinite(value)).toBe(true);
    const { conversation } = results;
    for (const value of [conversation!.mention.p99, conversation!.ask.p99, conversation!.p99Ratio, conversation!.record.heapMb]) expect(Number.isFinite(value)).toBe(true);
    expect(conversation!.record.entries).toBe(5000);
    const { answerModel } = results;
    expect(answerModel).toMatchObject({ baseline: 'HEAD', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(answerModel!.series.map((series) => `${series.corpus} ${series.mode}`)).toEqual(['bundled lexical']);
    const [lexical] = answerModel!.series;
    for (const value of [lexical!.learned.p99, lexical!.landed.p99, lexical!.p99Ratio, lexical!.passages]) expect(Number.isFinite(value)).toBe(true);
    expect(answerModel!.modelFileBytes).toBeGreaterThan(0);
        const { database } = results;
    for (const value of [database!.askPostgres.p99, database!.askSqlite.p99, database!.p99Ratio, database!.gaps.max, database!.fleet.lastServedAfterReplyMs]) expect(Number.isFinite(value)).toBe(true);
    expect(database!.acknowledgedVotes).toBeGreaterThan(0);
    expect(results.targets).toHaveLength(30);
    expect(results.targets.every((target) => target.pass === undefined || typeof target.pass === 'boolean')).toBe(true);
  }, 270_000);

  it('leaves the answer-model part out in one line when the baseline commit is not in the git history, and still reports the model file', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/bench/main.ts', '--smoke', '--only', 'answer-model', '--baseline', 'no-such-commit', '--json'],
      { cwd: ROOT, timeout: 60_000 },
    );
    expect(stderr.split('\n').filter((line) => line.includes('answer-model left out'))).toEqual([
      `bench: answer-model left out: no commit no-such-commit in the git history of ${ROOT} (a tarball or a shallow clone?), so there is no landed engine to measure against`,
    ]);
    const { answerModel } = JSON.parse(stdout) as BenchResults;
    expect(answerModel).toMatchObject({ baseline: 'no-such-commit', series: [] });
    expect(answerModel!.modelFileBytes).toBeGreaterThan(0);
  });

  it('says in one line that a part asked for needs SQuAD, and measures nothing', async () => {
    const missing = path.join(ROOT, 'no-such-eval-dir');
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/bench/main.ts', '--smoke', '--only', 'squad', '--data', missing], { cwd: ROOT, timeout: 60_000 }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    expect(failure!.stderr).toBe(
      `bench: no squad-v1.1-dev in ${missing} (the evaluation data is not in this repository; pass --data DIR): --only squad cannot run without SQuAD, so nothing was measured\n`,
    );
  });
});
