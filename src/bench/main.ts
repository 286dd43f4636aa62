/**
 * `npm run bench`: answer latency, index build and reload, memory, cold start, Discord interaction latency and the store's costs,
 * each next to a baseline measured in the same run. A table for people; `--json` prints the same figures as one
 * JSON object. Each corpus is measured in its own child process (`child.ts`), so memory figures stay clean.
 */
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeMissing, findEvalData, IN_REPO_QUESTION_SETS } from '../eval/eval-data.js';
import { DEFAULT_EVAL_DIR, readSquad } from '../eval/squad.js';
import { seededRandom } from '../eval/typos.js';
import { answerModelTargets, LANDED_ENGINE_COMMIT, measureAnswerModel, type AnswerModelFigures, type AnswerModelJob } from './answer-model.js';
import type { ChildJob } from './child.js';
import { measureColdStart } from './cold-start.js';
import { copyCorpusFolder, GENERATED_RECIPE, generatedSources, readDevQuestions, squadSources, writeCorpusFolder } from './corpora.js';
import type { InteractionFigures } from './interaction.js';
import type { StoreFigures } from './store.js';
import type { ConversationFigures } from './conversation.js';
import type { DatabaseFigures } from './database.js';
import type { CorpusFigures } from './measure-corpus.js';
import { semanticTargets, type SemanticFigures } from './measure-semantic.js';
import type { FleetFigures, ModesFigures } from './scale.js';
import { conversationTargets, databaseTargets, evaluateTargets, renderTables, type BenchResults, type Machine } from './report.js';
import { shuffle } from './stats.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PARTS = ['bundled', 'squad', 'generated', 'cold-start', 'interaction', 'semantic', 'modes', 'fleet', 'store', 'conversation', 'answer-model', 'database'] as const;
type Part = (typeof PARTS)[number];

const USAGE = `npm run bench [-- options]
  --quick           a smaller, faster run (fewer questions and repeats, 20,000-passage generated corpus)
  --smoke           the smallest run, to check that it works (tests/bench/bench-smoke.test.ts)
  --json            print the figures as one JSON object instead of tables (progress goes to stderr)
  --out FILE        also write the JSON object to FILE (e.g. bench-results/latest.json)
  --passages N      passages in the generated corpus (default 100000; --quick: 20000)
  --only LIST       comma-separated parts: ${PARTS.join(',')}
  --data DIR        evaluation data (default ../shared/eval); without it, the parts that need SQuAD are left out
  --cache DIR       where the sentence vectors of the semantic and answer-model parts are kept between runs (default CACHE_DIR or ./.cache)
  --baseline REF    the commit the answer-model part measures the learned engine against (default ${LANDED_ENGINE_COMMIT}, the landed engine)
  --keep            keep the temporary corpus folders`;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    passages: { type: 'string' },
    only: { type: 'string' },
    data: { type: 'string', default: DEFAULT_EVAL_DIR },
    cache: { type: 'string', default: process.env['CACHE_DIR'] ?? path.join(ROOT, '.cache') },
    keep: { type: 'boolean', default: false },
    baseline: { type: 'string', default: LANDED_ENGINE_COMMIT },
    help: { type: 'boolean', default: false },
  },
});

