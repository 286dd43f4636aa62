import 'dotenv/config';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findCommand } from '../../commands/index.js';
import { AnswerEngine, DEFAULT_ANSWER_ENGINE_OPTIONS } from '../answer/engine.js';
import type { Quote } from '../answer/types.js';
import type { CommandContext } from '../commands/command.js';
import { runCommand } from '../commands/run-command.js';
import { parseConfig } from '../config/env.js';
import { confidence } from '../answer/combine.js';
import { DEFAULT_LIBRARY_OPTIONS, Library } from '../library/library.js';
import { SemanticSearch } from '../semantic/semantic-search.js';
import { SpanVectors } from '../semantic/span-vectors.js';
import type { VectorCache } from '../semantic/vector-cache.js';
import type { Corpus } from '../corpus/types.js';
import { DEFAULT_EVAL_DIR, readSquad, squadCorpus, squadDocumentId, type SquadSet } from './squad.js';
import { describeMissing, findEvalData, IN_REPO_QUESTION_SETS } from './eval-data.js';
import { measureNoise } from './noise.js';
import { addTypo, seededRandom } from './typos.js';
import { runFollowUps } from './follow-ups.js';

/** A development question: `expect` lists evidence one of which the first quote must contain; null: abstain. */
interface DevQuestion {
  readonly q: string;
  readonly expect: readonly string[] | null;
}

interface DevResult {
  readonly question: DevQuestion;
  readonly answered: boolean;
  readonly quotes: readonly Quote[];
  readonly closest?: Quote | undefined;
  readonly confidence: number;
}

const { values: args } = parseArgs({
  options: {
    squad: { type: 'boolean', default: false },
    typos: { type: 'boolean', default: false },
    noise: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    data: { type: 'string', default: DEFAULT_EVAL_DIR },
    questions: { type: 'string' },
    'follow-ups': { type: 'string' },
    seed: { type: 'string', default: '2022' },
    mode: { type: 'string', default: 'fused' },
    'with-distractors': { type: 'boolean', default: false },
  },
});

/**
 * How answers are made: `lexical` (words only), `semantic` (the nearest span by the sentence model's cosine alone,
 * for comparison), `fused` (the engine with both, as served).
 */
type Mode = 'lexical' | 'semantic' | 'fused';
/** Question vectors kept between evaluation runs (SQuAD has 16,000 distinct questions). */
let questionStore: VectorCache | undefined;
const MODES: readonly Mode[] = ['lexical', 'semantic', 'fused'];

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);

/** Evidence strings are typed with straight quotes; the articles use curly ones. */
function fold(text: string): string {
  return text.replace(/[“”„"]/g, '"').replace(/[‘’']/g, "'").replace(/[–—]/g, '-').toLowerCase();
}

function holdsEvidence(quote: Quote | undefined, expect: readonly string[]): boolean {
  return quote !== undefined && expect.some((evidence) => fold(quote.text).includes(fold(evidence)));
}

async function runDev(context: CommandContext, questions: readonly DevQuestion[], mode: Mode, semantic: SemanticSearch | undefined): Promise<DevResult[]> {
  if (mode === 'semantic') return runDevByCosine(context.library.current.engine, questions, semantic!);
  await semantic?.prepareQuestions(questions.map((question) => question.q), questionStore);
  const ask = findCommand('ask')!;
  const results: DevResult[] = [];
  for (const question of questions) {
    const reply = await runCommand(ask, { question: question.q }, context);
    if (reply.kind !== 'answer') throw new Error(`eval: /ask answered "${reply.kind}" to ${JSON.stringify(question.q)}`);
    const { answer } = reply;
    results.push({ question, answered: answer.answered, quotes: answer.quotes, closest: answer.closest, confidence: answer.confidence });
  }
  return results;
}

/** The cosine alone as a confidence: the engine's closeness, with no share of coverage. */
function closeness(cosine: number): number {
  return confidence(0, cosine, { ...DEFAULT_ANSWER_ENGINE_OPTIONS, similarityShare: 1 });
}

