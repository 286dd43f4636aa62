import { fork, type ChildProcess } from 'node:child_process';
import { cp, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MODEL_FILE } from '../answer/combine.js';
import { timeProcess } from './cold-start.js';
import type { EngineServerJob, EngineServerReply, EngineServerRequest } from './engine-server.js';
import { extractTree } from './landed-tree.js';
import type { Target } from './report.js';
import { distribution, interleavedTimings, median, ratio, round, roundedDistribution, type Distribution } from './stats.js';

/**
 * The landed fused engine that issue 21's learned model replaces (`main` before the issue: hand-tuned ranking in
 * `src/answer/ranking.ts`); the answer-model part measures against it unless told another (`--baseline REF`).
 */
export const LANDED_ENGINE_COMMIT = '275ba4a';

export type EngineMode = 'fused' | 'lexical';
type CorpusLabel = 'bundled' | 'squad';

/** A corpus folder and the questions asked of it. */
export interface CorpusSource {
  readonly directory: string;
  readonly questions: readonly string[];
}

export interface AnswerModelJob {
  /** This checkout: the learned engine. */
  readonly root: string;
  /** The bench's temporary folder; the landed tree is extracted into it. */
  readonly work: string;
  readonly baseline: string;
  /** Corpus folders, each answered by both trees; `squad` is left out without the evaluation data. */
  readonly corpora: Partial<Record<CorpusLabel, CorpusSource>>;
  readonly modes: readonly EngineMode[];
  /** Timed questions per corpus and mode, after `warmup` untimed ones (distinct questions in fused mode). */
  readonly count: Readonly<Record<EngineMode, Readonly<Record<CorpusLabel, number>>>>;
  readonly warmup: Readonly<Record<EngineMode, number>>;
  /** Console starts per tree and mode; 0 leaves the cold start out. */
  readonly coldRuns: number;
  /** The `CACHE_DIR`-style folder the trees' vector caches are kept under, between runs. */
  readonly cacheDir: string;
  readonly progress: (line: string) => void;
}

/** One corpus in one mode: the same questions answered by both trees, interleaved question by question. */
export interface EngineSeries {
  readonly corpus: CorpusLabel;
  readonly mode: EngineMode;
  readonly passages: number;
  readonly learned: Distribution;
  readonly landed: Distribution;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
}

export interface ColdStartPair {
  readonly learnedMs: number;
  readonly landedMs: number;
  readonly ratio: number;
}

export interface AnswerModelFigures {
  /** The baseline asked for, and the commit it named (absent when skipped). */
  readonly baseline: string;
  readonly commit?: string | undefined;
  /** Why the part measured nothing against the landed engine (no git history, or no such commit). */
  readonly skipped?: string | undefined;
  readonly modelFileBytes: number;
  readonly series: readonly EngineSeries[];
  /** The console (`npm run console`, warm vector cache) to its first answer, median of the runs, each tree. */
  readonly coldStart?: { readonly runs: number; readonly fused: ColdStartPair; readonly lexical: ColdStartPair } | undefined;
}

/** One tree's engine in a child process of its own (`engine-server.ts`), answering one question at a time. */
class EngineProcess {
  private readonly child: ChildProcess;
  private waiting: ((reply: EngineServerReply) => void) | undefined;
  private exited: string | undefined;
  readonly ready: Promise<{ passages: number; loadMs: number }>;

  constructor(
    readonly name: string,
    job: EngineServerJob,
  ) {
    this.child = fork(path.join(import.meta.dirname, 'engine-server.ts'), [JSON.stringify(job)], {
      // The tree's own folder, so `--import tsx` and the tree's packages resolve there (its node_modules is ours).
      cwd: job.tree,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.waiting = (reply) => ('ready' in reply ? resolve(reply.ready) : reject(this.failure(reply)));
    });
    this.child.on('message', (reply: EngineServerReply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(reply);
    });
    this.child.on('exit', (code) => {
      this.exited = `exited with ${code}`;
      this.waiting?.({ failed: this.exited });
    });
  }

  private failure(reply: EngineServerReply): Error {
    return new Error(`bench: the ${this.name} engine: ${'failed' in reply ? reply.failed : 'answered out of turn'}`);
  }

