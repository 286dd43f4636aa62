import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { WORD_VECTORS_SOURCE } from '../answer/combine.js';
import { AnswerEngine, DEFAULT_ANSWER_ENGINE_OPTIONS } from '../answer/engine.js';
import { DEFAULT_CORPUS_LOAD_OPTIONS, loadCorpus } from '../corpus/load-corpus.js';
import type { Corpus } from '../corpus/types.js';
import { withDistractors } from '../eval/distractors.js';
import { holdsEvidence, normaliseEvidence } from '../eval/evidence.js';
import { articleSplit, parseQuestions, type EvalQuestion } from '../eval/question-sets.js';
import { parseSquad, squadCorpus, squadDocumentId, type SquadArticle, type SquadQuestion, type SquadSet } from '../eval/squad.js';
import { seededRandom } from '../eval/typos.js';
import { projectRoot } from '../project/root.js';
import { expandShorthand } from '../search/question.js';
import { WordVectors } from '../search/word-vectors.js';
import type { SemanticSearch } from '../semantic/semantic-search.js';
import { sha256, TABLE_FORMAT, trainingCandidates, trainingSignals, type TrainingQuestion, type TrainingTable } from './table.js';

/** What the training table is extracted from, and how much of each; every choice is seeded. */
export interface ExtractionPlan {
  /** The shared data: SQuAD, the chat set, the development questions (`../shared/eval`). */
  readonly dataDir: string;
  /** The bundled corpus, and the project's own question sets about it. */
  readonly corpusDir: string;
  readonly ownSets: readonly string[];
  /** SQuAD v1.1 train: how many corpora of how many articles, and how many questions of each article. */
  readonly squadCorpora: number;
  readonly articlesPerCorpus: number;
  readonly questionsPerArticle: number;
  /**
   * Of those, how many of each article are asked again of the next corpus, which lacks the whole article: questions
   * about something the corpus never covers, which the confidence must learn to refuse.
   */
  readonly absentPerArticle: number;
  /** SQuAD v2.0 dev: questions per article of each kind (answerable, unanswerable), each article alone. */
  readonly v2PerArticle: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

/** A question to measure, with how to tell its right quotes. */
interface Asked {
  readonly source: string;
  readonly split: 'train' | 'validation';
  readonly question: string;
  readonly answerable: boolean;
  /** Whether a quote's text, and a passage's, hold the answer. */
  readonly right: (passageId: string, text: string) => boolean;
  readonly goldPassage: (passageId: string, text: string) => boolean;
}

/**
 * Measures every planned question's candidates with the real engine (the sentence model included) and records
 * which are right: the training table.
 */
export async function extractTable(plan: ExtractionPlan, semantic: SemanticSearch): Promise<TrainingTable> {
  const sources: Record<string, string> = {};
  const read = async (file: string): Promise<string> => {
    const text = await readFile(file, 'utf8');
    // Named by where they sit: under the shared data folder (`eval/…`) or in this repository (`src/eval/…`).
    const inData = path.relative(plan.dataDir, file);
    sources[inData.startsWith('..') ? path.relative(projectRoot(), file) : path.join('eval', inData)] = sha256(text);
    return text;
  };
  const words = await WordVectors.read();
  sources[WORD_VECTORS_SOURCE] = words.sha256;
  const questions: TrainingQuestion[] = [];
  const random = seededRandom(plan.seed);

  // SQuAD v1.1 train: questions against a corpus of many articles, so the right paragraph competes with others.
  const train = await readSquadFrom(path.join(plan.dataDir, 'squad-v1.1-train'), read);
  const articleOrder = shuffled([...train.articles.keys()], random);
  const byArticle = groupBy(train.questions, (q) => q.article_index);
  const corpora = Array.from({ length: plan.squadCorpora }, (_, c) => {
    const chosen = articleOrder.slice(c * plan.articlesPerCorpus, (c + 1) * plan.articlesPerCorpus);
    const perArticle = chosen.map((i) => shuffled(byArticle.get(i) ?? [], random).slice(0, plan.questionsPerArticle).map((q) => ({ article: train.articles[i]!, q })));
    return { articles: chosen.map((i) => train.articles[i]!), perArticle };
  });
  for (const [c, { articles, perArticle }] of corpora.entries()) {
    const asked = perArticle.flat().map(({ article, q }) => squadAsked('squad-train', 'train', article, q));
    const elsewhere = corpora[(c + corpora.length - 1) % corpora.length]!.perArticle.flatMap((questions) => questions.slice(0, plan.absentPerArticle));
    const absent = corpora.length > 1 ? elsewhere.map(({ q }) => absentAsked('squad-absent', 'train', q.question)) : [];
    plan.log(`train: SQuAD train corpus ${c + 1}/${plan.squadCorpora}: ${articles.length} articles, ${asked.length} questions, ${absent.length} about articles it lacks`);
    questions.push(...(await measure(squadCorpus(articles), [...asked, ...absent], semantic, words)));
  }

  // The chat set and the development questions, asked of the bundled corpus with the 48 SQuAD dev articles beside it.
  const chatFile = path.join(plan.dataDir, 'wiki-chat', 'questions.jsonl');
  const chat = parseQuestions(await read(chatFile), chatFile);
  const chatArticles = new Set(chat.map((q) => q.article!));
  const devFolder = path.join(plan.dataDir, 'squad-v1.1-dev');
  await read(path.join(devFolder, 'articles.json'));
  const distracted = await withDistractors(plan.corpusDir, devFolder);
  try {
    const corpus = await loadCorpus(distracted, DEFAULT_CORPUS_LOAD_OPTIONS);
    const own = await ownQuestions(plan, read);
    const asked = [
      ...chat.map((q) => evidenceAsked('wiki-chat', articleSplit(q.article!, chatArticles), q)),
      ...own.map(([source, q]) => evidenceAsked(`${source}+distractors`, 'train', q)),
    ];
    plan.log(`train: the bundled corpus with the SQuAD dev articles: ${asked.length} questions`);
    questions.push(...(await measure(corpus, asked, semantic, words)));
    const bundled = await loadCorpus(plan.corpusDir, DEFAULT_CORPUS_LOAD_OPTIONS);
    // The chat set again, of the bundled article alone: questions about articles the corpus lacks, split as above.
    const absent = chat.map((q) => absentAsked('wiki-chat-absent', articleSplit(q.article!, chatArticles), q.q));
    plan.log(`train: the bundled corpus: ${own.length} questions, ${absent.length} about articles it lacks`);
    questions.push(...(await measure(bundled, [...own.map(([source, q]) => evidenceAsked(source, 'train', q)), ...absent], semantic, words)));
  } finally {
    await rm(distracted, { recursive: true, force: true });
  }

  // SQuAD v2.0 dev: answerable and unanswerable questions, each against its own article, split as the chat set.
  const v2 = await readSquadFrom(path.join(plan.dataDir, 'squad-v2.0-dev'), read);
  const v2ByArticle = groupBy(v2.questions, (q) => q.article_index);
  for (const [i, article] of v2.articles.entries()) {
    const all = shuffled(v2ByArticle.get(i) ?? [], random);
    const chosen = [...all.filter((q) => !q.is_impossible).slice(0, plan.v2PerArticle), ...all.filter((q) => q.is_impossible).slice(0, plan.v2PerArticle)];
    const split = articleSplit(article.article, chatArticles);
    questions.push(...(await measure(squadCorpus([article]), chosen.map((q) => squadAsked('squad-v2', split, article, q)), semantic, words)));
  }
  plan.log(`train: SQuAD v2.0 dev: ${v2.articles.length} articles`);
  return { format: TABLE_FORMAT, sources: Object.fromEntries(Object.entries(sources).sort()), questions };
}

/** The project's own question sets (in the repository), each named by its file. */
async function ownQuestions(plan: ExtractionPlan, read: (file: string) => Promise<string>): Promise<[string, EvalQuestion][]> {
  const sets: [string, EvalQuestion][] = [];
  for (const file of plan.ownSets) {
    const name = path.basename(file, '.jsonl');
    for (const q of parseQuestions(await read(file), file)) sets.push([name, q]);
  }
  return sets;
}

/** Each asked question's candidates, measured against `corpus`. */
async function measure(corpus: Corpus, asked: readonly Asked[], semantic: SemanticSearch, words: WordVectors): Promise<TrainingQuestion[]> {
  const engine = await AnswerEngine.build(corpus, { ...DEFAULT_ANSWER_ENGINE_OPTIONS, model: null, words }, semantic);
  await engine.vectorsSettled;
  if (engine.mode.mode !== 'fused') throw new Error(`train: the sentence model is not serving (${semantic.problem ?? semantic.state}); the table needs it`);
  const store = await semantic.questionStore();
  const measured: TrainingQuestion[] = [];
  for (let start = 0; start < asked.length; start += 500) {
    const batch = asked.slice(start, start + 500);
    await semantic.prepareQuestions(batch.map((a) => expandShorthand(a.question)), store);
    for (const a of batch) {
      const { set } = await engine.candidates(a.question);
      const textOf = (passageId: string, span?: { start: number; end: number }): string => {
        const { text } = engine.passage(passageId)!.passage;
        return span ? text.slice(span.start, span.end) : text;
      };
      const candidates = trainingCandidates(
        set,
        (i) => a.right(set.candidates[i]!.passageId, textOf(set.candidates[i]!.passageId, set.candidates[i]!.span)),
        (passageId) => a.goldPassage(passageId, textOf(passageId)),
      );
      measured.push({ source: a.source, split: a.split, question: a.question, answerable: a.answerable, signals: trainingSignals(set.question), candidates });
    }
  }
  return measured;
}

/** A question whose answer is quoted when a quote holds one of its evidence strings. */
function evidenceAsked(source: string, split: 'train' | 'validation', q: EvalQuestion): Asked {
  const holds = (_: string, text: string): boolean => q.expect !== null && holdsEvidence(text, q.expect);
  return { source, split, question: q.q, answerable: q.expect !== null, right: holds, goldPassage: holds };
}

/** A question about an article the corpus lacks: no quote answers it. */
function absentAsked(source: string, split: 'train' | 'validation', question: string): Asked {
  return { source, split, question, answerable: false, right: () => false, goldPassage: () => false };
}

/** A SQuAD question: its quote is right when it comes from the gold paragraph and holds an answer's text. */
function squadAsked(source: string, split: 'train' | 'validation', article: SquadArticle, q: SquadQuestion): Asked {
  const gold = `${squadDocumentId(article.article)}#p${q.gold_paragraph_index + 1}`;
  const answers = q.answers.map(normaliseEvidence);
  const goldPassage = (passageId: string): boolean => !q.is_impossible && passageId === gold;
  return {
    source,
    split,
    question: q.question,
    answerable: !q.is_impossible,
    goldPassage,
    right: (passageId, text) => goldPassage(passageId) && answers.some((answer) => normaliseEvidence(text).includes(answer)),
  };
}

/** A SQuAD folder read through `read`, so that each file's hash is recorded. */
async function readSquadFrom(folder: string, read: (file: string) => Promise<string>): Promise<SquadSet> {
  return parseSquad(await read(path.join(folder, 'articles.json')), await read(path.join(folder, 'questions.jsonl')));
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
