import { spawn } from 'node:child_process';
import path from 'node:path';
import { median, ratio, round } from './stats.js';

export interface ColdStartFigures {
  readonly runs: number;
  /** Process start to the first line the console writes (its answer), median over the runs. */
  readonly consoleMs: number;
  readonly consoleMaxMs: number;
  /** `node -e 0`: start to exit, the floor of any Node process on this machine. */
  readonly nodeFloorMs: number;
  readonly ratio: number;
  /** `tsx -e 0`: start to exit, the floor of any process started through tsx (which starts node twice). */
  readonly tsxFloorMs: number;
  readonly tsxRatio: number;
}

/** Milliseconds from spawning to the first stdout line (or to exit, when `firstLine` is false). */
function timeProcess(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string; firstLine: boolean }): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      if (error) reject(error);
      else resolve(performance.now() - started);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (options.firstLine && stdout.includes('\n')) finish();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (code) => {
      if (!options.firstLine && code === 0) finish();
      else finish(new Error(`bench: ${command} ${args.join(' ')} exited with ${code} before answering: ${stderr.slice(0, 500)}`));
    });
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}

/**
 * Cold start: `tsx src/console/main.ts --json` with one question on stdin, to its first answer line, against
 * `node -e 0` and `tsx -e 0`, interleaved. One unmeasured run of each first fills tsx's compile cache and the
 * file cache.
 */
export async function measureColdStart(root: string, corpusDir: string, question: string, runs: number): Promise<ColdStartFigures> {
  const env = { ...process.env, CORPUS_DIR: corpusDir };
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const consoleRun = (): Promise<number> =>
    timeProcess(tsx, ['src/console/main.ts', '--json'], { cwd: root, env, stdin: `${question}\n`, firstLine: true });
  const floorRun = (): Promise<number> => timeProcess(process.execPath, ['-e', '0'], { cwd: root, env, firstLine: false });
  const tsxFloorRun = (): Promise<number> => timeProcess(tsx, ['-e', '0'], { cwd: root, env, firstLine: false });
  const consoleTimes: number[] = [];
  const floorTimes: number[] = [];
  const tsxTimes: number[] = [];
  const series: [() => Promise<number>, number[]][] = [
    [consoleRun, consoleTimes],
    [floorRun, floorTimes],
    [tsxFloorRun, tsxTimes],
  ];
  for (const [run] of series) await run();
  // Interleaved, each run starting from a different one of the three.
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < series.length; j++) {
      const [run, times] = series[(i + j) % series.length]!;
      times.push(await run());
    }
  }
  const consoleMs = median(consoleTimes);
  const nodeFloorMs = median(floorTimes);
  const tsxFloorMs = median(tsxTimes);
  return {
    runs,
    consoleMs: round(consoleMs, 1),
    consoleMaxMs: round(Math.max(...consoleTimes), 1),
    nodeFloorMs: round(nodeFloorMs, 1),
    ratio: ratio(consoleMs, nodeFloorMs),
    tsxFloorMs: round(tsxFloorMs, 1),
    tsxRatio: ratio(consoleMs, tsxFloorMs),
  };
}