  /** The milliseconds the engine took to answer, measured in its own process (no IPC in the figure). */
  ask(question: string): Promise<number> {
    if (this.exited) return Promise.reject(new Error(`bench: the ${this.name} engine ${this.exited}`));
    return new Promise((resolve, reject) => {
      this.waiting = (reply) => ('answered' in reply ? resolve(reply.answered.ms) : reject(this.failure(reply)));
      this.child.send({ question } satisfies EngineServerRequest);
    });
  }

  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ done: true } satisfies EngineServerRequest);
    });
  }
}

/**
 * The learned engine (this checkout) against the landed one (`baseline`, taken from git into a temporary tree):
 * for each corpus and mode a child process per tree, both loaded, answering the same questions in turn; then the
 * console's cold start of each tree, interleaved; and the model file's size.
 */
export async function measureAnswerModel(job: AnswerModelJob): Promise<AnswerModelFigures> {
  const modelFileBytes = (await stat(DEFAULT_MODEL_FILE)).size;
  const landed = await extractTree(job.root, job.baseline, path.join(job.work, 'landed-tree'));
  if ('skipped' in landed) return { baseline: job.baseline, skipped: landed.skipped, modelFileBytes, series: [] };
  job.progress(`answer-model: the landed engine is ${landed.commit.slice(0, 12)} (git archive into ${landed.tree})`);
  const trees = { learned: job.root, landed: landed.tree };
  const caches = { learned: path.join(job.cacheDir, 'bench-answer-model', 'learned'), landed: path.join(job.cacheDir, 'bench-answer-model', 'landed') };

  const series: EngineSeries[] = [];
  for (const [corpus, source] of Object.entries(job.corpora) as [CorpusLabel, CorpusSource][]) {
    for (const mode of job.modes) {
      const count = job.count[mode][corpus];
      const warmup = job.warmup[mode];
      // Fused, each question is asked once (a repeat would be answered from the question-vector cache); lexical
      // answers have no cache, and the questions are asked in turn as often as `count` needs.
      const questions = mode === 'fused' ? [...new Set(source.questions)].slice(0, warmup + count) : source.questions;
      job.progress(`answer-model: ${corpus} corpus, ${mode}: ${count} questions after ${warmup} untimed, learned and landed engines in turn`);
      const start = (name: 'learned' | 'landed'): EngineProcess => new EngineProcess(name, { tree: trees[name], corpusDir: source.directory, mode, cacheDir: caches[name] });
      const learned = start('learned');
      let other: EngineProcess | undefined;
      try {
        const { passages } = await learned.ready;
        // The trees keep separate vector caches (never one file written by two processes), but the landed tree's
        // starts as a copy of the learned tree's, just saved with this corpus's vectors: both embed the same
        // sentences with the same model (vectors are keyed by the text's hash), so the landed tree embeds nothing.
        if (mode === 'fused' && existsSync(caches.learned)) await cp(caches.learned, caches.landed, { recursive: true });
        other = start('landed');
        await other.ready;
        const landedEngine = other;
        const [ours, theirs] = await interleavedTimings(
          { warmup, count: mode === 'fused' ? Math.min(count, questions.length - warmup) : count, questions },
          (question) => learned.ask(question),
          (question) => landedEngine.ask(question),
        );
        const a = distribution(ours);
        const b = distribution(theirs);
        series.push({ corpus, mode, passages, learned: roundedDistribution(a), landed: roundedDistribution(b), p50Ratio: ratio(a.p50, b.p50), p99Ratio: ratio(a.p99, b.p99) });
        job.progress(`answer-model: ${corpus} ${mode}: p99 ${round(a.p99, 2)} ms learned vs ${round(b.p99, 2)} ms landed (ratio ${ratio(a.p99, b.p99)})`);
      } finally {
        await Promise.all([learned.stop(), other?.stop()]);
      }
    }
  }
  const bundled = job.corpora.bundled;
  const coldStart = job.coldRuns > 0 && bundled ? await coldStarts(job, trees, bundled.directory, bundled.questions[0] ?? 'Who seized the police station?') : undefined;
  return { baseline: job.baseline, commit: landed.commit, modelFileBytes, series, coldStart };
}

/**
 * The console of each tree to its first answer, as `npm run console` starts it, fused (warm vector cache) and with
 * `EMBEDDINGS=off`, rounds interleaved and each starting from another series, after one untimed start each (which
 * builds the tree's dist/ when stale and fills its cache), as in `cold-start.ts`.
 */
