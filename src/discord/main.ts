import 'dotenv/config';
import { DiscordjsErrorCodes } from 'discord.js';
import { commands } from '../../commands/index.js';
import { ConfigError, parseConfig } from '../config/env.js';
import { CorpusError } from '../corpus/errors.js';
import { DEFAULT_LIBRARY_OPTIONS, Library } from '../library/library.js';
import { startBot } from './bot.js';
import { consoleLogger as logger, oneLine } from './log.js';

/** `npm start`: loads the corpus, logs in, and serves until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  if (config.DISCORD_TOKEN === undefined) {
    throw new ConfigError('config: DISCORD_TOKEN is not set: copy the token from the Developer Portal (your application, Bot page) into .env');
  }
  const library = await Library.load(config.CORPUS_DIR, {
    ...DEFAULT_LIBRARY_OPTIONS,
    corpus: { maxFileBytes: config.MAX_CORPUS_FILE_BYTES },
  });
  const bot = await startBot(
    {
      token: config.DISCORD_TOKEN,
      apiBase: config.DISCORD_API_BASE,
      moderatorRoleIds: config.MODERATOR_ROLE_IDS,
      askCooldownSeconds: config.ASK_COOLDOWN_SECONDS,
      commands,
    },
    library,
    logger,
  );
  const { engine } = library.current;
  logger.info(
    `incident-desk: logged in as ${bot.client.user.tag} in ${bot.client.guilds.cache.size} server(s); serving ${engine.corpus.documents.length} document(s), ${engine.passageCount} passages from ${library.directory}`,
  );
  for (const warning of engine.corpus.warnings) logger.info(`incident-desk: warning: ${warning}`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`incident-desk: ${signal} received, disconnecting`);
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`incident-desk: error while disconnecting: ${oneLine(error)}`, error);
        process.exit(0);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // A stray rejection (a Discord call nobody awaited) is logged; it must not take the bot down.
  process.on('unhandledRejection', (reason) => logger.error(`incident-desk: unhandled rejection: ${oneLine(reason)}`, reason));
}

/** One line for the person starting the bot: what is wrong and what to do, never the token. */
function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return oneLine(error);
  if (error instanceof CorpusError) return error.message;
  const code = (error as { code?: unknown }).code;
  if (code === DiscordjsErrorCodes.TokenInvalid) {
    return 'discord: the token was refused: copy it again from the Developer Portal (your application, Bot page, Reset Token) into .env';
  }
  return `incident-desk: could not start: ${oneLine(error)}`;
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