/** The whole corpus's span vectors: the cosine alone needs them (a corpus too large has none). */
async function denseVectors(semantic: SemanticSearch, corpus: Corpus): Promise<SpanVectors> {
  const vectors = await semantic.vectorsFor(corpus);
  if (!(vectors instanceof SpanVectors)) throw new Error('eval: --mode semantic needs every span embedded; this corpus is too large or the model failed');
  return vectors;
}

/** The cosine alone: the first quote is the span nearest the question, its confidence the engine's closeness. */
async function runDevByCosine(engine: AnswerEngine, questions: readonly DevQuestion[], semantic: SemanticSearch): Promise<DevResult[]> {
  const vectors = await denseVectors(semantic, engine.corpus);
  const { answerThreshold } = DEFAULT_ANSWER_ENGINE_OPTIONS;
  await semantic.prepareQuestions(questions.map((question) => question.q), questionStore);
  const results: DevResult[] = [];
  for (const question of questions) {
    const cosines = vectors.cosines((await semantic.embedQuestion(question.q))!);
    const order = [...cosines.keys()].sort((a, b) => cosines[b]! - cosines[a]!).slice(0, 3);
    const quotes = order.map((i) => {
      const { passageId, span } = vectors.spans[i]!;
      const view = engine.passage(passageId)!;
      return { text: view.passage.text.slice(span.start, span.end), citation: { passageId }, coverage: 0, similarity: cosines[i]! } as unknown as Quote;
    });
    const confidence = closeness(cosines[order[0]!]!);
    const answered = confidence >= answerThreshold;
    results.push({ question, answered, quotes: answered ? quotes : [], closest: quotes[0], confidence });
  }
  return results;
}

interface DevFigures {
  readonly answerable: number;
  readonly top1: number;
  readonly top3: number;
  readonly answered: number;
  readonly offTopic: number;
  readonly abstained: number;
}

function score(results: readonly DevResult[]): DevFigures {
  const answerable = results.filter((r) => r.question.expect !== null);
  const offTopic = results.filter((r) => r.question.expect === null);
  return {
    answerable: answerable.length,
    top1: answerable.filter((r) => r.answered && holdsEvidence(r.quotes[0], r.question.expect!)).length,
    top3: answerable.filter((r) => r.answered && r.quotes.slice(0, 3).some((q) => holdsEvidence(q, r.question.expect!))).length,
    answered: answerable.filter((r) => r.answered).length,
    offTopic: offTopic.length,
    abstained: offTopic.filter((r) => !r.answered).length,
  };
}

/** Right: the first quote holds the evidence, or the bot abstained on a question the articles do not answer. */
function isRight(r: DevResult): boolean {
  const { expect } = r.question;
  return expect === null ? !r.answered : r.answered && holdsEvidence(r.quotes[0], expect);
}

function printMisses(results: readonly DevResult[]): void {
  for (const r of results) {
    const { expect } = r.question;
    if (isRight(r)) continue;
    console.log(`MISS  ${r.question.q}`);
    const given = r.answered ? r.quotes[0] : r.closest;
    console.log(`      gave: ${r.answered ? '' : '(abstained) closest: '}${given ? `${given.text} [${given.citation.passageId}, coverage ${given.coverage.toFixed(2)}]` : 'nothing'}`);
    console.log(`      want: ${expect === null ? '(abstain)' : expect.join(' | ')}`);
  }
}

function printDev(label: string, f: DevFigures): void {
  console.log(`${label}`);
  console.log(`  top-1 (first quote holds the evidence)  ${percent(f.top1, f.answerable)}  (${f.top1}/${f.answerable})`);
  console.log(`  top-3                                   ${percent(f.top3, f.answerable)}  (${f.top3}/${f.answerable})`);
  console.log(`  answers when answerable                 ${percent(f.answered, f.answerable)}  (${f.answered}/${f.answerable})`);
  console.log(`  abstains when off-topic                 ${percent(f.abstained, f.offTopic)}  (${f.abstained}/${f.offTopic})`);
}

