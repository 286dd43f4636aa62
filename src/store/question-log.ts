import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Answer } from '../answer/types.js';
import type { Backend } from './backend.js';
import { SqliteBackend } from './database.js';
import { questionWords, wordGrouping, type AskedQuestion, type Grouping } from './grouping.js';

/** Where and whether to record, from `DATA_DIR` (SQLite), `RECORD_QUESTIONS` and `QUESTION_RETENTION_DAYS`. */
export interface QuestionLogSettings {
  readonly dataDir: string;
  readonly record: boolean;
  readonly retentionDays: number;
  /** Why `record` is false, for `/help` and `/gaps`: by default, that RECORD_QUESTIONS says so. */
  readonly notRecordingBecause?: string | undefined;
}

/** Defaults for {@link QuestionLog}: file name, paging and what counts as a low-confidence answer. */
export const QUESTION_LOG_DEFAULTS = {
  fileName: 'questions.sqlite',
  /**
   * An answer below this confidence is listed by `/gaps` with the abstentions. The confidence is the model's chance
   * that the first quote answers: below even odds, the answer is more likely wrong than right.
   */
  lowConfidence: 0.5,
  groupsPerPage: 10,
  wrongQuotesPerPage: 5,
  /** Other wordings shown under a group. */
  wordingsShown: 2,
  pruneEveryMs: 60 * 60 * 1000,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a recorded question came to: answered, answered with low confidence, or not answered. */
export type Outcome = 'answered' | 'low-confidence' | 'abstained';

/** What a member said about an answer. */
export type Verdict = 'helpful' | 'wrong';

/** Whether questions are being recorded, and in words for `/help` and `/gaps`. */
export interface RecordingStatus {
  readonly recording: boolean;
  /** False when the store cannot be used (a file that cannot be opened, a server away): nothing can be shown or cleared. */
  readonly available: boolean;
  readonly text: string;
}

/** How a vote went: first vote, a changed vote, the same vote again, or not counted. */
export type VoteOutcome = 'recorded' | 'changed' | 'unchanged' | 'unknown-answer' | 'off';

/** Near-duplicate questions, counted together. */
export interface GapGroup {
  /** The most asked wording. */
  readonly question: string;
  readonly count: number;
  readonly lastAskedAt: number;
  /** A few of the other wordings, most asked first, and how many there are in all. */
  readonly otherWordings: readonly string[];
  readonly wordingCount: number;
}

/** A quote members marked wrong, with the question it was last marked wrong for. */
export interface WrongQuote {
  readonly passageId: string;
  readonly quote: string;
  readonly question: string;
  readonly count: number;
  readonly lastMarkedAt: number;
}

/** One page of `/gaps`. */
export interface GapsReport {
  readonly days: number;
  readonly page: number;
  readonly pageCount: number;
  /** Questions recorded in the period, and how many of them were not answered or answered with low confidence. */
  readonly asked: number;
  readonly unanswered: number;
  readonly groups: readonly GapGroup[];
  /** How many groups came before `groups[0]`, and how many there are in all. */
  readonly groupOffset: number;
  readonly groupCount: number;
  readonly wrongQuotes: readonly WrongQuote[];
  readonly wrongQuoteCount: number;
  readonly status: RecordingStatus;
}

/** A question to record, and the answer it got. */
export interface AskedEntry {
  readonly question: string;
  readonly guildId?: string | undefined;
  readonly answer: Answer;
  readonly corpusVersion: string;
}

/** The store, or why it cannot be used now (the reason names the file or `DATABASE_URL`). */
interface Connection {
  readonly backend: Backend | undefined;
  readonly problem: string | undefined;
}

interface Options {
  readonly clock?: () => number;
  readonly grouping?: Grouping;
  readonly onError?: (line: string, error: unknown) => void;
}

/**
 * The statements whose SQL differs between the engines: each group of `/gaps` with its latest wording, and the
 * question a quote was last marked wrong for.
 */
const LATEST_WORDING = {
  // SQLite takes a bare column from the row that gave MAX(): the latest wording, walking the covering index once.
  sqlite: {
    groups: `SELECT group_key AS key, question, CAST(COUNT(*) AS INTEGER) AS count, MAX(asked_at) AS "lastAskedAt"
             FROM questions WHERE asked_at >= ? AND outcome <> 'answered' GROUP BY group_key`,
    wrongFor: 'q.question',
  },
  // PostgreSQL counts from the covering index, then looks up each group's latest row in it: at 100,000 questions
  // about 7 times faster than array_agg(question ORDER BY asked_at DESC), which sorts every group.
  postgres: {
    groups: `SELECT g.key, latest.question, g.count, g."lastAskedAt"
             FROM (SELECT group_key AS key, CAST(COUNT(*) AS INTEGER) AS count, MAX(asked_at) AS "lastAskedAt"
                   FROM questions WHERE asked_at >= ? AND outcome <> 'answered' GROUP BY group_key) g
             CROSS JOIN LATERAL (SELECT question FROM questions
                                 WHERE group_key = g.key AND asked_at = g."lastAskedAt" AND outcome <> 'answered' LIMIT 1) latest`,
    wrongFor: '(array_agg(q.question ORDER BY v.voted_at DESC))[1]',
  },
} as const;

/**
 * What the bot could not answer and what members thought of its answers, kept in the store: one SQLite file under
 * `DATA_DIR` by default, or the PostgreSQL database of `DATABASE_URL` that every process shares. Never stores
 * user ids or names: a vote is kept under a salted hash of the member and the answer, only so a second click
 * replaces the first. If the store cannot be used the log is degraded, not fatal: answers are still served,
 * nothing is recorded, and {@link status} says why. No method throws or rejects.
 */
export class QuestionLog {
  private readonly clock: () => number;
  private readonly grouping: Grouping;
  private readonly onError: (line: string, error: unknown) => void;
  private salt: string | undefined;

  private constructor(
    /** Where the store is: the SQLite file, or the PostgreSQL server and database. */
    readonly where: string,
    private readonly settings: Omit<QuestionLogSettings, 'dataDir'>,
    private readonly connect: () => Connection,
    options: Options,
  ) {
    this.clock = options.clock ?? Date.now;
    this.grouping = options.grouping ?? wordGrouping();
    this.onError = options.onError ?? (() => undefined);
  }

  /**
   * The log in the SQLite file under `dataDir`, or a degraded log saying why it could not be opened. A log that
   * records nothing (`record: false`: the console, or `RECORD_QUESTIONS=false`) opens it when first read instead
   * (`/gaps`, `/help`), so a process that only answers never loads SQLite, and never creates it: with no file, it
   * reads as empty.
   */
  static open(settings: QuestionLogSettings, options: Options = {}): QuestionLog {
    const file = path.resolve(settings.dataDir, QUESTION_LOG_DEFAULTS.fileName);
    let connection: Connection | undefined;
    // A log that records nothing makes no file: with none yet, it reads an empty store, and looks again next time.
    let nothingRecorded: Backend | undefined;
    const connect = (): Connection => {
      if (connection) return connection;
      if (!settings.record && !existsSync(file)) return { backend: (nothingRecorded ??= SqliteBackend.open(':memory:')), problem: undefined };
      void nothingRecorded?.close();
      nothingRecorded = undefined;
      try {
        connection = { backend: SqliteBackend.open(file), problem: undefined };
      } catch (error) {
        connection = { backend: undefined, problem: (error as Error).message };
      }
      return connection;
    };
    const log = new QuestionLog(file, settings, connect, options);
    // Only what was opened is flushed and closed: closing a log never read opens nothing.
    log.closers.push(async () => {
      await connection?.backend?.flush();
      await Promise.all([connection?.backend?.close(), nothingRecorded?.close()]);
    });
    if (settings.record) connect();
    return log;
  }

  /** The log in a store opened elsewhere (the PostgreSQL database of `DATABASE_URL`), which the caller closes. */
  static on(backend: Backend, settings: Omit<QuestionLogSettings, 'dataDir'>, options: Options = {}): QuestionLog {
    const log = new QuestionLog(backend.where, settings, () => ({ backend, problem: backend.problem }), options);
    log.closers.push(() => backend.flush());
    return log;
  }

  private readonly closers: (() => Promise<unknown>)[] = [];

  /** The engine holding the log: `sqlite` or `postgres`. */
  get engine(): Backend['engine'] {
    return this.connect().backend?.engine ?? 'sqlite';
  }

  get status(): RecordingStatus {
    const { problem } = this.connect();
    if (problem !== undefined) {
      return { recording: false, available: false, text: `off, answers are still served: ${problem}` };
    }
    if (!this.settings.record) {
      return { recording: false, available: true, text: `off (${this.settings.notRecordingBecause ?? 'RECORD_QUESTIONS=false'})` };
    }
    return {
      recording: true,
      available: true,
      text: `on: question text, time, server and outcome are kept ${this.settings.retentionDays} days; never who asked`,
    };
  }

  /**
   * Records a question and its answer; resolves with the answer's id for its feedback buttons, or undefined when
   * off. On PostgreSQL the row is written in the background after this resolves (see `Backend.appendQuestion`).
   */
  async record(entry: AskedEntry): Promise<number | undefined> {
    // Asked first: a log that records nothing (the console) must not open a store for each question.
    if (!this.settings.record) return undefined;
    const { backend } = this.usable();
    if (!backend) return undefined;
    const { answer } = entry;
    const outcome: Outcome = !answer.answered
      ? 'abstained'
      : answer.confidence < QUESTION_LOG_DEFAULTS.lowConfidence
        ? 'low-confidence'
        : 'answered';
    const quote = answer.answered ? answer.quotes[0] : undefined;
    return this.guard('could not record a question', () =>
      backend.appendQuestion({
        askedAt: this.clock(),
        guildId: entry.guildId ?? null,
        question: entry.question,
        groupKey: groupKey(entry.question),
        outcome,
        confidence: answer.confidence,
        corpusVersion: entry.corpusVersion,
        passageId: quote?.citation.passageId ?? null,
        quote: quote?.text ?? null,
      }),
    );
  }

  /** One vote per member per answer: a second click replaces the first. Resolves once the vote is committed. */
  async vote(answerId: number, memberId: string, verdict: Verdict): Promise<VoteOutcome> {
    const { backend } = this.usable();
    if (!this.settings.record || !backend) return 'off';
    const voted = await this.guard('could not record a vote', async () => {
      // The answer's own row may still be on its way (PostgreSQL writes questions in the background).
      await backend.flush();
      const voter = this.voterKey(memberId, answerId, await this.voteSalt(backend));
      return backend.transaction(async (tx): Promise<VoteOutcome> => {
        if ((await tx.all('SELECT 1 AS found FROM questions WHERE id = ?', [answerId])).length === 0) return 'unknown-answer';
        const [before] = await tx.all<{ verdict: Verdict }>('SELECT verdict FROM votes WHERE voter = ?', [voter]);
        if (before?.verdict === verdict) return 'unchanged';
        await tx.run(
          `INSERT INTO votes (voter, question_id, verdict, voted_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (voter) DO UPDATE SET verdict = excluded.verdict, voted_at = excluded.voted_at`,
          [voter, answerId, verdict, this.clock()],
        );
        return before ? 'changed' : 'recorded';
      });
    });
    return voted ?? 'off';
  }

  /** The questions of the last `days` the bot did not answer well, near-duplicates grouped, and quotes marked wrong. */
  async gaps(days: number, page: number): Promise<GapsReport | undefined> {
    const { backend } = this.usable();
    if (!backend) return undefined;
    return this.guard('could not read the gaps', async () => {
      await backend.flush();
      const since = this.clock() - days * DAY_MS;
      const wording = LATEST_WORDING[backend.engine];
      const rows = await backend.all<{ key: string; question: string; count: number; lastAskedAt: number }>(wording.groups, [since]);
      const [{ n: asked }] = (await backend.all<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM questions WHERE asked_at >= ?', [since])) as [{ n: number }];
      const questions: AskedQuestion[] = rows.map((row) => ({
        text: row.question,
        words: row.key.startsWith(NO_WORDS_KEY) ? [] : row.key.split(' '),
        count: row.count,
        lastAskedAt: row.lastAskedAt,
      }));
      const groups = this.grouping(questions)
        .map(summarise)
        .sort((a, b) => b.count - a.count || b.lastAskedAt - a.lastAskedAt);
      const wrong = await backend.all<WrongQuote>(
        `SELECT q.passage_id AS "passageId", q.quote AS quote, ${wording.wrongFor} AS question, CAST(COUNT(*) AS INTEGER) AS count, MAX(v.voted_at) AS "lastMarkedAt"
         FROM votes v JOIN questions q ON q.id = v.question_id
         WHERE v.verdict = 'wrong' AND v.voted_at >= ? AND q.passage_id IS NOT NULL
         GROUP BY q.passage_id, q.quote ORDER BY count DESC, "lastMarkedAt" DESC`,
        [since],
      );
      const { groupsPerPage, wrongQuotesPerPage } = QUESTION_LOG_DEFAULTS;
      const pageCount = Math.max(1, Math.ceil(groups.length / groupsPerPage), Math.ceil(wrong.length / wrongQuotesPerPage));
      const shown = Math.min(Math.max(0, page), pageCount - 1);
      return {
        days,
        page: shown,
        pageCount,
        asked,
        unanswered: rows.reduce((sum, row) => sum + row.count, 0),
        groups: groups.slice(shown * groupsPerPage, (shown + 1) * groupsPerPage),
        groupOffset: shown * groupsPerPage,
        groupCount: groups.length,
        wrongQuotes: wrong.slice(shown * wrongQuotesPerPage, (shown + 1) * wrongQuotesPerPage),
        wrongQuoteCount: wrong.length,
        status: this.status,
      };
    });
  }

  /** Deletes every recorded question and vote; resolves with how many questions went, or undefined if the store is unusable. */
  async clear(): Promise<number | undefined> {
    const { backend } = this.usable();
    if (!backend) return undefined;
    return this.guard('could not clear', async () => {
      await backend.flush();
      return backend.transaction(async (tx) => {
        await tx.run('DELETE FROM votes');
        return tx.run('DELETE FROM questions');
      });
    });
  }

  /** Deletes questions (and their votes) older than the retention period; resolves with how many went. */
  async prune(): Promise<number> {
    const { backend } = this.usable();
    if (!backend) return 0;
    const before = this.clock() - this.settings.retentionDays * DAY_MS;
    return (await this.guard('could not prune', () => backend.run('DELETE FROM questions WHERE asked_at < ?', [before]))) ?? 0;
  }

  /**
   * For a long-running bot: prunes now and every hour, and runs the engine's own upkeep (SQLite's checkpoints).
   * Keeps no process alive; returns a function that stops both.
   */
  scheduleUpkeep(): () => void {
    const { backend } = this.connect();
    void this.prune();
    const timer = setInterval(() => void this.prune(), QUESTION_LOG_DEFAULTS.pruneEveryMs).unref();
    const stopEngine = backend?.upkeep() ?? (() => undefined);
    return () => {
      clearInterval(timer);
      stopEngine();
    };
  }

  /** Writes what is pending and closes the store it opened (SQLite: checkpointing the WAL); later calls do nothing. */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0)) await close();
  }

  /** The store when it can be used now: a PostgreSQL server away costs the call, not the caller. */
  private usable(): Connection {
    const connection = this.connect();
    return connection.problem === undefined ? connection : { backend: undefined, problem: connection.problem };
  }

  /** This installation's salt, made by whichever process votes first, and kept in the store with the votes. */
  private async voteSalt(backend: Backend): Promise<string> {
    if (this.salt === undefined) {
      await backend.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', ['vote-salt', randomBytes(32).toString('hex')]);
      const [row] = await backend.all<{ value: string }>('SELECT value FROM meta WHERE key = ?', ['vote-salt']);
      this.salt = row!.value;
    }
    return this.salt;
  }

  /** The member and answer hashed with this installation's salt: the same pair always gives the same key. */
  private voterKey(memberId: string, answerId: number, salt: string): string {
    return createHash('sha256').update(`${salt}\u0000${memberId}\u0000${answerId}`).digest('hex');
  }

  /** Runs a store call; a failure (disk full, a file gone bad, the server away) is reported and the caller carries on. */
  private async guard<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.onError(`store: ${what} in ${this.where}: ${(error as Error).message}`, error);
      return undefined;
    }
  }
}

/** Starts the key of a question without content words; stems are letters and digits, so never clash with it. */
const NO_WORDS_KEY = '#';

/** What `/gaps` counts questions together by before grouping: the same content words, or the same text. */
function groupKey(question: string): string {
  const words = questionWords(question);
  return words.length > 0 ? words.join(' ') : `${NO_WORDS_KEY}${question.trim().toLowerCase()}`;
}

function summarise(members: readonly AskedQuestion[]): GapGroup {
  const [first] = members;
  return {
    question: first!.text,
    count: members.reduce((sum, member) => sum + member.count, 0),
    lastAskedAt: members.reduce((last, member) => Math.max(last, member.lastAskedAt), 0),
    otherWordings: members.slice(1, 1 + QUESTION_LOG_DEFAULTS.wordingsShown).map((member) => member.text),
    wordingCount: members.length,
  };
}
