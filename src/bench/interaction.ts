import { ApplicationCommandType, InteractionContextType } from 'discord-api-types/v10';
import * as z from 'zod';
import { commands } from '../../commands/index.js';
import { DiscordEmulator } from '../../tests/support/discord-emulator.js';
import type { Command } from '../commands/command.js';
import { startBot } from '../discord/bot.js';
import type { Logger } from '../discord/log.js';
import { Library } from '../library/library.js';
import { distribution, interleavedTimings, ratio, roundedDistribution, type Distribution } from './stats.js';

export interface InteractionJob {
  readonly corpusDir: string;
  readonly questions: readonly string[];
  readonly count: number;
  readonly warmup: number;
}

export interface InteractionFigures {
  readonly count: number;
  readonly ask: Distribution;
  readonly trivial: Distribution;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
}

/** The floor: a command that replies a fixed text, served by the same client, router and renderer as /ask. */
const BENCH_PING: Command<Record<string, never>> = {
  name: 'bench-ping',
  definition: { name: 'bench-ping', type: ApplicationCommandType.ChatInput, description: 'Replies pong', contexts: [InteractionContextType.Guild] },
  options: z.object({}),
  moderatorOnly: false,
  execute: () => ({ kind: 'notice', tone: 'info', text: 'pong', private: false }),
};

const SILENT: Logger = { info: () => undefined, error: () => undefined };

/**
 * Interaction latency through the tests' Discord emulator, with the real discord.js client on loopback: from the
 * INTERACTION_CREATE dispatch to the interaction callback the emulator receives, for /ask and for the trivial
 * command, alternating, one at a time, after a warm-up.
 */
export async function measureInteractions(job: InteractionJob): Promise<InteractionFigures> {
  const served = [...commands, BENCH_PING];
  const emulator = await DiscordEmulator.start({ commands: served.map((command) => command.definition) });
  const library = await Library.load(job.corpusDir);
  const bot = await startBot(
    { token: emulator.token, apiBase: emulator.apiBase, moderatorRoleIds: [], askCooldownSeconds: 0, commands: served },
    library,
    SILENT,
  );
  const time = async (name: string, options: Record<string, string>): Promise<number> => {
    const started = performance.now();
    const interaction = emulator.chatInput(name, options);
    await emulator.waitForCallback(interaction.id);
    return performance.now() - started;
  };
  let ask: number[];
  let trivial: number[];
  try {
    [ask, trivial] = await interleavedTimings(job, (question) => time('ask', { question }), () => time('bench-ping', {}));
  } finally {
    await bot.stop();
    await emulator.close();
  }
  const askFigures = distribution(ask);
  const trivialFigures = distribution(trivial);
  return {
    count: ask.length,
    ask: roundedDistribution(askFigures),
    trivial: roundedDistribution(trivialFigures),
    p50Ratio: ratio(askFigures.p50, trivialFigures.p50),
    p99Ratio: ratio(askFigures.p99, trivialFigures.p99),
  };
}