/** SQuAD v1.1: rank the paragraphs of each question's own article. */
async function runSquadRetrieval(set: SquadSet, mode: Mode, semantic: SemanticSearch | undefined): Promise<void> {
  const engines = await squadEngines(set, mode, semantic);
  let top1 = 0;
  let top3 = 0;
  let reciprocal = 0;
  for (const [i, question] of set.questions.entries()) {
    if (i % 500 === 0) await semantic?.prepareQuestions(set.questions.slice(i, i + 500).map((q) => q.question), questionStore);
    const ranked = await rankSquad(engines[question.article_index]!, question.question, mode, semantic);
    const rank = ranked.findIndex((passageId) => passageId.endsWith(`#p${question.gold_paragraph_index + 1}`));
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
  }
  const n = set.questions.length;
  console.log(`SQuAD v1.1 dev, paragraph within its article (${n} questions)`);
  console.log(`  top-1 ${percent(top1, n)}   top-3 ${percent(top3, n)}   MRR ${(reciprocal / n).toFixed(3)}`);
}

/** One engine per article, with its vectors ready unless answering lexically. */
async function squadEngines(set: SquadSet, mode: Mode, semantic: SemanticSearch | undefined): Promise<AnswerEngine[]> {
  const engines: AnswerEngine[] = [];
  for (const article of set.articles) {
    const engine = await AnswerEngine.build(squadCorpus([article]), DEFAULT_ANSWER_ENGINE_OPTIONS, mode === 'lexical' ? undefined : semantic);
    await engine.vectorsSettled;
    engines.push(engine);
  }
  return engines;
}

/** The article's passages best first, with the confidence of the first. */
async function rankSquad(engine: AnswerEngine, question: string, mode: Mode, semantic: SemanticSearch | undefined): Promise<string[]> {
  if (mode !== 'semantic') return (await engine.rank(question)).map((quote) => quote.passageId);
  const vectors = await denseVectors(semantic!, engine.corpus);
  const cosines = vectors.cosines((await semantic!.embedQuestion(question))!);
  return vectors.nearestPassages(cosines, cosines.length);
}

/** The chance that an answerable question gets a higher confidence than an unanswerable one (ties count half). */
function areaUnderCurve(outcomes: readonly { impossible: boolean; confidence: number }[]): number {
  const sorted = [...outcomes].sort((a, b) => a.confidence - b.confidence);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.confidence === sorted[i]!.confidence) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]!.impossible) continue;
      rankSum += averageRank;
      positives++;
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Thresholds shown in the abstention table; the engine's own is marked. */
const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

/**
 * SQuAD v2.0: does the engine abstain on the unanswerable questions, and only on them? Shown for a range of
 * thresholds beside the development questions' answer and abstention rates, which is how the threshold is chosen.
 */
async function runSquadAbstention(set: SquadSet, dev: readonly DevResult[], mode: Mode, semantic: SemanticSearch | undefined): Promise<void> {
  const engines = await squadEngines(set, mode, semantic);
  const outcomes: { impossible: boolean; confidence: number }[] = [];
  for (const [i, question] of set.questions.entries()) {
    if (i % 500 === 0) await semantic?.prepareQuestions(set.questions.slice(i, i + 500).map((q) => q.question), questionStore);
    const engine = engines[question.article_index]!;
    let confidence: number;
    if (mode === 'semantic') {
      const cosines = (await denseVectors(semantic!, engine.corpus)).cosines((await semantic!.embedQuestion(question.question))!);
      confidence = closeness(Math.max(...cosines));
    } else confidence = (await engine.answer(question.question)).confidence;
    outcomes.push({ impossible: question.is_impossible, confidence });
  }
  const impossible = outcomes.filter((o) => o.impossible).length;
  const answerable = dev.filter((r) => r.question.expect !== null);
  const offTopic = dev.filter((r) => r.question.expect === null);
  console.log(`SQuAD v2.0 dev, abstention (${set.questions.length} questions, ${impossible} unanswerable), by threshold`);
  console.log('  threshold  v2 precision  v2 recall  v2 abstains on answerable  dev answers  dev abstains off-topic');
  for (const threshold of THRESHOLDS) {
    const abstained = outcomes.filter((o) => o.confidence < threshold);
    const right = abstained.filter((o) => o.impossible).length;
    const mark = threshold === DEFAULT_ANSWER_ENGINE_OPTIONS.answerThreshold ? '*' : ' ';
    console.log(
      `  ${mark}${threshold.toFixed(1)}       ${percent(right, abstained.length).padEnd(12)}  ${percent(right, impossible).padEnd(9)}  ${percent(abstained.length - right, outcomes.length - impossible).padEnd(25)}  ${percent(answerable.filter((r) => r.confidence >= threshold).length, answerable.length).padEnd(11)}  ${percent(offTopic.filter((r) => r.confidence < threshold).length, offTopic.length)}`,
    );
  }
  console.log('  (* the engine\'s threshold)');
  console.log(`  AUC of the confidence, answerable against unanswerable: ${areaUnderCurve(outcomes).toFixed(3)}`);
}

