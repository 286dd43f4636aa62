import { spawn } from 'node:child_process';
import path from 'node:path';
import { median, ratio, round } from './stats.js';

export interface ColdStartFigures {
  readonly runs: number;
  /**
   * Process start to the first line the console writes (its answer), median over the runs, started as
   * `npm run console` starts it (`node scripts/run.mjs src/console/main.ts`: the compiled console).
   */
  readonly consoleMs: number;
  readonly consoleMaxMs: number;
  /** `node -e 0`: start to exit, the floor of any Node process on this machine. */
  readonly nodeFloorMs: number;
  readonly ratio: number;
  /** `node --import tsx -e 0`: the floor of any process that runs TypeScript through tsx's loader. */
  readonly tsxLoaderFloorMs: number;
  readonly tsxLoaderRatio: number;
  /** The console started through the tsx command instead (`tsx src/console/main.ts`: two Node processes). */
  readonly tsxCliConsoleMs: number;
  readonly tsxCliRatio: number;
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
 * Cold start: the console (`--json`, one question on stdin) to its first answer line, as `npm run console` starts
 * it and through the tsx command, against `node -e 0` and `node --import tsx -e 0`, interleaved. One unmeasured
 * run of each first compiles dist/ when stale and fills tsx's compile cache and the file cache.
 */
export async function measureColdStart(root: string, corpusDir: string, question: string, runs: number): Promise<ColdStartFigures> {
  const env = { ...process.env, CORPUS_DIR: corpusDir };
  const node = process.execPath;
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const options = { cwd: root, env, firstLine: false };
  const answering = { cwd: root, env, stdin: `${question}\n`, firstLine: true };
  const series = {
    console: () => timeProcess(node, ['scripts/run.mjs', 'src/console/main.ts', '--json'], answering),
    tsxCli: () => timeProcess(tsx, ['src/console/main.ts', '--json'], answering),
    node: () => timeProcess(node, ['-e', '0'], options),
    tsxLoader: () => timeProcess(node, ['--import', 'tsx', '-e', '0'], options),
  };
  const names = Object.keys(series) as (keyof typeof series)[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof series, number[]>;
  for (const name of names) await series[name]();
  // Interleaved, each round starting from a different series.
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      times[name].push(await series[name]());
    }
  }
  const consoleMs = median(times.console);
  const nodeFloorMs = median(times.node);
  const tsxLoaderFloorMs = median(times.tsxLoader);
  const tsxCliConsoleMs = median(times.tsxCli);
  return {
    runs,
    consoleMs: round(consoleMs, 1),
    consoleMaxMs: round(Math.max(...times.console), 1),
    nodeFloorMs: round(nodeFloorMs, 1),
    ratio: ratio(consoleMs, nodeFloorMs),
    tsxLoaderFloorMs: round(tsxLoaderFloorMs, 1),
    tsxLoaderRatio: ratio(consoleMs, tsxLoaderFloorMs),
    tsxCliConsoleMs: round(tsxCliConsoleMs, 1),
    tsxCliRatio: ratio(tsxCliConsoleMs, nodeFloorMs),
  };
}
