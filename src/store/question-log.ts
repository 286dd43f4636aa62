import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Answer } from '../answer/types.js';
import { openDatabase } from './database.js';
import { questionWords, wordGrouping, type AskedQuestion, type Grouping } from './grouping.js';

/** Where and whether to record, from `DATA_DIR`, `RECORD_QUESTIONS` and `QUESTION_RETENTION_DAYS`. */
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
  checkpointEveryMs: 30 * 1000,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a recorded question came to: answered, answered with low confidence, or not answered. */
export type Outcome = 'answered' | 'low-confidence' | 'abstained';

/** What a member said about an answer. */
export type Verdict = 'helpful' | 'wrong';

/** Whether questions are being recorded, and in words for `/help` and `/gaps`. */
export interface RecordingStatus {
  readonly recording: boolean;
  /** False when the file could not be opened: nothing can be shown or cleared. */
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

/** The open file, or why it could not be opened (the reason names the file). */
interface Connection {
  readonly db: Database.Database | undefined;
  readonly problem: string | undefined;
}

interface Options {
  readonly clock?: () => number;
  readonly grouping?: Grouping;
  readonly onError?: (line: string, error: unknown) => void;
}

/**
 * What the bot could not answer and what members thought of its answers, kept in one SQLite file under
 * `DATA_DIR`. Never stores user ids or names: a vote is kept under a salted hash of the member and the answer,
 * only so a second click replaces the first. If the file cannot be used the log is degraded, not fatal: answers
 * are still served, nothing is recorded, and {@link status} says why. No method throws.
 */
export class QuestionLog {
  private readonly clock: () => number;
  private readonly grouping: Grouping;
  private readonly onError: (line: string, error: unknown) => void;
  private connection: Connection | undefined;

  private constructor(
    readonly file: string,
    private readonly settings: QuestionLogSettings,
    options: Options,
  ) {
    this.clock = options.clock ?? Date.now;
    this.grouping = options.grouping ?? wordGrouping();
    this.onError = options.onError ?? (() => undefined);
  }

  /**
   * Opens the log's file, or returns a degraded log saying why it could not. A log that records nothing
   * (`record: false`: the console, or `RECORD_QUESTIONS=false`) opens it when first read instead (`/gaps`, `/help`),
   * so a process that only answers never loads SQLite, and never creates it: with no file, it reads as empty.
   */
  static open(settings: QuestionLogSettings, options: Options = {}): QuestionLog {
    const log = new QuestionLog(path.resolve(settings.dataDir, QUESTION_LOG_DEFAULTS.fileName), settings, options);
    if (settings.record) log.connect();
    return log;
  }

  private connect(): Connection {
    if (this.connection) return this.connection;
    // A log that records nothing makes no file: with none yet, it reads an empty store, and looks again next time.
    if (!this.settings.record && !existsSync(this.file)) return (this.nothingRecorded ??= { db: openDatabase(':memory:'), problem: undefined });
    if (this.nothingRecorded) {
      this.nothingRecorded.db?.close();
      this.nothingRecorded = undefined;
      this.statements.clear();
    }
    try {
      this.connection = { db: openDatabase(this.file), problem: undefined };
    } catch (error) {
      this.connection = { db: undefined, problem: (error as Error).message };
    }
    return this.connection;
  }

  /** An empty store in memory, read while there is no file. */
  private nothingRecorded: Connection | undefined;