/**
 * A copy of the corpus folder with every SQuAD v1.1 dev article added as a document, as a moderator would add
 * unrelated articles: answers must stay right when the corpus grows.
 */
async function withDistractors(corpusDir: string, squadFolder: string): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'incident-desk-distractors-'));
  await cp(corpusDir, directory, { recursive: true });
  const { articles } = await readSquad(squadFolder);
  for (const article of articles) {
    const id = `wiki-${squadDocumentId(article.article)}`.slice(0, 60).replace(/-$/, '');
    const body = article.paragraphs.map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ')).join('\n\n');
    await writeFile(path.join(directory, 'documents', `${id}.txt`), `---\nid: ${id}\ntitle: ${article.article.replace(/_/g, ' ')}\nsource: Wikipedia\n---\n${body}\n`);
  }
  return directory;
}

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const modes = args.mode === 'all' ? MODES : [args.mode as Mode];
  if (!modes.every((mode) => MODES.includes(mode))) {
    console.error(`eval: --mode takes ${MODES.join(', ')} or all, not ${args.mode}`);
    process.exitCode = 1;
    return;
  }
  if (args['follow-ups'] !== undefined) {
    await evaluateFollowUps(args['follow-ups'], config.CORPUS_DIR, modes[0]!, config.CACHE_DIR);
    return;
  }
  const data = findEvalData(args.data);
  const squadNeeded = [...new Set([...(args.squad ? [data.squadV1, data.squadV2] : []), ...(args['with-distractors'] ? [data.squadV1] : [])])];
  if (squadNeeded.includes(undefined)) {
    const asked = [args.squad && '--squad', args['with-distractors'] && '--with-distractors'].filter(Boolean).join(' and ');
    console.error(describeMissing('eval', data, [args.squad ? 'squad-v1.1-dev and squad-v2.0-dev' : 'squad-v1.1-dev'], `${asked} cannot run, so nothing was evaluated`));
    process.exitCode = 1;
    return;
  }
  if (args.questions !== undefined && !existsSync(args.questions)) {
    console.error(`eval: no question file at ${args.questions}`);
    process.exitCode = 1;
    return;
  }
  // Without the development questions, the sets this repository holds are evaluated instead.
  const questionFiles = args.questions !== undefined ? [args.questions] : data.devQuestions ? [data.devQuestions] : IN_REPO_QUESTION_SETS;
  if (args.questions === undefined && !data.devQuestions) {
    console.error(describeMissing('eval', data, ['questions.jsonl'], `evaluating the question sets in this repository instead (${IN_REPO_QUESTION_SETS.map((file) => path.relative(process.cwd(), file)).join(', ')})`));
  }
  const questionSets = await Promise.all(questionFiles.map(async (file) => ({ file, questions: await readQuestions(file) })));
  const corpusDir = args['with-distractors'] ? await withDistractors(config.CORPUS_DIR, path.join(args.data, 'squad-v1.1-dev')) : config.CORPUS_DIR;
  const semantic = modes.some((mode) => mode !== 'lexical')
    ? SemanticSearch.start({ cacheDir: config.CACHE_DIR, log: (line) => console.error(line) })
    : undefined;
  questionStore = await semantic?.questionStore();
  try {
    for (const mode of modes) {
      for (const { file, questions } of questionSets) await evaluate(mode, corpusDir, file, questions, mode === 'lexical' ? undefined : semantic);
      if (args.noise) await evaluateNoise(mode, corpusDir, questionSets, mode === 'lexical' ? undefined : semantic);
    }
  } finally {
    await semantic?.close();
    if (corpusDir !== config.CORPUS_DIR) await rm(corpusDir, { recursive: true, force: true });
  }
}

