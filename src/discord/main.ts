import 'dotenv/config';
import { countOf } from '../commands/replies.js';
import { ConfigError, parseConfig } from '../config/env.js';
import { Library } from '../library/library.js';
import { describeMode } from '../semantic/semantic-search.js';
import { libraryOptionsFromConfig } from '../library/from-config.js';
import { describeProcess } from '../fleet/peers.js';
import { joinFleet } from '../fleet/join.js';
import { corpusVersion } from '../library/corpus-version.js';
import { startBot } from './bot.js';
import { consoleLogger as logger } from './log.js';
import { gatewayRole, gatewaySharding, isShardingManagerChild, releaseShardCount } from './sharding.js';
import { describeStartupError, serveSettings, stopOnSignals } from './lifecycle.js';
import { openStore } from '../store/open-store.js';

/**
 * `npm start`: loads the corpus, logs in, and serves until SIGINT or SIGTERM. Also each shard's process under
 * `npm run start:sharded`, and one host's shards with `SHARD_IDS` and `SHARD_COUNT`.
 */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  if (config.DISCORD_TOKEN === undefined) {
    throw new ConfigError('config: DISCORD_TOKEN is not set: copy the token from the Developer Portal (your application, Bot page) into .env');
  }
  const sharding = gatewaySharding(config, process.env);
  releaseShardCount(process.env);
  const library = await Library.load(config.CORPUS_DIR, libraryOptionsFromConfig(config, (line) => logger.info(line)));
  // Served lexically from the start; the log says when answers begin to use the sentence model.
  void library.current.engine.vectorsSettled.then(() => logger.info(`incident-desk: ${describeMode(library.current.engine.mode.mode, library.current.engine.mode.model)}`));
  const label = describeProcess(gatewayRole(config, process.env));
  const peers = await joinFleet(config, library, label, (line) => logger.error(line));
  const store = await openStore(config, logger);
  const bot = await startBot(
    {
      token: config.DISCORD_TOKEN,
      ...serveSettings(config, peers, store.questions, store.settings),
      sharding,
      label,
    },
    library,
    logger,
  );
  const { engine } = library.current;
  logger.info(
    `incident-desk: logged in as ${bot.client.user.tag} in ${bot.client.guilds.cache.size} server(s); serving ${engine.corpus.documents.length} document(s), ${countOf(engine.passageCount, 'passage')} from ${library.directory} (corpus version ${await corpusVersion(engine.corpus)}) as ${label}`,
  );
  for (const warning of engine.corpus.warnings) logger.info(`incident-desk: warning: ${warning}`);

  // A snapshot save still running is let finish: cut short, the next start would build instead of loading.
  stopOnSignals(
    () =>
      Promise.all([bot.stop(), peers?.leave(), library.indexSaved()]).finally(() => store.close()),
    logger,
    'disconnecting',
  );
  // A shard whose ShardingManager died (its IPC channel closed) stops too, rather than serve on unmanaged.
  if (isShardingManagerChild(process.env)) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
