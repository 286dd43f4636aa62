import { commands } from '../../commands/index.js';
import { DiscordEmulator } from '../../tests/support/discord-emulator.js';
import type { AnsweredTurn } from '../commands/conversation.js';
import { RecentAnswers, RECENT_ANSWERS_DEFAULTS } from '../conversation/recent-answers.js';
import { startBot } from '../discord/bot.js';
import type { Logger } from '../discord/log.js';
import { Library } from '../library/library.js';
import { distribution, interleavedTimings, ratio, round, roundedDistribution, type Distribution } from './stats.js';

export interface ConversationJob {
  readonly corpusDir: string;
  readonly questions: readonly string[];
  readonly count: number;
  readonly warmup: number;
}

export interface ConversationFigures {
  readonly count: number;
  /** From the member's message to the bot's reply reaching the emulator. */
  readonly mention: Distribution;
  /** From the interaction's dispatch to its callback, the same questions, alternating. */
  readonly ask: Distribution;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
  /** The record of recent answers full to its bound, with questions of the longest length. */
  readonly record: { readonly entries: number; readonly heapMb: number; readonly bytesPerEntry: number };
}

const SILENT: Logger = { info: () => undefined, error: () => undefined };

/**
 * Mention answers against `/ask`, through the tests' Discord emulator with the real discord.js client on loopback,
 * one bot, alternating, after a warm-up: a mention is timed from the MESSAGE_CREATE dispatch to the reply message
 * the bot POSTs, `/ask` from INTERACTION_CREATE to its callback. Then the memory of the recent-answers record at its
 * bound (5,000 answers of 300-character questions and three quote ids), by heap difference after GC.
 */
export async function measureConversation(job: ConversationJob): Promise<ConversationFigures> {
  const emulator = await DiscordEmulator.start({ commands: commands.map((command) => command.definition) });
  const library = await Library.load(job.corpusDir);
  const bot = await startBot({ token: emulator.token, apiBase: emulator.apiBase, moderatorRoleIds: [], askCooldownSeconds: 0, commands }, library, SILENT);
  const mention = `<@${emulator.botUser.id}>`;
  const viaMention = async (question: string): Promise<number> => {
    const started = performance.now();
    const message = emulator.post(`${mention} ${question}`);
    await emulator.waitForReplyTo(message.id);
    return performance.now() - started;
  };
  const viaAsk = async (question: string): Promise<number> => {
    const started = performance.now();
    const interaction = emulator.chatInput('ask', { question });
    await emulator.waitForCallback(interaction.id);
    return performance.now() - started;
  };
  let mentions: number[];
  let asks: number[];
  try {
    [mentions, asks] = await interleavedTimings(job, viaMention, viaAsk);
  } finally {
    await bot.stop();
    await emulator.close();
  }
  const mentionFigures = distribution(mentions);
  const askFigures = distribution(asks);
  return {
    count: mentions.length,
    mention: roundedDistribution(mentionFigures),
    ask: roundedDistribution(askFigures),
    p50Ratio: ratio(mentionFigures.p50, askFigures.p50),
    p99Ratio: ratio(mentionFigures.p99, askFigures.p99),
    record: recordMemory(),
  };
}

/** The heap a full record holds: filled with distinct 300-character questions, measured after forced collections. */
function recordMemory(): ConversationFigures['record'] {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench: the conversation part runs with --expose-gc');
  const entries = RECENT_ANSWERS_DEFAULTS.maxEntries;
  gc();
  const before = process.memoryUsage().heapUsed;
  const record = new RecentAnswers<AnsweredTurn>();
  for (let i = 0; i < entries + 100; i++) {
    const question = `${String(i).padStart(6, '0')} ${'what did the militants demand and did they get it '.repeat(6)}`.slice(0, 300);
    record.remember(String(1_100_000_000_000_000_000n + BigInt(i)), { question, quoteIds: ['bannu-siege#p13', 'bannu-siege#p2', 'bannu-siege#p16'], depth: 1 });
  }
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  if (record.size !== entries) throw new Error(`bench: the record holds ${record.size} answers, not its bound ${entries}`);
  return { entries, heapMb: round(bytes / 1024 / 1024, 2), bytesPerEntry: Math.round(bytes / entries) };
}
