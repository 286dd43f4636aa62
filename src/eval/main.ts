import 'dotenv/config';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findCommand } from '../../commands/index.js';
import { AnswerEngine, DEFAULT_ANSWER_ENGINE_OPTIONS } from '../answer/engine.js';
import type { Quote } from '../answer/types.js';
import type { CommandContext } from '../commands/command.js';
import { runCommand } from '../commands/run-command.js';
import { parseConfig } from '../config/env.js';
import { DEFAULT_LIBRARY_OPTIONS, Library } from '../library/library.js';
import { expandShorthand } from '../search/question.js';
import { SemanticSearch } from '../semantic/semantic-search.js';
import type { VectorCache } from '../semantic/vector-cache.js';
import { areaUnderCurve, calibrationTable, precisionCoverage, type Outcome } from './calibration.js';
import { withDistractors } from './distractors.js';
import { describeMissing, findEvalData, IN_REPO_QUESTION_SETS } from './eval-data.js';
import { holdsEvidence } from './evidence.js';
import { measureNoise } from './noise.js';
import { articleSplit, readQuestions, type EvalQuestion } from './question-sets.js';
import { DEFAULT_EVAL_DIR, readSquad, squadCorpus, squadDocumentId, type SquadSet } from './squad.js';
import { addTypo, seededRandom } from './typos.js';
import { runFollowUps } from './follow-ups.js';

const USAGE = `npm run eval [-- options]
  (no options)        the development questions (../shared/eval/questions.jsonl), or this repository's sets without it
  --questions FILE    any question file of that shape ({"q", "expect": [evidence] | null} a line)
  --with-distractors  ask with the 48 SQuAD dev articles beside the bundled article
  --chat              the shared chat set by split (validation articles first) and this repository's fresh sets,
                      with distractors, the calibration table and the precision and coverage curve
  --squad             SQuAD v1.1 dev paragraph retrieval (each article alone, and all 2,067 paragraphs at once) and
                      SQuAD v2.0 dev: the confidence as a separator of unanswerable questions
  --typos             the same questions again with one seeded typo in a word of five letters or more
  --noise             the questions and this repository's sets with one kind of input noise at a time (seeded)
  --follow-ups FILE   follow-up conversations (src/eval/follow-ups.jsonl), with and without their context
  --mode MODE         fused (as served, the default), lexical (words only) or all
  --seed N            the seed of --typos and --noise (2022)
  --quiet             no list of misses`;

const { values: args } = parseArgs({
  options: {
    squad: { type: 'boolean', default: false },
    chat: { type: 'boolean', default: false },
    typos: { type: 'boolean', default: false },
    noise: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    data: { type: 'string', default: DEFAULT_EVAL_DIR },
    questions: { type: 'string' },
    'follow-ups': { type: 'string' },
    seed: { type: 'string', default: '2022' },
    mode: { type: 'string', default: 'fused' },
    'with-distractors': { type: 'boolean', default: false },
  },
});

/** `lexical` answers from the words alone (as with EMBEDDINGS=off), `fused` with the sentence model too. */
type Mode = 'lexical' | 'fused';
const MODES: readonly Mode[] = ['lexical', 'fused'];
/** Question vectors kept between evaluation runs (SQuAD has 16,000 distinct questions). */
let questionStore: VectorCache | undefined;

interface Result {
  readonly question: EvalQuestion;
  readonly answered: boolean;
  readonly quotes: readonly Quote[];
  readonly closest?: Quote | undefined;
  readonly confidence: number;
  /** Whether the engine's first quote, answered or not, holds the evidence: what the confidence predicts. */
  readonly firstRight: boolean;
}

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);

/** Asks every question with `/ask`, as the console and Discord do, and looks at the engine's first quote too. */
async function ask(context: CommandContext, questions: readonly EvalQuestion[], semantic: SemanticSearch | undefined): Promise<Result[]> {
  await semantic?.prepareQuestions(questions.map((question) => expandShorthand(question.q)), questionStore);
  const command = findCommand('ask')!;
  const results: Result[] = [];
  for (const question of questions) {
    const reply = await runCommand(command, { question: question.q }, context);
    if (reply.kind !== 'answer') throw new Error(`eval: /ask answered "${reply.kind}" to ${JSON.stringify(question.q)}`);
    const { answer } = reply;
    const [first] = await context.library.current.engine.rank(question.q);
    const view = first && context.library.current.engine.passage(first.passageId);
    const firstText = view ? view.passage.text.slice(first.span.start, first.span.end) : '';
    results.push({
      question,
      answered: answer.answered,
      quotes: answer.quotes,
      closest: answer.closest,
      confidence: first?.confidence ?? 0,
      firstRight: question.expect !== null && holdsEvidence(firstText, question.expect),
    });
  }
  return results;
}

