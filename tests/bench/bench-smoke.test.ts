import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../src/bench/report.js';
import { EVAL_DATA_PRESENT } from '../support/eval-data.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `npm run bench -- --json` on the bundled corpus with the smallest sizes (`--smoke`): checks the shape of the
 * JSON only. Speed is measured by the benchmark itself, never asserted here.
 */
describe('npm run bench --json', () => {
  // The bench asks the development questions, which live in ../shared/eval.
  it.skipIf(!EVAL_DATA_PRESENT)('writes one JSON object with the corpus figures, the machine and every target', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/bench/main.ts', '--smoke', '--only', 'bundled,semantic,conversation', '--json'],
      { cwd: ROOT, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
    );
    const results = JSON.parse(stdout) as BenchResults;
    expect(results.mode).toBe('smoke');
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
    expect(results.targets).toHaveLength(21);
    expect(results.targets.every((target) => target.pass === undefined || typeof target.pass === 'boolean')).toBe(true);
  }, 90_000);
});
