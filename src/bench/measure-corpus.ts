import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import { AnswerEngine } from '../answer/engine.js';
import { DEFAULT_LIBRARY_OPTIONS, Library } from '../library/library.js';
import { indexSnapshotFile } from '../search/index-snapshot.js';
import { distribution, median, ratio, round, type Distribution } from './stats.js';

export interface CorpusJob {
  readonly label: string;
  readonly directory: string;
  /** A JSON file holding the questions, in the order they are asked. */
  readonly queriesFile: string;
  readonly warmup: number;
  readonly buildRepeats: number;
  readonly reloads: number;
  /** How long the event loop is watched while idle, for the floor of its delay. */
  readonly idleMs: number;
  /** The baseline answers every this many questions (1: all). */
  readonly baselineEvery: number;
}

export interface MemoryFigures {
  /** Before the corpus is loaded (the process with its modules: the floor), and after, with a full GC first. */
  readonly heapBeforeMb: number;
  readonly rssBeforeMb: number;
  readonly heapMb: number;
  readonly rssMb: number;
  /** Highest RSS of the process through the first load and the reloads (two corpora at once, briefly). */
  readonly peakRssMb: number;
  readonly heapPer1000PassagesMb: number;
  readonly rssPer1000PassagesMb: number;
  /** MiniSearch with default options over the same passages (texts already in memory): its heap per 1,000. */
  readonly baselineHeapPer1000PassagesMb: number;
  readonly heapPer1000Ratio: number;
}

export interface CorpusFigures {
  readonly label: string;
  readonly documents: number;
  readonly passages: number;
  readonly queries: number;
  readonly baselineQueries: number;
  readonly answer: { readonly ours: Distribution; readonly baseline: Distribution; readonly p50Ratio: number; readonly p99Ratio: number };
  readonly build: { readonly oursMs: number; readonly baselineMs: number; readonly ratio: number };
  readonly reload: {
    /** Library.load at start-up, every file just written (as after a deploy): read, validate, split, index. */
    readonly firstLoadMs: number;
    /**
     * Library.reload with nothing changed: look at every file, compare, swap (median of the reloads).
     */
    readonly reloadMs: number;
    /** The first of those reloads after the start, and the median of the later ones (NaN with one reload). */
    readonly firstReloadMs: number;
    readonly laterReloadsMs: number;
    /**
     * From the end of the start until it had hashed again, in the background, the files too recent to trust when it
     * read them (`Library.filesTrusted`), waiting out the margin included; the reloads come after.
     */
    readonly filesTrustedMs: number;
    /** Library.reload after one document was edited (a sentence added): only that document is parsed and re-indexed. */
    readonly editOneMs: number;
    readonly editOneMaxEventLoopDelayMs: number;
    /** The reload after an edit, against our own full index build of the corpus. */
    readonly editOneRatioToBuild: number;
    readonly reloadRatioToBaselineBuild: number;
    /**
     * Longest event-loop delay seen during any reload; the floors: while idle, and while the loop runs 15 ms
     * slices of busy work as long as a reload (what this machine's scheduler and GC alone cause under load).
     */
    readonly maxEventLoopDelayMs: number;
    /** The longest delay of each reload, median over the reloads: less at the mercy of one preemption. */
    readonly medianReloadMaxDelayMs: number;
    readonly idleEventLoopDelayMs: number;
    readonly busyEventLoopDelayMs: number;
  };
  /** A restart with the corpus unchanged: Library.load reading and validating the corpus, the index from its snapshot. */
  readonly restart: {
    readonly restartMs: number;
    readonly maxEventLoopDelayMs: number;
    /** Against our own full index build of the same run, and against the first load (which built). */
    readonly ratioToBuild: number;
    readonly ratioToFirstLoad: number;
    /** A restart after one document was edited: the saved index restored, then updated as a reload would. */
    readonly editOneMs: number;
    readonly editOneRatioToBuild: number;
    /** Saving the snapshot after the build that preceded the restart, in the background; and its size. */
    readonly saveMs: number;
    readonly snapshotMb: number;
  };
  readonly memory: MemoryFigures;
}