const right = (quote: Quote | undefined, expect: readonly string[] | null): boolean => quote !== undefined && expect !== null && holdsEvidence(quote.text, expect);

interface Figures {
  readonly answerable: number;
  /** The engine's first quote holds the evidence, whether it answered or abstained: the ranking alone. */
  readonly ranked1: number;
  readonly top1: number;
  readonly top3: number;
  readonly answered: number;
  readonly offTopic: number;
  readonly abstained: number;
}

function score(results: readonly Result[]): Figures {
  const answerable = results.filter((r) => r.question.expect !== null);
  const offTopic = results.filter((r) => r.question.expect === null);
  return {
    answerable: answerable.length,
    ranked1: answerable.filter((r) => r.firstRight).length,
    top1: answerable.filter((r) => r.answered && right(r.quotes[0], r.question.expect)).length,
    top3: answerable.filter((r) => r.answered && r.quotes.slice(0, 3).some((q) => right(q, r.question.expect))).length,
    answered: answerable.filter((r) => r.answered).length,
    offTopic: offTopic.length,
    abstained: offTopic.filter((r) => !r.answered).length,
  };
}

/** Right: the first quote holds the evidence, or the bot abstained on a question the articles do not answer. */
function isRight(r: Result): boolean {
  const { expect } = r.question;
  return expect === null ? !r.answered : r.answered && right(r.quotes[0], expect);
}

function printMisses(results: readonly Result[]): void {
  for (const r of results) {
    const { expect } = r.question;
    if (isRight(r)) continue;
    console.log(`MISS  ${r.question.q}`);
    const given = r.answered ? r.quotes[0] : r.closest;
    console.log(`      gave: ${r.answered ? '' : '(abstained) closest: '}${given ? `${given.text} [${given.citation.passageId}, confidence ${r.confidence.toFixed(2)}]` : 'nothing'}`);
    console.log(`      want: ${expect === null ? '(abstain)' : expect.join(' | ')}`);
  }
}

function printFigures(label: string, f: Figures): void {
  console.log(`${label}`);
  console.log(`  top-1 (first quote holds the evidence)  ${percent(f.top1, f.answerable)}  (${f.top1}/${f.answerable})`);
  console.log(`  top-3                                   ${percent(f.top3, f.answerable)}  (${f.top3}/${f.answerable})`);
  console.log(`  ranked first, answered or not           ${percent(f.ranked1, f.answerable)}  (${f.ranked1}/${f.answerable})`);
  console.log(`  answers when answerable                 ${percent(f.answered, f.answerable)}  (${f.answered}/${f.answerable})`);
  console.log(`  abstains when off-topic                 ${percent(f.abstained, f.offTopic)}  (${f.abstained}/${f.offTopic})`);
}

/** What the confidence predicted against what happened, and what each threshold would answer. */
function printCalibration(label: string, results: readonly Result[], threshold: number): void {
  const outcomes: Outcome[] = results.map((r) => ({ confidence: r.confidence, right: r.firstRight }));
  console.log(`Calibration, ${label} (${outcomes.length} questions): the confidence against the share whose first quote is right`);
  console.log('  confidence   questions  predicted  observed');
  for (const bin of calibrationTable(outcomes)) {
    const mark = bin.count >= 30 && Math.abs(bin.predicted - bin.observed) > 0.1 ? '  (off by more than 10 points)' : '';
    console.log(`  ${bin.low.toFixed(1)}-${bin.high.toFixed(1)}      ${String(bin.count).padStart(5)}      ${(100 * bin.predicted).toFixed(1).padStart(5)} %   ${(100 * bin.observed).toFixed(1).padStart(5)} %${mark}`);
  }
  console.log(`Precision and coverage, ${label}: answering when the confidence is at least the threshold`);
  console.log('  threshold  answers  right of answered  right of all  answers the answerable  abstains on the unanswerable');
  const answerable = results.map((r) => r.question.expect !== null);
  for (const point of precisionCoverage(outcomes, answerable, threshold)) {
    console.log(
      `  ${point.marked ? '*' : ' '}${point.threshold.toFixed(3)}     ${percent(point.answered, outcomes.length).padStart(7)}  ${percent(point.right, point.answered).padStart(17)}  ${percent(point.right, outcomes.length).padStart(12)}  ${percent(point.answeredAnswerable, point.answerable).padStart(22)}  ${percent(point.abstainedUnanswerable, point.unanswerable).padStart(28)}`,
    );
  }
  console.log("  (* the model's threshold)");
}

