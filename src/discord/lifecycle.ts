import { DiscordjsErrorCodes } from 'discord.js';
import { commands, messageCommands } from '../../commands/index.js';
import { ConfigError, type Config } from '../config/env.js';
import type { Peers } from '../fleet/peers.js';
import type { QuestionLog } from '../store/question-log.js';
import type { ServerSettings } from '../store/server-settings.js';
import { CorpusError } from '../corpus/errors.js';
import type { ServeSettings } from './bot.js';
import { oneLine, type Logger } from './log.js';

/**
 * What every entry point serves, from the environment: every command, with `peers` to pass reloads on to and
 * `questions` to record in.
 */
export function serveSettings(config: Config, peers: Peers | undefined, questions?: QuestionLog, settings?: ServerSettings): ServeSettings {
  return {
    apiBase: config.DISCORD_API_BASE,
    moderatorRoleIds: config.MODERATOR_ROLE_IDS,
    askCooldownSeconds: config.ASK_COOLDOWN_SECONDS,
    commands,
    messageCommands,
    peers,
    questions,
    settings,
  };
}

/** One line for the person starting the bot: what is wrong and what to do, never the token. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return oneLine(error);
  if (error instanceof CorpusError) return error.message;
  const code = (error as { code?: unknown }).code;
  if (code === DiscordjsErrorCodes.TokenInvalid) {
    return 'discord: the token was refused: copy it again from the Developer Portal (your application, Bot page, Reset Token) into .env';
  }
  return `incident-desk: could not start: ${oneLine(error)}`;
}

/**
 * Stops on SIGINT or SIGTERM (`stop`, then exit 0, as a process manager expects), and logs a stray rejection (a
 * Discord call nobody awaited) instead of letting it take the process down.
 */
export function stopOnSignals(stop: () => Promise<unknown>, logger: Logger, doing = 'stopping'): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`incident-desk: ${signal} received, ${doing}`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`incident-desk: error while ${doing}: ${oneLine(error)}`, error);
        process.exit(0);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.on('unhandledRejection', (reason) => logger.error(`incident-desk: unhandled rejection: ${oneLine(reason)}`, reason));
}