const MB = 1024 * 1024;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench: the corpus child needs --expose-gc');
  gc();
  gc();
}

/**
 * Interleaves the two searches question by question, alternating which runs first, after a warm-up. The baseline
 * runs on every `baselineEvery`-th question only (MiniSearch with default options needs seconds per question on
 * the largest corpus); ours on every one.
 */
function measureAnswers(
  engine: AnswerEngine,
  baseline: MiniSearch,
  queries: readonly string[],
  warmup: number,
  baselineEvery: number,
): { ours: number[]; baseline: number[]; sink: number } {
  const ours: number[] = [];
  const theirs: number[] = [];
  let sink = 0;
  const timeOurs = (question: string): number => {
    const started = performance.now();
    sink += engine.answerLexically(question).quotes.length;
    return performance.now() - started;
  };
  const timeTheirs = (question: string): number => {
    const started = performance.now();
    sink += baseline.search(question).length;
    return performance.now() - started;
  };
  for (let i = 0; i < warmup + queries.length; i++) {
    const question = queries[i % queries.length]!;
    const measured = i >= warmup;
    if (i % baselineEvery !== 0) {
      const oursMs = timeOurs(question);
      if (measured) ours.push(oursMs);
      continue;
    }
    const oursFirst = (i / baselineEvery) % 2 === 0;
    const a = oursFirst ? timeOurs(question) : timeTheirs(question);
    const b = oursFirst ? timeTheirs(question) : timeOurs(question);
    if (measured) {
      ours.push(oursFirst ? a : b);
      theirs.push(oursFirst ? b : a);
    }
  }
  return { ours, baseline: theirs, sink };
}