  private get db(): Database.Database | undefined {
    return this.connect().db;
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

  /** Records a question and its answer; returns the answer's id for its feedback buttons, or undefined when off. */
  record(entry: AskedEntry): number | undefined {
    if (!this.settings.record || !this.db) return undefined;
    const { answer } = entry;
    const outcome: Outcome = !answer.answered
      ? 'abstained'
      : answer.confidence < QUESTION_LOG_DEFAULTS.lowConfidence
        ? 'low-confidence'
        : 'answered';
    const quote = answer.answered ? answer.quotes[0] : undefined;
    return this.guard('could not record a question', () => {
      const result = this.statement(
        `INSERT INTO questions (asked_at, guild_id, question, group_key, outcome, confidence, corpus_version, passage_id, quote)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        this.clock(),
        entry.guildId ?? null,
        entry.question,
        groupKey(entry.question),
        outcome,
        answer.confidence,
        entry.corpusVersion,
        quote?.citation.passageId ?? null,
        quote?.text ?? null,
      );
      return Number(result.lastInsertRowid);
    });
  }

  /** One vote per member per answer: a second click replaces the first. */
  vote(answerId: number, memberId: string, verdict: Verdict): VoteOutcome {
    if (!this.settings.record) return 'off';
    const db = this.db;
    if (!db) return 'off';
    return (
      this.guard('could not record a vote', () =>
        db
          .transaction((): VoteOutcome => {
            if (this.statement('SELECT 1 FROM questions WHERE id = ?').get(answerId) === undefined) return 'unknown-answer';
            const voter = this.voterKey(memberId, answerId);
            const before = this.statement('SELECT verdict FROM votes WHERE voter = ?').get(voter) as { verdict: Verdict } | undefined;
            if (before?.verdict === verdict) return 'unchanged';
            this.statement(
              `INSERT INTO votes (voter, question_id, verdict, voted_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (voter) DO UPDATE SET verdict = excluded.verdict, voted_at = excluded.voted_at`,
            ).run(voter, answerId, verdict, this.clock());
            return before ? 'changed' : 'recorded';
          })
          .immediate(),
      ) ?? 'off'
    );
  }

  /** The questions of the last `days` the bot did not answer well, near-duplicates grouped, and quotes marked wrong. */
  gaps(days: number, page: number): GapsReport | undefined {
    if (!this.db) return undefined;
    return this.guard('could not read the gaps', () => {
      const since = this.clock() - days * DAY_MS;
      const rows = this.statement(
        `SELECT group_key AS key, question, COUNT(*) AS count, MAX(asked_at) AS lastAskedAt
         FROM questions WHERE asked_at >= ? AND outcome != 'answered' GROUP BY group_key`,
      ).all(since) as { key: string; question: string; count: number; lastAskedAt: number }[];
      const asked = (this.statement('SELECT COUNT(*) AS n FROM questions WHERE asked_at >= ?').get(since) as { n: number }).n;
      const questions: AskedQuestion[] = rows.map((row) => ({
        text: row.question,
        words: row.key.startsWith(NO_WORDS_KEY) ? [] : row.key.split(' '),
        count: row.count,
        lastAskedAt: row.lastAskedAt,
      }));
      const groups = this.grouping(questions)
        .map(summarise)
        .sort((a, b) => b.count - a.count || b.lastAskedAt - a.lastAskedAt);
      const wrong = this.statement(
        `SELECT q.passage_id AS passageId, q.quote AS quote, q.question AS question, COUNT(*) AS count, MAX(v.voted_at) AS lastMarkedAt
         FROM votes v JOIN questions q ON q.id = v.question_id
         WHERE v.verdict = 'wrong' AND v.voted_at >= ? AND q.passage_id IS NOT NULL
         GROUP BY q.passage_id, q.quote ORDER BY count DESC, lastMarkedAt DESC`,
      ).all(since) as WrongQuote[];
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

  /** Deletes every recorded question and vote; returns how many questions went, or undefined if the file is unusable. */
  clear(): number | undefined {
    const db = this.db;
    if (!db) return undefined;
    return this.guard('could not clear', () =>
      db
        .transaction(() => {
          this.statement('DELETE FROM votes').run();
          return this.statement('DELETE FROM questions').run().changes;
        })
        .immediate(),
    );
  }

  /** Deletes questions (and their votes) older than the retention period; returns how many went. */
  prune(): number {
    if (!this.db) return 0;
    const before = this.clock() - this.settings.retentionDays * DAY_MS;
    return this.guard('could not prune', () => this.statement('DELETE FROM questions WHERE asked_at < ?').run(before).changes) ?? 0;
  }

  /**
   * For a long-running bot: prunes now and every hour, and copies the write-ahead log into the file every 30
   * seconds, instead of SQLite doing it inside whichever write fills the log, which held that one `/ask` up
   * for milliseconds. Keeps no process alive; returns a function that stops both.
   */
  scheduleUpkeep(): () => void {
    const db = this.db;
    this.prune();
    const timers = [setInterval(() => this.prune(), QUESTION_LOG_DEFAULTS.pruneEveryMs)];
    if (db) {
      db.pragma('wal_autocheckpoint = 0');
      // PASSIVE: never waits for the other processes sharing the file; what it cannot copy now waits for next time.
      const checkpoint = (): void => void this.guard('could not checkpoint', () => db.pragma('wal_checkpoint(PASSIVE)'));
      timers.push(setInterval(checkpoint, QUESTION_LOG_DEFAULTS.checkpointEveryMs));
    }
    for (const timer of timers) timer.unref();
    return () => timers.forEach((timer) => clearInterval(timer));
  }

  /** Closes the file (checkpointing the WAL); later calls do nothing. */
  close(): void {
    for (const connection of [this.connection, this.nothingRecorded]) if (connection?.db?.open) connection.db.close();
  }

  private readonly statements = new Map<string, Database.Statement>();

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db!.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The member and answer hashed with this installation's salt: the same pair always gives the same key. */
  private voterKey(memberId: string, answerId: number): string {
    this.statement('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('vote-salt', randomBytes(32).toString('hex'));
    const { value: salt } = this.statement('SELECT value FROM meta WHERE key = ?').get('vote-salt') as { value: string };
    return createHash('sha256').update(`${salt}\u0000${memberId}\u0000${answerId}`).digest('hex');
  }

  /** Runs a database call; a failure (disk full, a file gone bad) is reported and the caller carries on. */
  private guard<T>(what: string, work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.onError(`store: ${what} in ${this.file}: ${(error as Error).message}`, error);
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