/** `--follow-ups FILE`: the follow-up conversations, answered as served (`fused`, or `--mode lexical`), with no other data needed. */
async function evaluateFollowUps(file: string, corpusDir: string, mode: Mode, cacheDir: string): Promise<void> {
  if (mode === 'semantic') throw new Error('eval: --follow-ups runs the engine as served: --mode fused or lexical');
  const semantic = mode === 'fused' ? SemanticSearch.start({ cacheDir, log: (line) => console.error(line) }) : undefined;
  try {
    const library = await Library.load(corpusDir, { ...DEFAULT_LIBRARY_OPTIONS, semantic });
    await library.current.engine.vectorsSettled;
    console.log(`\n== follow-ups, mode ${mode} ==`);
    await runFollowUps(file, findCommand('ask')!, { library, invoker: { id: 'eval', isModerator: false } }, holdsEvidence, args.quiet);
  } finally {
    await semantic?.close();
  }
}

/**
 * `--noise`: the question files evaluated and this repository's own sets, together, as written and with each kind
 * of input noise (`src/eval/noise.ts`), through `/ask` as served.
 */
async function evaluateNoise(mode: Mode, corpusDir: string, evaluated: readonly { file: string; questions: readonly DevQuestion[] }[], semantic: SemanticSearch | undefined): Promise<void> {
  const library = await Library.load(corpusDir, { ...DEFAULT_LIBRARY_OPTIONS, semantic });
  await library.current.engine.vectorsSettled;
  const context: CommandContext = { library, invoker: { id: 'eval', isModerator: false } };
  const seen = new Set(evaluated.map(({ file }) => path.resolve(file)));
  const own = await Promise.all(IN_REPO_QUESTION_SETS.filter((file) => !seen.has(path.resolve(file))).map(async (file) => ({ file, questions: await readQuestions(file) })));
  const judge = async (asked: readonly DevQuestion[]): Promise<boolean[]> => (await runDev(context, asked, mode, semantic)).map(isRight);
  console.log(`\n== input noise, mode ${mode} (seed ${args.seed}) ==`);
  await measureNoise([...evaluated, ...own], judge, { random: seededRandom(Number(args.seed)), log: console.log, showLost: !args.quiet });
}

async function readQuestions(file: string): Promise<DevQuestion[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DevQuestion);
}

async function evaluate(mode: Mode, corpusDir: string, questionFile: string, questions: readonly DevQuestion[], semantic: SemanticSearch | undefined): Promise<void> {
  const library = await Library.load(corpusDir, { ...DEFAULT_LIBRARY_OPTIONS, semantic });
  await library.current.engine.vectorsSettled;
  if (semantic && semantic.state !== 'ready') throw new Error(`eval: the sentence model is not serving (${semantic.problem ?? semantic.state})`);
  const context: CommandContext = { library, invoker: { id: 'eval', isModerator: false } };
  console.log(`\n== mode ${mode}${args['with-distractors'] ? ', with the 48 SQuAD articles as distractor documents' : ''} ==`);
  const results = await runDev(context, questions, mode, semantic);
  if (!args.quiet) printMisses(results);
  const dev = score(results);
  printDev(`Questions from ${questionFile} (${questions.length}, ${library.current.engine.corpus.documents.length} documents)`, dev);

  if (args.typos) {
    const random = seededRandom(Number(args.seed));
    const typoResults = await runDev(context, questions.map((q) => ({ ...q, q: addTypo(q.q, random) })), mode, semantic);
    if (!args.quiet) printMisses(typoResults);
    const typo = score(typoResults);
    printDev(`With one typo per question (seed ${args.seed})`, typo);
    console.log(`  top-1 drop: ${(((dev.top1 - typo.top1) / dev.answerable) * 100).toFixed(1)} points`);
  }
  if (args.squad) {
    await runSquadRetrieval(await readSquad(path.join(args.data, 'squad-v1.1-dev')), mode, semantic);
    await runSquadAbstention(await readSquad(path.join(args.data, 'squad-v2.0-dev')), results, mode, semantic);
  }
}

await main();