/** SQuAD v1.1: rank the paragraphs of each question's own article, and of all articles at once. */
async function runSquadRetrieval(set: SquadSet, mode: Mode, semantic: SemanticSearch | undefined, validation: (title: string) => boolean): Promise<void> {
  const perArticle: AnswerEngine[] = [];
  for (const article of set.articles) perArticle.push(await engineFor(squadCorpus([article]), mode, semantic));
  const whole = await engineFor(squadCorpus(set.articles), mode, semantic);
  for (const [label, engineOf] of [
    ['each question against its own article', (i: number) => perArticle[i]!],
    [`all ${whole.passageCount} paragraphs at once`, () => whole],
  ] as const) {
    const ranks: { rank: number; validation: boolean }[] = [];
    for (const [i, question] of set.questions.entries()) {
      if (i % 500 === 0) await semantic?.prepareQuestions(set.questions.slice(i, i + 500).map((q) => expandShorthand(q.question)), questionStore);
      const article = set.articles[question.article_index]!;
      const gold = `${squadDocumentId(article.article)}#p${question.gold_paragraph_index + 1}`;
      const ranked = await engineOf(question.article_index).rank(question.question);
      ranks.push({ rank: ranked.findIndex((quote) => quote.passageId === gold), validation: validation(article.article) });
    }
    console.log(`SQuAD v1.1 dev, paragraph retrieval, ${label}`);
    for (const [which, subset] of [
      ['all 48 articles', ranks],
      ['validation articles', ranks.filter((r) => r.validation)],
    ] as const) {
      const n = subset.length;
      const top1 = subset.filter((r) => r.rank === 0).length;
      const top3 = subset.filter((r) => r.rank >= 0 && r.rank < 3).length;
      const mrr = subset.reduce((sum, r) => sum + (r.rank >= 0 ? 1 / (r.rank + 1) : 0), 0) / n;
      console.log(`  ${which.padEnd(20)} (${n} questions): top-1 ${percent(top1, n)}   top-3 ${percent(top3, n)}   MRR ${mrr.toFixed(3)}`);
    }
  }
}

/** SQuAD v2.0: how well the confidence separates the unanswerable questions from the answerable ones. */
async function runSquadAbstention(set: SquadSet, mode: Mode, semantic: SemanticSearch | undefined, validation: (title: string) => boolean): Promise<void> {
  const engines: AnswerEngine[] = [];
  for (const article of set.articles) engines.push(await engineFor(squadCorpus([article]), mode, semantic));
  const outcomes: { impossible: boolean; confidence: number; validation: boolean }[] = [];
  for (const [i, question] of set.questions.entries()) {
    if (i % 500 === 0) await semantic?.prepareQuestions(set.questions.slice(i, i + 500).map((q) => expandShorthand(q.question)), questionStore);
    const [first] = await engines[question.article_index]!.rank(question.question);
    outcomes.push({ impossible: question.is_impossible, confidence: first?.confidence ?? 0, validation: validation(set.articles[question.article_index]!.article) });
  }
  console.log(`SQuAD v2.0 dev, each question against its own article: the confidence as a separator (AUC, answerable above unanswerable)`);
  for (const [which, subset] of [
    ['all 35 articles', outcomes],
    ['validation articles', outcomes.filter((o) => o.validation)],
  ] as const) {
    console.log(`  ${which.padEnd(20)} (${subset.length} questions, ${subset.filter((o) => o.impossible).length} unanswerable): AUC ${areaUnderCurve(subset.map((o) => ({ positive: !o.impossible, score: o.confidence }))).toFixed(3)}`);
  }
}