async function coldStarts(job: AnswerModelJob, trees: Record<'learned' | 'landed', string>, corpusDir: string, question: string): Promise<AnswerModelFigures['coldStart']> {
  job.progress(`answer-model: cold start, ${job.coldRuns} runs of each tree's console, fused and EMBEDDINGS=off`);
  const start = (name: 'learned' | 'landed', embeddings: 'on' | 'off') => () =>
    timeProcess(process.execPath, ['scripts/run.mjs', 'src/console/main.ts', '--json'], {
      cwd: trees[name],
      env: { ...process.env, CORPUS_DIR: corpusDir, EMBEDDINGS: embeddings, DATA_DIR: path.join(job.work, `cold-${name}-data`), CACHE_DIR: path.join(job.work, `cold-${name}-cache`) },
      stdin: `${question}\n`,
      firstLine: true,
    });
  const series = { learnedFused: start('learned', 'on'), landedFused: start('landed', 'on'), learnedOff: start('learned', 'off'), landedOff: start('landed', 'off') };
  const names = Object.keys(series) as (keyof typeof series)[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof series, number[]>;
  for (const name of names) await series[name]();
  for (let i = 0; i < job.coldRuns; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      times[name].push(await series[name]());
    }
  }
  const pair = (learned: number[], landed: number[]): ColdStartPair => ({ learnedMs: round(median(learned), 1), landedMs: round(median(landed), 1), ratio: ratio(median(learned), median(landed)) });
  return { runs: job.coldRuns, fused: pair(times.learnedFused, times.landedFused), lexical: pair(times.learnedOff, times.landedOff) };
}

/** Issue 21's speed and size targets, from this run's figures. */
export function answerModelTargets(figures: AnswerModelFigures | undefined): Target[] {
  const of = (corpus: CorpusLabel, mode: EngineMode): EngineSeries | undefined => figures?.series.find((s) => s.corpus === corpus && s.mode === mode);
  const against = figures?.commit ? `landed engine (${figures.baseline})` : 'landed engine';
  const notMeasured = figures?.skipped ? `not measured (${figures.skipped})` : 'not measured';
  const p99 = (s: EngineSeries | undefined): string => (s ? `${s.p99Ratio.toFixed(2)} (${s.learned.p99.toFixed(2)} / ${s.landed.p99.toFixed(2)} ms; p50 ${s.p50Ratio.toFixed(2)})` : notMeasured);
  const lexical = [of('bundled', 'lexical'), of('squad', 'lexical')];
  const within = (s: EngineSeries | undefined, limit: number): boolean | undefined => (s === undefined ? undefined : s.p99Ratio <= limit);
  const cold = figures?.coldStart;
  const mb = figures ? figures.modelFileBytes / 1024 / 1024 : undefined;
  return [
    { figure: `/ask answer p99 fused, bundled corpus / ${against}`, target: '<= 1.2', measured: p99(of('bundled', 'fused')), pass: within(of('bundled', 'fused'), 1.2) },
    { figure: `/ask answer p99 fused, SQuAD 2,067 passages / ${against}`, target: '<= 1.5', measured: p99(of('squad', 'fused')), pass: within(of('squad', 'fused'), 1.5) },
    {
      figure: `answer p99 with EMBEDDINGS=off / ${against}, bundled; SQuAD 2,067 passages`,
      target: 'reported',
      measured: lexical.some(Boolean) ? lexical.map((s) => (s ? p99(s) : 'not measured')).join('; ') : notMeasured,
      pass: lexical.some(Boolean) ? true : undefined,
    },
    {
      figure: `cold start to first console answer / ${against}'s, fused; EMBEDDINGS=off`,
      target: '<= 1.1 (unchanged within 10 %)',
      measured: cold ? `${cold.fused.ratio.toFixed(2)} (${cold.fused.learnedMs.toFixed(0)} / ${cold.fused.landedMs.toFixed(0)} ms); ${cold.lexical.ratio.toFixed(2)} (${cold.lexical.learnedMs.toFixed(0)} / ${cold.lexical.landedMs.toFixed(0)} ms)` : notMeasured,
      pass: cold && cold.fused.ratio <= 1.1 && cold.lexical.ratio <= 1.1,
    },
    { figure: 'answer model file (model/answer-model.json)', target: '< 5 MB', measured: mb === undefined ? 'not measured' : `${mb.toFixed(2)} MB`, pass: mb === undefined ? undefined : mb < 5 },
  ];
}
