import { readFile } from 'node:fs/promises';
import MiniSearch from 'minisearch';
import { AnswerEngine } from '../answer/engine.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import { expandShorthand } from '../search/question.js';
import { SemanticSearch } from '../semantic/semantic-search.js';
import { SpanVectors } from '../semantic/span-vectors.js';
import { startWorkerEmbedder } from '../semantic/worker-embedder.js';
import type { ColdStartFigures } from './cold-start.js';
import { FULL_SIZE_PASSAGES, type Target } from './report.js';
import { distribution, ratio, round, type Distribution } from './stats.js';

export interface SemanticJob {
  readonly label: string;
  readonly directory: string;
  readonly cacheDir: string;
  /** A JSON file of distinct questions, asked in order, each once (a repeated one would hit the question cache). */
  readonly queriesFile: string;
  readonly warmup: number;
  /**
   * The floor runs on every this many questions: MiniSearch with default options takes seconds a question at
   * 100,000 passages, where the target is an absolute p99 rather than a ratio.
   */
  readonly floorEvery: number;
}

export interface SemanticFigures {
  readonly label: string;
  readonly passages: number;
  /** `whole`: every span embedded and searched by brute force; `on-demand`: the words' candidates only. */
  readonly vectors: 'whole' | 'on-demand';
  /** Start to vectors ready, with the cache as the job found it; and how many sentences it had to embed. */
  readonly vectorsReadyMs: number;
  readonly queries: number;
  /**
   * `engine.answer` in fused mode, against the floor of this stack: one MiniSearch search, one question embedding
   * and (for `whole`) one brute-force comparison with every span, interleaved question by question.
   */
  readonly answer: { readonly ours: Distribution; readonly floor: Distribution; readonly p99Ratio: number };
  /** With the corpus and its vectors loaded, after a full GC: the process, its embedding thread included. */
  readonly rssMb: number;
}

/** Measures fused answering on one corpus, in a child process of its own (see `child.ts`). */
export async function measureSemantic(job: SemanticJob): Promise<SemanticFigures> {
  const queries = JSON.parse(await readFile(job.queriesFile, 'utf8')) as string[];
  const started = performance.now();
  const corpus = await loadCorpus(job.directory);
  const semantic = SemanticSearch.start({ cacheDir: job.cacheDir });
  const engine = await AnswerEngine.build(corpus, undefined, semantic);
  await engine.vectorsSettled;
  if (engine.mode.mode !== 'fused') throw new Error(`bench: the sentence model is not serving (${semantic.problem ?? semantic.state})`);
  const vectorsReadyMs = performance.now() - started;
  const vectors = await semantic.vectorsFor(corpus);
  // Measured before the floor's own model thread starts, so the figure is the bot's alone.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssMb = process.memoryUsage().rss / 1024 / 1024;

  // The floor's own parts: a bare MiniSearch over the passages, and its own embedding thread.
  const floorEmbedder = await startWorkerEmbedder();
  const search = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
  search.addAll(corpus.documents.flatMap((document) => document.passages.map(({ id, text }) => ({ id, text }))));
  let sink = 0;
  const timeOurs = async (question: string): Promise<number> => {
    const t = performance.now();
    sink += (await engine.answer(question)).quotes.length;
    return performance.now() - t;
  };
  const timeFloor = async (question: string): Promise<number> => {
    const t = performance.now();
    sink += search.search(question).length;
    const [vector] = await floorEmbedder.embed([expandShorthand(question)]);
    if (vectors instanceof SpanVectors) sink += vectors.cosines(vector!).length;
    return performance.now() - t;
  };
  const ours: number[] = [];
  const floor: number[] = [];
  for (const [i, question] of queries.entries()) {
    if (i % job.floorEvery !== 0) {
      const ms = await timeOurs(question);
      if (i >= job.warmup) ours.push(ms);
      continue;
    }
    const oursFirst = (i / job.floorEvery) % 2 === 0;
    // Each side embeds the question itself: the floor's thread has no cache, and ours has not seen it.
    const a = oursFirst ? await timeOurs(question) : await timeFloor(question);
    const b = oursFirst ? await timeFloor(question) : await timeOurs(question);
    if (i < job.warmup) continue;
    ours.push(oursFirst ? a : b);
    floor.push(oursFirst ? b : a);
  }
  await floorEmbedder.close();
  await semantic.close();
  const oursDistribution = distribution(ours);
  const floorDistribution = distribution(floor);
  if (sink < 0) console.error(sink);
  return {
    label: job.label,
    passages: engine.passageCount,
    vectors: vectors instanceof SpanVectors ? 'whole' : 'on-demand',
    vectorsReadyMs: round(vectorsReadyMs, 0),
    queries: ours.length,
    answer: { ours: oursDistribution, floor: floorDistribution, p99Ratio: ratio(oursDistribution.p99, floorDistribution.p99) },
    rssMb: round(rssMb, 0),
  };
}

/** The semantic issue's targets, from this run's figures. */
export function semanticTargets(figures: readonly SemanticFigures[], coldStart: ColdStartFigures | undefined): Target[] {
  const of = (label: string): SemanticFigures | undefined => figures.find((f) => f.label === label);
  const bundled = of('bundled');
  const big = of('generated');
  const full = big !== undefined && big.passages >= FULL_SIZE_PASSAGES ? big : undefined;
  const check = (measured: number | undefined, ok: (value: number) => boolean): boolean | undefined => (measured === undefined ? undefined : ok(measured));
  return [
    {
      figure: '/ask p99 fused, bundled corpus / floor (search + embedding + brute force)',
      target: '≤ 1.5',
      measured: bundled ? `${bundled.answer.p99Ratio} (${bundled.answer.ours.p99} / ${bundled.answer.floor.p99} ms)` : '',
      pass: check(bundled?.answer.p99Ratio, (r) => r <= 1.5),
    },
    {
      figure: 'cold start to first answer, warm vector cache',
      target: '≤ 1,500 ms and below the bare model process',
      measured: coldStart ? `${coldStart.consoleMs} ms; bare ${coldStart.bareModelMs} ms` : '',
      pass: coldStart && coldStart.consoleMs <= 1500 && coldStart.consoleMs < coldStart.bareModelMs,
    },
    { figure: 'RSS fused, bundled corpus', target: '≤ 350 MB', measured: bundled ? `${bundled.rssMb} MB` : '', pass: check(bundled?.rssMb, (mb) => mb <= 350) },
    { figure: 'RSS fused, 100,000 passages', target: '≤ 1,200 MB', measured: full ? `${full.rssMb} MB` : '', pass: check(full?.rssMb, (mb) => mb <= 1200) },
    {
      figure: 'answer p99 fused, 100,000 passages',
      target: '≤ 60 ms',
      measured: full ? `${full.answer.ours.p99} ms` : '',
      pass: check(full?.answer.ours.p99, (ms) => ms <= 60),
    },
  ];
}