/** How much each part measures: `--quick` trades precision for a run of about a minute, `--smoke` only checks it runs. */
const SIZES = args.smoke
  ? {
      queries: { bundled: 20, squad: 20, generated: 20 },
      baselineEvery: { bundled: 1, squad: 1, generated: 1 },
      warmup: { bundled: 5, squad: 5, generated: 5 },
      buildRepeats: { bundled: 1, squad: 1, generated: 1 },
      reloads: { bundled: 2, squad: 2, generated: 2 },
      idleMs: 100,
      passages: 500,
      coldRuns: 1,
      interactions: 5,
      interactionWarmup: 2,
      semanticQueries: 10,
      fleetProcesses: 2,
      fleetReloads: 1,
      store: { recorded: 2000, gapsRepeats: 2, asks: 10, warmup: 2 },
      // Checks the part runs: the bundled corpus, lexically, a few questions, no console starts.
      answerModel: {
        modes: ['lexical'] as const,
        squad: false,
        count: { fused: { bundled: 5, squad: 5 }, lexical: { bundled: 10, squad: 10 } },
        warmup: { fused: 2, lexical: 2 },
        coldRuns: 0,
      },
      database: { recorded: 2000, gapsRepeats: 2, asks: 10, warmup: 2, processes: 2, reloads: 1, killAfterMs: 100 },
    }
  : args.quick
    ? {
        queries: { bundled: 400, squad: 600, generated: 150 },
        baselineEvery: { bundled: 1, squad: 1, generated: 5 },
        warmup: { bundled: 100, squad: 100, generated: 30 },
        buildRepeats: { bundled: 1, squad: 1, generated: 1 },
        reloads: { bundled: 3, squad: 3, generated: 3 },
        idleMs: 500,
        passages: 20_000,
        coldRuns: 4,
        interactions: 100,
        interactionWarmup: 20,
        semanticQueries: 200,
        fleetProcesses: 4,
        fleetReloads: 2,
        store: { recorded: 20_000, gapsRepeats: 5, asks: 100, warmup: 20 },
        answerModel: {
          modes: ['lexical', 'fused'] as const,
          squad: true,
          count: { fused: { bundled: 150, squad: 300 }, lexical: { bundled: 400, squad: 400 } },
          warmup: { fused: 30, lexical: 50 },
          coldRuns: 3,
        },
        database: { recorded: 20_000, gapsRepeats: 5, asks: 100, warmup: 20, processes: 3, reloads: 2, killAfterMs: 300 },
      }
    : {
        // MiniSearch with default options takes about a second per question at 100,000 passages: there it
        // answers every tenth question only.
        queries: { bundled: 3000, squad: 3000, generated: 600 },
        baselineEvery: { bundled: 1, squad: 1, generated: 10 },
        warmup: { bundled: 300, squad: 300, generated: 60 },
        buildRepeats: { bundled: 5, squad: 3, generated: 3 },
        reloads: { bundled: 5, squad: 3, generated: 3 },
        idleMs: 1000,
        passages: 100_000,
        coldRuns: 8,
        interactions: 600,
        interactionWarmup: 50,
        semanticQueries: 600,
        fleetProcesses: 4,
        fleetReloads: 5,
        store: { recorded: 100_000, gapsRepeats: 10, asks: 600, warmup: 50 },
        // Fused, every question is asked once (the question-vector cache would answer a repeat): the bundled
        // corpus has the 448 distinct questions of src/eval/*-questions.jsonl.
        answerModel: {
          modes: ['lexical', 'fused'] as const,
          squad: true,
          count: { fused: { bundled: 400, squad: 1500 }, lexical: { bundled: 2000, squad: 2000 } },
          warmup: { fused: 48, lexical: 200 },
          coldRuns: 8,
        },
        database: { recorded: 100_000, gapsRepeats: 10, asks: 600, warmup: 50, processes: 3, reloads: 5, killAfterMs: 500 },
      };

/** A problem with how the bench was started: said in one line, without a stack trace. */
class BenchError extends Error {}

const progress = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    totalMemoryGb: Math.round(os.totalmem() / 1024 ** 3),
  };
}

/** Runs one job in a fresh `node --expose-gc --import tsx` process and returns what it sends back. */
async function runChild<T>(work: string, job: ChildJob): Promise<T> {
  const jobFile = path.join(work, `job-${job.kind}-${Date.now()}.json`);
  await writeFile(jobFile, JSON.stringify(job));
  return new Promise<T>((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'child.ts'), [jobFile], {
      cwd: ROOT,
      execArgv: ['--expose-gc', '--import', 'tsx'],
      // The child's output goes to our stderr, so `--json` keeps stdout for the JSON alone.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let figures: T | undefined;
    child.on('message', (message) => {
      figures = (message as { figures: T }).figures;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (figures !== undefined) resolve(figures);
      else reject(new Error(`bench: the ${job.kind} child exited with ${code} without results`));
    });
  });
}