async function engineFor(corpus: Parameters<typeof AnswerEngine.build>[0], mode: Mode, semantic: SemanticSearch | undefined): Promise<AnswerEngine> {
  const engine = await AnswerEngine.build(corpus, DEFAULT_ANSWER_ENGINE_OPTIONS, mode === 'lexical' ? undefined : semantic);
  await engine.vectorsSettled;
  return engine;
}

/** A library serving `directory`, its vectors ready unless answering lexically. */
async function libraryFor(directory: string, mode: Mode, semantic: SemanticSearch | undefined): Promise<Library> {
  const library = await Library.load(directory, { ...DEFAULT_LIBRARY_OPTIONS, semantic: mode === 'lexical' ? undefined : semantic });
  await library.current.engine.vectorsSettled;
  if (mode === 'fused' && semantic?.state !== 'ready') throw new Error(`eval: the sentence model is not serving (${semantic?.problem ?? semantic?.state ?? 'off'})`);
  return library;
}

async function main(): Promise<void> {
  if (args.help) {
    console.log(USAGE);
    return;
  }
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
  const chatFile = path.join(args.data, 'wiki-chat', 'questions.jsonl');
  const needed = [
    ...(args.squad ? [['squad-v1.1-dev and squad-v2.0-dev', data.squadV1 && data.squadV2] as const] : []),
    ...(args['with-distractors'] || args.chat ? [['squad-v1.1-dev', data.squadV1] as const] : []),
    ...(args.chat ? [['wiki-chat/questions.jsonl', existsSync(chatFile) ? chatFile : undefined] as const] : []),
  ];
  const missing = needed.filter(([, found]) => !found).map(([name]) => name);
  if (missing.length > 0) {
    const asked = [args.squad && '--squad', args['with-distractors'] && '--with-distractors', args.chat && '--chat'].filter(Boolean).join(' and ');
    console.error(describeMissing('eval', data, [[...new Set(missing)].join(' and ')], `${asked} cannot run, so nothing was evaluated`));
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
  const distracted = args['with-distractors'] || args.chat ? await withDistractors(config.CORPUS_DIR, path.join(args.data, 'squad-v1.1-dev')) : undefined;
  const semantic = modes.includes('fused') ? SemanticSearch.start({ cacheDir: config.CACHE_DIR, log: (line) => console.error(line) }) : undefined;
  questionStore = await semantic?.questionStore();
  try {
    for (const mode of modes) {
      console.log(`\n== mode ${mode} ==`);
      const corpusDir = args['with-distractors'] ? distracted! : config.CORPUS_DIR;
      const library = await libraryFor(corpusDir, mode, semantic);
      const context: CommandContext = { library, invoker: { id: 'eval', isModerator: false } };
      const corpusLabel = `${library.current.engine.corpus.documents.length} documents`;
      for (const { file, questions } of questionSets) {
        const results = await ask(context, questions, semantic);
        if (!args.quiet) printMisses(results);
        printFigures(`Questions from ${file} (${questions.length}, ${corpusLabel})`, score(results));
        if (args.typos) {
          const random = seededRandom(Number(args.seed));
          const typoResults = await ask(context, questions.map((q) => ({ ...q, q: addTypo(q.q, random) })), semantic);
          if (!args.quiet) printMisses(typoResults);
          const typo = score(typoResults);
          printFigures(`With one typo per question (seed ${args.seed})`, typo);
          console.log(`  top-1 drop: ${((100 * (score(results).top1 - typo.top1)) / typo.answerable).toFixed(1)} points`);
        }
      }
      if (args.noise) await evaluateNoise(mode, context, questionSets, semantic);
      if (args.chat) await runChat(mode, distracted!, config.CORPUS_DIR, semantic, chatFile);
      if (args.squad) {
        const chatArticles = new Set((await readQuestions(chatFile).catch(() => [])).map((q) => q.article!));
        const validation = (title: string): boolean => articleSplit(title, chatArticles) === 'validation';
        await runSquadRetrieval(await readSquad(data.squadV1!), mode, semantic, validation);
        await runSquadAbstention(await readSquad(data.squadV2!), mode, semantic, validation);
      }
    }
  } finally {
    await semantic?.close();
    if (distracted) await rm(distracted, { recursive: true, force: true });
  }
}

/** `--follow-ups FILE`: the follow-up conversations, answered as served (`fused`, or `--mode lexical`), with no other data needed. */
async function evaluateFollowUps(file: string, corpusDir: string, mode: Mode, cacheDir: string): Promise<void> {
  const semantic = mode === 'fused' ? SemanticSearch.start({ cacheDir, log: (line) => console.error(line) }) : undefined;
  try {
    const library = await libraryFor(corpusDir, mode, semantic);
    console.log(`\n== follow-ups, mode ${mode} ==`);
    await runFollowUps(file, findCommand('ask')!, { library, invoker: { id: 'eval', isModerator: false } }, right, args.quiet);
  } finally {
    await semantic?.close();
  }
}

/**
 * `--noise`: the question files evaluated and this repository's own sets, together, as written and with each kind
 * of input noise (`src/eval/noise.ts`), through `/ask` as served.
 */
async function evaluateNoise(mode: Mode, context: CommandContext, evaluated: readonly { file: string; questions: readonly EvalQuestion[] }[], semantic: SemanticSearch | undefined): Promise<void> {
  const seen = new Set(evaluated.map(({ file }) => path.resolve(file)));
  const own = await Promise.all(IN_REPO_QUESTION_SETS.filter((file) => !seen.has(path.resolve(file))).map(async (file) => ({ file, questions: await readQuestions(file) })));
  const judge = async (asked: readonly EvalQuestion[]): Promise<boolean[]> => (await ask(context, asked, semantic)).map(isRight);
  console.log(`\n== input noise, mode ${mode} (seed ${args.seed}) ==`);
  await measureNoise([...evaluated, ...own], judge, { random: seededRandom(Number(args.seed)), log: console.log, showLost: !args.quiet });
}

/**
 * The shared chat set, split by article as training split it (its training half is in-sample), and the fresh sets
 * written for this evaluation, with the calibration of the confidence on the validation questions.
 */
async function runChat(mode: Mode, distracted: string, bundledDir: string, semantic: SemanticSearch | undefined, chatFile: string): Promise<void> {
  const chat = await readQuestions(chatFile);
  const chatArticles = new Set(chat.map((q) => q.article!));
  const library = await libraryFor(distracted, mode, semantic);
  const context: CommandContext = { library, invoker: { id: 'eval', isModerator: false } };
  const threshold = library.current.engine.threshold;
  const validation: Result[] = [];
  for (const split of ['validation', 'train'] as const) {
    const results = await ask(context, chat.filter((q) => articleSplit(q.article!, chatArticles) === split), semantic);
    if (!args.quiet && split === 'validation') printMisses(results);
    printFigures(`The shared chat set, ${split} articles${split === 'train' ? ' (in-sample: trained on)' : ''} (${results.length} questions, with the 48 SQuAD articles)`, score(results));
    if (split === 'validation') validation.push(...results);
  }
  const fresh = path.join(import.meta.dirname, 'fresh-wiki-chat-questions.jsonl');
  const freshWiki = await ask(context, await readQuestions(fresh), semantic);
  printFigures(`Fresh chat questions on the 8 kept-back articles, ${path.relative(process.cwd(), fresh)} (${freshWiki.length}, with the 48 SQuAD articles)`, score(freshWiki));
  const siegeFile = path.join(import.meta.dirname, 'fresh-siege-questions.jsonl');
  const siege = await readQuestions(siegeFile);
  const siegeDistracted = await ask(context, siege, semantic);
  printFigures(`Fresh siege questions, ${path.relative(process.cwd(), siegeFile)} (${siege.length}, with the 48 SQuAD articles)`, score(siegeDistracted));
  const bundled = await libraryFor(bundledDir, mode, semantic);
  const siegeBundled = await ask({ library: bundled, invoker: { id: 'eval', isModerator: false } }, siege, semantic);
  printFigures(`Fresh siege questions (${siege.length}, bundled corpus)`, score(siegeBundled));
  printCalibration('the chat set\'s validation articles', validation, threshold);
  printCalibration('every question no model was trained on (chat validation, fresh sets)', [...validation, ...freshWiki, ...siegeDistracted, ...siegeBundled], threshold);
}

await main();
