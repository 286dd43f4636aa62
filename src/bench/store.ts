import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { commands, messageCommands } from '../../commands/index.js';
import { DiscordEmulator, MANAGE_GUILD, MEMBER_PERMISSIONS, makeUser } from '../../tests/support/discord-emulator.js';
import type { Answer } from '../answer/types.js';
import { startBot, type RunningBot } from '../discord/bot.js';
import type { Logger } from '../discord/log.js';
import { Library } from '../library/library.js';
import { QuestionLog } from '../store/question-log.js';
import { distribution, interleavedTimings, ratio, round, roundedDistribution, type Distribution } from './stats.js';

export interface StoreJob {
  readonly corpusDir: string;
  /** Questions to record and ask, cycled: the development questions and a sample of SQuAD's. */
  readonly questions: readonly string[];
  /** Questions in the store before /gaps is timed (spread over the last 30 days). */
  readonly recorded: number;
  readonly gapsRepeats: number;
  readonly asks: number;
  readonly warmup: number;
}

export interface StoreFigures {
  readonly recorded: number;
  /** /gaps through the emulator with `recorded` questions stored, against a plain read of the same rows. */
  readonly gaps: Distribution;
  readonly scanMs: number;
  readonly gapsRatioToScan: number;
  /** /ask with recording on and off, alternating in the same run. */
  readonly askOn: Distribution;
  readonly askOff: Distribution;
  readonly p99AddedMs: number;
  /** The write alone, timed around `QuestionLog.record` (analysis of the question included), into the same store. */
  readonly record: Distribution;
}

const SILENT: Logger = { info: () => undefined, error: () => undefined };
const DAY_MS = 24 * 60 * 60 * 1000;
const MODERATOR = { user: makeUser('bench-moderator'), permissions: MEMBER_PERMISSIONS | MANAGE_GUILD };

/**
 * The store's costs, through the tests' Discord emulator with the real client: `/gaps` over a store holding
 * `recorded` questions, and `/ask` with recording on (into that same store) against off, one bot each,
 * alternating, after a warm-up.
 */
export async function measureStore(job: StoreJob): Promise<StoreFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'incident-desk-bench-store-'));
  const library = await Library.load(job.corpusDir);
  const now = Date.now();
  let clock = now - 30 * DAY_MS;
  const questions = QuestionLog.open({ dataDir, record: true, retentionDays: 90 }, { clock: () => clock });
  let stopUpkeep = (): void => undefined;
  const on = await serve(library, questions);
  const off = await serve(library, undefined);
  try {
    const answers = await fillStore(library, questions, job, on.emulator.guildId, (at) => (clock = at));
    clock = now;
    // Timed as npm start runs it, checkpointing on a timer rather than inside a write; the bulk load above did not.
    stopUpkeep = questions.scheduleUpkeep();

    const gapsTimes = await timeGaps(on, job.gapsRepeats);
    const scanStarted = performance.now();
    const scanned = scanRows(questions.where, now - 30 * DAY_MS);
    const scanMs = performance.now() - scanStarted;
    if (scanned === 0) throw new Error('bench: the store holds no questions to scan');

    const [askOn, askOff] = await interleavedTimings(
      { warmup: job.warmup, count: job.asks, questions: job.questions },
      (question) => time(on, question),
      (question) => time(off, question),
    );
    const recordTimes: number[] = [];
    for (let i = 0; i < job.asks; i++) {
      const question = job.questions[i % job.questions.length]!;
      const answer = answers.get(question) ?? (await library.current.engine.answer(question));
      const started = performance.now();
      await questions.record({ question, guildId: on.emulator.guildId, answer, corpusVersion: 'bench' });
      recordTimes.push(performance.now() - started);
    }
    const gaps = distribution(gapsTimes);
    const onFigures = distribution(askOn);
    const offFigures = distribution(askOff);
    return {
      recorded: job.recorded,
      gaps: roundedDistribution(gaps),
      scanMs: round(scanMs, 1),
      gapsRatioToScan: ratio(gaps.p50, scanMs),
      askOn: roundedDistribution(onFigures),
      askOff: roundedDistribution(offFigures),
      p99AddedMs: round(onFigures.p99 - offFigures.p99, 3),
      record: roundedDistribution(distribution(recordTimes)),
    };
  } finally {
    await on.close();
    await off.close();
    stopUpkeep();
    await questions.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Records `job.recorded` questions, cycling over `job.questions`, spread evenly over the 30 days before now (through
 * `setClock`); each distinct question is answered once. Returns the answers by question.
 */
export async function fillStore(
  library: Library,
  questions: QuestionLog,
  job: Pick<StoreJob, 'questions' | 'recorded'>,
  guildId: string,
  setClock: (at: number) => void,
  onEach: (index: number) => Promise<void> = () => Promise.resolve(),
): Promise<Map<string, Answer>> {
  const now = Date.now();
  const answers = new Map<string, Answer>();
  for (let i = 0; i < job.recorded; i++) {
    const question = job.questions[i % job.questions.length]!;
    let answer = answers.get(question);
    if (!answer) {
      answer = await library.current.engine.answer(question);
      answers.set(question, answer);
    }
    setClock(now - 30 * DAY_MS + Math.floor((i / job.recorded) * 30 * DAY_MS));
    await questions.record({ question, guildId, answer, corpusVersion: 'bench' });
    await onEach(i);
  }
  return answers;
}

/** `/gaps` as a moderator, `repeats` times after one untimed run, in ms each. */
export async function timeGaps(served: Served, repeats: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    const started = performance.now();
    const interaction = served.emulator.chatInput('gaps', {}, MODERATOR);
    await served.emulator.waitForCallback(interaction.id, 20_000);
    if (i > 0) times.push(performance.now() - started);
  }
  return times;
}

/** A bot on an emulator of its own, recording into `questions` (or nothing). */
export interface Served {
  readonly emulator: DiscordEmulator;
  readonly bot: RunningBot;
  close(): Promise<void>;
}

/** Starts a bot with every command against a fresh emulator; also the database part's (`database.ts`). */
export async function serve(library: Library, questions: QuestionLog | undefined): Promise<Served> {
  const emulator = await DiscordEmulator.start({ commands: [...commands, ...messageCommands].map((command) => command.definition) });
  const bot = await startBot(
    { token: emulator.token, apiBase: emulator.apiBase, moderatorRoleIds: [], askCooldownSeconds: 0, commands, messageCommands, questions },
    library,
    SILENT,
  );
  return {
    emulator,
    bot,
    close: async () => {
      await bot.stop();
      await emulator.close();
    },
  };
}

/** One `/ask` from the emulator sending it to its accepting the answer, in ms. */
export async function time(served: Served, question: string): Promise<number> {
  const started = performance.now();
  const interaction = served.emulator.chatInput('ask', { question });
  await served.emulator.waitForCallback(interaction.id);
  return performance.now() - started;
}

/** The floor for /gaps: reading every question of the period once, with nothing grouped or rendered. */
function scanRows(file: string, since: number): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT question, group_key FROM questions WHERE asked_at >= ?').all(since).length;
  } finally {
    db.close();
  }
}