async function main(): Promise<void> {
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const began = performance.now();
  const only = new Set<Part>(args.only ? (args.only.split(',').map((part) => part.trim()) as Part[]) : PARTS);
  for (const part of only) if (!PARTS.includes(part)) throw new BenchError(`bench: unknown part "${part}" (${PARTS.join(', ')})`);
  const passages = args.passages ? Number(args.passages) : SIZES.passages;
  if (!Number.isInteger(passages) || passages < 1) throw new BenchError('bench: --passages must be a positive integer');

  // Without the evaluation data, the parts that need SQuAD are left out and the questions come from this repository.
  const data = findEvalData(args.data);
  const needSquad = (['squad', 'generated'] as const).filter((part) => only.has(part));
  if (!data.squadV1 && args.only !== undefined && needSquad.length > 0) {
    throw new BenchError(describeMissing('bench', data, ['squad-v1.1-dev'], `--only ${needSquad.join(',')} cannot run without SQuAD, so nothing was measured`));
  }
  const skipped: string[] = [];
  const say = (line: string): boolean => process.stderr.write(`${line}\n`);
  if (!data.devQuestions) say(describeMissing('bench', data, ['questions.jsonl'], 'asking the question sets in this repository instead (src/eval/*-questions.jsonl)'));
  if (!data.squadV1) {
    skipped.push(
      ...needSquad,
      ...(only.has('semantic') && !args.smoke ? ['semantic on the squad and generated corpora'] : []),
      ...(only.has('answer-model') && SIZES.answerModel.squad ? ['answer-model on the 2,067-passage corpus'] : []),
    );
    for (const part of needSquad) only.delete(part);
    if (skipped.length > 0) say(describeMissing('bench', data, ['squad-v1.1-dev'], `leaving out ${skipped.join(', ')}`));
  }
  const devQuestions = (await Promise.all(data.devQuestions ? [readDevQuestions(data.devQuestions)] : IN_REPO_QUESTION_SETS.map(readDevQuestions))).flat();
  const squad = data.squadV1 ? await readSquad(data.squadV1) : { articles: [], questions: [] };
  const squadQuestions = squad.questions.map((question) => question.question);
  const work = await mkdtemp(path.join(os.tmpdir(), 'incident-desk-bench-'));
  const corpora: CorpusFigures[] = [];
  let coldStart: BenchResults['coldStart'];
  let interaction: InteractionFigures | undefined;
  const semantic: SemanticFigures[] = [];
  let modes: ModesFigures | undefined;
  let fleet: FleetFigures | undefined;
  let store: StoreFigures | undefined;
  let conversation: ConversationFigures | undefined;
  let answerModel: AnswerModelFigures | undefined;
  let database: DatabaseFigures | undefined;

  try {
    const bundledDir = path.join(work, 'bundled');
    await copyCorpusFolder(path.join(ROOT, 'corpus'), bundledDir);

    /** Dev questions and a seeded sample of SQuAD questions, shuffled together. */
    const queriesFor = async (label: string, count: number): Promise<string> => {
      const random = seededRandom(7 + label.length);
      const sample = shuffle(squadQuestions, random).slice(0, Math.max(0, count - devQuestions.length));
      const queries = shuffle([...devQuestions, ...sample], random);
      const file = path.join(work, `queries-${label}.json`);
      await writeFile(file, JSON.stringify(queries));
      return file;
    };
    const measure = async (label: 'bundled' | 'squad' | 'generated', directory: string): Promise<void> => {
      progress(`measuring the ${label} corpus in a child process`);
      const figures = await runChild<CorpusFigures>(work, {
        kind: 'corpus',
        label,
        directory,
        queriesFile: await queriesFor(label, SIZES.queries[label]),
        warmup: SIZES.warmup[label],
        buildRepeats: SIZES.buildRepeats[label],
        reloads: SIZES.reloads[label],
        idleMs: SIZES.idleMs,
        baselineEvery: SIZES.baselineEvery[label],
      });
      progress(
        `${label}: ${figures.passages} passages, answer p99 ${figures.answer.ours.p99} ms vs ${figures.answer.baseline.p99} ms (ratio ${figures.answer.p99Ratio}), reload ${figures.reload.reloadMs} ms`,
      );
      corpora.push(figures);
    };

    if (only.has('bundled')) await measure('bundled', bundledDir);
    if (only.has('squad')) {
      const dir = path.join(work, 'squad');
      await writeCorpusFolder(dir, squadSources(squad.articles));
      await measure('squad', dir);
    }
    if (only.has('generated')) {
      const dir = path.join(work, 'generated');
      progress(`generating ${passages} passages`);
      await mkdir(dir, { recursive: true });
      await writeCorpusFolder(dir, generatedSources(squad.articles, passages));
      await measure('generated', dir);
    }
    if (only.has('cold-start')) {
      progress(`cold start: ${SIZES.coldRuns} runs each of the console (compiled, through scripts/run.mjs, and through the tsx command), node -e 0 and node --import tsx -e 0`);
      const emptyCache = path.join(work, 'empty-cache');
      coldStart = await measureColdStart(ROOT, bundledDir, devQuestions[0] ?? 'Who seized the police station?', SIZES.coldRuns, emptyCache);
    }
    if (only.has('semantic')) {
      // Distinct questions: a repeated one would be answered from the question cache, not embedded.
      const distinct = [...new Set(shuffle([...devQuestions, ...squadQuestions], seededRandom(11)))];
      const queriesFile = path.join(work, 'queries-semantic.json');
      await writeFile(queriesFile, JSON.stringify(distinct.slice(0, SIZES.semanticQueries)));
      const cacheDir = args.cache;
      // The smoke run checks the part works; embedding a larger corpus with a cold cache would take minutes.
      const sizes: Record<string, string> = args.smoke || !data.squadV1
        ? { bundled: bundledDir }
        : { bundled: bundledDir, squad: path.join(work, 'squad'), generated: path.join(work, 'generated') };
      for (const [label, directory] of Object.entries(sizes)) {
        if (label === 'squad' && !only.has('squad')) await writeCorpusFolder(directory, squadSources(squad.articles));
        if (label === 'generated' && !only.has('generated')) {
          await mkdir(directory, { recursive: true });
          await writeCorpusFolder(directory, generatedSources(squad.articles, passages));
        }
        progress(`semantic: fused answers on the ${label} corpus, against one search + one embedding + brute force`);
        const floorEvery = label === 'generated' ? SIZES.baselineEvery.generated : 1;
        semantic.push(await runChild<SemanticFigures>(work, { kind: 'semantic', label, directory, cacheDir, queriesFile, warmup: SIZES.interactionWarmup, floorEvery }));
      }
    }
    if (only.has('interaction')) {
      progress(`interaction latency: ${SIZES.interactions} of /ask and of a trivial command through the Discord emulator`);
      interaction = await runChild<InteractionFigures>(work, {
        kind: 'interaction',
        corpusDir: bundledDir,
        questions: devQuestions,
        count: SIZES.interactions,
        warmup: SIZES.interactionWarmup,
      });
    }
    if (only.has('modes')) {
      progress(`HTTP interactions mode: ${SIZES.interactions} /ask each through HTTP and through the gateway, alternating`);
      modes = await runChild<ModesFigures>(work, {
        kind: 'modes',
        corpusDir: bundledDir,
        questions: devQuestions,
        count: SIZES.interactions,
        warmup: SIZES.interactionWarmup,
      });
    }
    if (only.has('fleet')) {
      progress(`reload across ${SIZES.fleetProcesses} HTTP replicas sharing a reload folder, ${SIZES.fleetReloads} reload(s)`);
      const fleetDir = path.join(work, 'fleet');
      await copyCorpusFolder(path.join(ROOT, 'corpus'), fleetDir);
      fleet = await runChild<FleetFigures>(work, { kind: 'fleet', corpusDir: fleetDir, processes: SIZES.fleetProcesses, reloads: SIZES.fleetReloads });
    }
    if (only.has('store')) {
      progress(`store: /gaps with ${SIZES.store.recorded} recorded questions, and ${SIZES.store.asks} of /ask with recording on and off`);
      store = await runChild<StoreFigures>(work, {
        kind: 'store',
        corpusDir: bundledDir,
        questions: [...devQuestions, ...squadQuestions],
        ...SIZES.store,
      });
    }
    if (only.has('conversation')) {
      progress(`conversation: ${SIZES.interactions} mention answers and /ask each through the Discord emulator, alternating; the recent-answers record's memory`);
      conversation = await runChild<ConversationFigures>(work, {
        kind: 'conversation',
        corpusDir: bundledDir,
        questions: devQuestions,
        count: SIZES.interactions,
        warmup: SIZES.interactionWarmup,
      });
    }
    if (only.has('answer-model')) {
      // The repository's own question sets about the siege (and a few about Wikipedia), each question once.
      const sets = (await readdir(path.join(ROOT, 'src', 'eval'))).filter((file) => file.endsWith('-questions.jsonl')).sort();
      const own = (await Promise.all(sets.map((file) => readDevQuestions(path.join(ROOT, 'src', 'eval', file))))).flat();
      const corpora: AnswerModelJob['corpora'] = {
        bundled: { directory: bundledDir, questions: shuffle([...new Set(own)], seededRandom(21)) },
      };
      if (SIZES.answerModel.squad && data.squadV1) {
        const directory = path.join(work, 'answer-model-squad');
        await writeCorpusFolder(directory, squadSources(squad.articles));
        corpora.squad = { directory, questions: shuffle([...new Set(squadQuestions)], seededRandom(21)) };
      }
      answerModel = await measureAnswerModel({ root: ROOT, work, baseline: args.baseline, corpora, ...SIZES.answerModel, cacheDir: args.cache, progress });
      if (answerModel.skipped) say(`bench: answer-model left out: ${answerModel.skipped}`);
    }
    if (only.has('database')) {
      progress(
        `database: ${SIZES.database.asks} /ask recording to PostgreSQL and to SQLite, alternating; /gaps with ${SIZES.database.recorded} questions on PostgreSQL; a reload over ${SIZES.database.processes} HTTP replicas and one database; a replica killed mid-write`,
      );
      const fleetCorpusDir = path.join(work, 'database-fleet');
      await copyCorpusFolder(path.join(ROOT, 'corpus'), fleetCorpusDir);
      database = await runChild<DatabaseFigures>(work, { kind: 'database', corpusDir: bundledDir, fleetCorpusDir, questions: [...devQuestions, ...squadQuestions], ...SIZES.database });
    }
  } finally {
    if (args.keep) progress(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }

  const results: BenchResults = {
    startedAt: new Date(Date.now() - (performance.now() - began)).toISOString(),
    mode: args.smoke ? 'smoke' : args.quick ? 'quick' : 'full',
    machine: machine(),
    recipe: GENERATED_RECIPE,
    questions: [data.devQuestions ?? 'src/eval/*-questions.jsonl', ...(data.squadV1 ? ['a sample of SQuAD v1.1 dev'] : [])].join(' and '),
    skipped,
    corpora,
    coldStart,
    interaction,
    semantic,
    modes,
    fleet,
    store,
    conversation,
    answerModel,
    database,
    targets: [
      ...evaluateTargets(corpora, coldStart, interaction, modes, fleet, store),
      ...conversationTargets(conversation),
      ...semanticTargets(semantic, coldStart),
      ...answerModelTargets(answerModel),
      ...databaseTargets(database),
    ],
    seconds: Math.round((performance.now() - began) / 100) / 10,
  };
  if (args.out) {
    await mkdir(path.dirname(path.resolve(args.out)), { recursive: true });
    await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
  }
  process.stdout.write(args.json ? `${JSON.stringify(results, null, 2)}\n` : `${renderTables(results)}\n`);
}

await main().catch((error: unknown) => {
  if (!(error instanceof BenchError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