/** Keeps the event loop as busy as a reload does, in slices of `sliceMs` with some garbage, for `durationMs`. */
async function busyWork(durationMs: number, sliceMs: number): Promise<number> {
  const until = performance.now() + durationMs;
  let sink = 0;
  while (performance.now() < until) {
    const sliceEnd = performance.now() + sliceMs;
    while (performance.now() < sliceEnd) sink += Array.from({ length: 64 }, (_, i) => ({ i })).length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sink;
}

function buildBaseline(passages: readonly { id: string; text: string }[]): MiniSearch {
  const search = new MiniSearch({ fields: ['text'] });
  search.addAll(passages);
  return search;
}

async function measureEventLoop<T>(action: () => Promise<T>): Promise<{ result: T; maxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await action();
    return { result, maxMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Measures one corpus folder; run in a fresh child process (see `child.ts`), so heap and RSS belong to that corpus
 * alone: memory after the first load, reloads under an event-loop monitor, answer latency against MiniSearch
 * defaults, and index build time against MiniSearch defaults.
 */
export async function measureCorpus(job: CorpusJob): Promise<CorpusFigures> {
  const queries = JSON.parse(await readFile(job.queriesFile, 'utf8')) as string[];

  // Memory and the first load: nothing else of this corpus is in the process yet. The start comes just after the
  // files were written, as after a deploy, whether or not this process took long to start.
  await touchDocuments(job.directory);
  collectGarbage();
  const before = process.memoryUsage();
  let started = performance.now();
  const library = await Library.load(job.directory);
  const firstLoadMs = performance.now() - started;
  collectGarbage();
  const after = process.memoryUsage();
  const passageCount = library.current.engine.passageCount;
  started = performance.now();
  await library.filesTrusted();
  const filesTrustedMs = performance.now() - started;

  // Reloads, watching the event loop throughout; the peak RSS covers serving one corpus while building the next.
  const idle = await measureEventLoop(() => sleep(job.idleMs));
  const reloadTimes: number[] = [];
  const reloadDelays: number[] = [];
  for (let i = 0; i < job.reloads; i++) {
    collectGarbage();
    started = performance.now();
    const { result, maxMs } = await measureEventLoop(() => library.reload());
    reloadTimes.push(performance.now() - started);
    if (!result.ok) throw new Error(`bench: reload of ${job.label} failed: ${JSON.stringify(result.problems.slice(0, 3))}`);
    reloadDelays.push(maxMs);
  }
  const restore = await editOneDocument(job.directory);
  collectGarbage();
  started = performance.now();
  const editReload = await measureEventLoop(() => library.reload());
  const editOneMs = performance.now() - started;
  await restore();
  if (!editReload.result.ok) throw new Error(`bench: reload of ${job.label} after an edit failed: ${JSON.stringify(editReload.result.problems.slice(0, 3))}`);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const busy = await measureEventLoop(() => busyWork(Math.max(1000, Math.min(median(reloadTimes), 5000)), 15));
  const engine = library.current.engine;
  // Per 1,000 passages only where there are enough for module and JIT memory not to dominate.
  const per1000 = (bytes: number): number => (passageCount < 1000 ? Number.NaN : (bytes / MB / passageCount) * 1000);

  const passages = engine.passages().map(({ passage }) => ({ id: passage.id, text: passage.text }));
  collectGarbage();
  const heapWithoutBaseline = process.memoryUsage().heapUsed;
  started = performance.now();
  const baseline = buildBaseline(passages);
  const baselineBuild = [performance.now() - started];
  collectGarbage();
  const baselineHeap = process.memoryUsage().heapUsed - heapWithoutBaseline;

  // Answer latency, interleaved with MiniSearch defaults over the same passages.
  const answers = measureAnswers(engine, baseline, queries, job.warmup, job.baselineEvery);

  // Index build: ours (analysis, stems, MiniSearch, vocabulary; yields to the event loop) against MiniSearch defaults.
  // The baseline's first build was timed above, with its memory.
  const oursBuild: number[] = [];
  for (let i = 0; i < job.buildRepeats; i++) {
    collectGarbage();
    started = performance.now();
    await AnswerEngine.build(engine.corpus);
    oursBuild.push(performance.now() - started);
    if (i === job.buildRepeats - 1) break;
    collectGarbage();
    started = performance.now();
    buildBaseline(passages);
    baselineBuild.push(performance.now() - started);
  }

  // A restart: one load that builds and saves the index snapshot, then a load of the unchanged corpus from it.
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'bench-snapshot-'));
  const withSnapshot = { ...DEFAULT_LIBRARY_OPTIONS, indexSnapshot: { directory: cacheDir, log: (line: string) => console.error(line) } };
  const saving = await Library.load(job.directory, withSnapshot);
  started = performance.now();
  await saving.indexSaved();
  const saveMs = performance.now() - started;
  const snapshotMb = (await stat(indexSnapshotFile(cacheDir, saving.current.engine.corpus.directory))).size / MB;
  collectGarbage();
  started = performance.now();
  const restart = await measureEventLoop(() => Library.load(job.directory, withSnapshot));
  const restartMs = performance.now() - started;
  if (restart.result.current.engine.indexOrigin !== 'snapshot') throw new Error(`bench: the restart of ${job.label} built its index instead of loading the snapshot`);
  const restoreEdited = await editOneDocument(job.directory);
  collectGarbage();
  started = performance.now();
  const editedRestart = await Library.load(job.directory, withSnapshot);
  const editOneRestartMs = performance.now() - started;
  await editedRestart.indexSaved();
  await restoreEdited();
  if (editedRestart.current.engine.indexOrigin !== 'snapshot') throw new Error(`bench: the restart of ${job.label} after an edit built its index instead of updating the snapshot's`);
  await rm(cacheDir, { recursive: true, force: true });

  const ours = distribution(answers.ours);
  const theirs = distribution(answers.baseline);
  const oursBuildMs = median(oursBuild);
  const baselineBuildMs = median(baselineBuild);
  const reloadMs = median(reloadTimes);
  const heapPer1000 = per1000(after.heapUsed - before.heapUsed);
  const baselineHeapPer1000 = per1000(baselineHeap);
  return {
    label: job.label,
    documents: engine.corpus.documents.length,
    passages: passageCount,
    queries: answers.ours.length,
    baselineQueries: answers.baseline.length,
    answer: {
      ours: roundDistribution(ours),
      baseline: roundDistribution(theirs),
      p50Ratio: ratio(ours.p50, theirs.p50),
      p99Ratio: ratio(ours.p99, theirs.p99),
    },
    build: { oursMs: round(oursBuildMs, 1), baselineMs: round(baselineBuildMs, 1), ratio: ratio(oursBuildMs, baselineBuildMs) },
    reload: {
      firstLoadMs: round(firstLoadMs, 1),
      reloadMs: round(reloadMs, 1),
      firstReloadMs: round(reloadTimes[0]!, 1),
      laterReloadsMs: round(median(reloadTimes.slice(1)), 1),
      filesTrustedMs: round(filesTrustedMs, 1),
      reloadRatioToBaselineBuild: ratio(reloadMs, baselineBuildMs),
      editOneMs: round(editOneMs, 1),
      editOneMaxEventLoopDelayMs: round(editReload.maxMs, 1),
      editOneRatioToBuild: ratio(editOneMs, oursBuildMs),
      maxEventLoopDelayMs: round(Math.max(...reloadDelays), 1),
      medianReloadMaxDelayMs: round(median(reloadDelays), 1),
      idleEventLoopDelayMs: round(idle.maxMs, 1),
      busyEventLoopDelayMs: round(busy.maxMs, 1),
    },
    restart: {
      restartMs: round(restartMs, 1),
      maxEventLoopDelayMs: round(restart.maxMs, 1),
      ratioToBuild: ratio(restartMs, oursBuildMs),
      ratioToFirstLoad: ratio(restartMs, firstLoadMs),
      editOneMs: round(editOneRestartMs, 1),
      editOneRatioToBuild: ratio(editOneRestartMs, oursBuildMs),
      saveMs: round(saveMs, 1),
      snapshotMb: round(snapshotMb, 1),
    },
    memory: {
      heapBeforeMb: round(before.heapUsed / MB, 1),
      rssBeforeMb: round(before.rss / MB, 1),
      heapMb: round(after.heapUsed / MB, 1),
      rssMb: round(after.rss / MB, 1),
      peakRssMb: round(peakRssMb, 1),
      heapPer1000PassagesMb: round(heapPer1000, 3),
      rssPer1000PassagesMb: round(per1000(after.rss - before.rss), 3),
      baselineHeapPer1000PassagesMb: round(baselineHeapPer1000, 3),
      heapPer1000Ratio: ratio(heapPer1000, baselineHeapPer1000),
    },
  };
}

/** Sets every document file's times to now, as writing it would: a start just after a deploy. */
async function touchDocuments(directory: string): Promise<void> {
  const documents = path.join(directory, 'documents');
  const now = new Date();
  for (const name of await readdir(documents, { recursive: true })) {
    const file = path.join(documents, name);
    if ((await stat(file)).isFile()) await utimes(file, now, now);
  }
}

/**
 * A moderator's usual change: one sentence added to the last paragraph of the first document file. Returns what
 * puts the file back, so later parts of the run see the corpus as generated.
 */
async function editOneDocument(directory: string): Promise<() => Promise<void>> {
  const documents = path.join(directory, 'documents');
  const first = (await readdir(documents)).filter((name) => name.endsWith('.txt')).sort()[0];
  if (first === undefined) throw new Error(`bench: no document file in ${documents} to edit`);
  const file = path.join(documents, first);
  const original = await readFile(file, 'utf8');
  await writeFile(file, `${original.trimEnd()} The bench edited this paragraph.\n`);
  return () => writeFile(file, original);
}

function roundDistribution(d: Distribution): Distribution {
  return { count: d.count, p50: round(d.p50, 3), p99: round(d.p99, 3), mean: round(d.mean, 3), max: round(d.max, 3) };
}
