import 'dotenv/config';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findCommand } from '../../commands/index.js';
import { AnswerEngine, DEFAULT_ANSWER_ENGINE_OPTIONS } from '../answer/engine.js';
import type { Quote } from '../answer/types.js';
import type { CommandContext } from '../commands/command.js';
import { runCommand } from '../commands/run-command.js';
import { parseConfig } from '../config/env.js';
import { Library } from '../library/library.js';
import { DEFAULT_EVAL_DIR, readSquad, squadCorpus, type SquadSet } from './squad.js';
import { addTypo, seededRandom } from './typos.js';

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
    quiet: { type: 'boolean', default: false },
    data: { type: 'string', default: DEFAULT_EVAL_DIR },
    questions: { type: 'string' },
    seed: { type: 'string', default: '2022' },
  },
});

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);

/** Evidence strings are typed with straight quotes; the articles use curly ones. */
function fold(text: string): string {
  return text.replace(/[“”„"]/g, '"').replace(/[‘’']/g, "'").replace(/[–—]/g, '-').toLowerCase();
}

function holdsEvidence(quote: Quote | undefined, expect: readonly string[]): boolean {
  return quote !== undefined && expect.some((evidence) => fold(quote.text).includes(fold(evidence)));
}

async function runDev(context: CommandContext, questions: readonly DevQuestion[]): Promise<DevResult[]> {
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

function printMisses(results: readonly DevResult[]): void {
  for (const r of results) {
    const { expect } = r.question;
    const ok = expect === null ? !r.answered : r.answered && holdsEvidence(r.quotes[0], expect);
    if (ok) continue;
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
async function runSquadRetrieval(set: SquadSet): Promise<void> {
  const engines = await Promise.all(set.articles.map((article) => AnswerEngine.build(squadCorpus([article]))));
  let top1 = 0;
  let top3 = 0;
  let reciprocal = 0;
  for (const question of set.questions) {
    const ranked = engines[question.article_index]!.rank(question.question);
    const rank = ranked.findIndex((quote) => quote.passageId.endsWith(`#p${question.gold_paragraph_index + 1}`));
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
  }
  const n = set.questions.length;
  console.log(`SQuAD v1.1 dev, paragraph within its article (${n} questions)`);
  console.log(`  top-1 ${percent(top1, n)}   top-3 ${percent(top3, n)}   MRR ${(reciprocal / n).toFixed(3)}`);
}

/** Thresholds shown in the abstention table; the engine's own is marked. */
const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

/**
 * SQuAD v2.0: does the engine abstain on the unanswerable questions, and only on them? Shown for a range of
 * thresholds beside the development questions' answer and abstention rates, which is how the threshold is chosen.
 */
async function runSquadAbstention(set: SquadSet, dev: readonly DevResult[]): Promise<void> {
  const engines = await Promise.all(set.articles.map((article) => AnswerEngine.build(squadCorpus([article]))));
  const outcomes = set.questions.map((question) => {
    const answer = engines[question.article_index]!.answer(question.question);
    return { impossible: question.is_impossible, confidence: answer.confidence };
  });
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
}

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const library = await Library.load(config.CORPUS_DIR);
  const context: CommandContext = { library, invoker: { id: 'eval', isModerator: false } };
  const questionFile = args.questions ?? path.join(args.data, 'questions.jsonl');
  if (!existsSync(questionFile)) {
    console.error(`eval: no question file at ${questionFile}: the evaluation data is not in this repository; pass --data DIR (or --questions FILE)`);
    process.exitCode = 1;
    return;
  }
  const questions = (await readFile(questionFile, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DevQuestion);

  const results = await runDev(context, questions);
  if (!args.quiet) printMisses(results);
  const dev = score(results);
  printDev(`Questions from ${questionFile} (${questions.length}, corpus ${library.directory})`, dev);

  if (args.typos) {
    const random = seededRandom(Number(args.seed));
    const typoResults = await runDev(context, questions.map((q) => ({ ...q, q: addTypo(q.q, random) })));
    if (!args.quiet) printMisses(typoResults);
    const typo = score(typoResults);
    printDev(`With one typo per question (seed ${args.seed})`, typo);
    console.log(`  top-1 drop: ${(((dev.top1 - typo.top1) / dev.answerable) * 100).toFixed(1)} points`);
  }
  if (args.squad) {
    await runSquadRetrieval(await readSquad(path.join(args.data, 'squad-v1.1-dev')));
    await runSquadAbstention(await readSquad(path.join(args.data, 'squad-v2.0-dev')), results);
  }
}

await main();
