import 'dotenv/config';
import { countOf } from '../commands/replies.js';
import { ConfigError, parseConfig } from '../config/env.js';
import { consoleLogger as logger } from '../discord/log.js';
import { describeStartupError, serveSettings, stopOnSignals } from '../discord/lifecycle.js';
import { openStore } from '../store/open-store.js';
import { releaseShardCount } from '../discord/sharding.js';
import { describeProcess } from '../fleet/peers.js';
import { joinFleet } from '../fleet/join.js';
import { corpusVersion } from '../library/corpus-version.js';
import { libraryOptionsFromConfig } from '../library/from-config.js';
import { Library } from '../library/library.js';
import { DEFAULT_INTERACTIONS_SERVER_OPTIONS, startInteractionsServer } from './interactions-server.js';

/**
 * `npm run start:http`: loads the corpus and serves Discord's interactions over HTTP on `HTTP_PORT` (no gateway
 * connection, no bot token) until SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  releaseShardCount(process.env);
  if (config.DISCORD_PUBLIC_KEY === undefined) {
    throw new ConfigError('config: DISCORD_PUBLIC_KEY is not set: copy the Public Key from the Developer Portal (your application, General Information) into .env');
  }
  const library = await Library.load(config.CORPUS_DIR, libraryOptionsFromConfig(config, (line) => logger.info(line)));
  const label = describeProcess('http replica');
  const peers = await joinFleet(config, library, label, (line) => logger.error(line));
  const store = await openStore(config, logger);
  const server = await startInteractionsServer(
    {
      publicKey: config.DISCORD_PUBLIC_KEY,
      ...serveSettings(config, peers, store.questions),
      options: {
        port: config.HTTP_PORT ?? DEFAULT_INTERACTIONS_SERVER_OPTIONS.port,
        host: config.HTTP_HOST ?? DEFAULT_INTERACTIONS_SERVER_OPTIONS.host,
      },
    },
    library,
    logger,
  );
  const { engine } = library.current;
  logger.info(
    `incident-desk: serving interactions on http://${config.HTTP_HOST ?? DEFAULT_INTERACTIONS_SERVER_OPTIONS.host}:${server.port}/interactions; ${engine.corpus.documents.length} document(s), ${countOf(engine.passageCount, 'passage')} from ${library.directory} (corpus version ${await corpusVersion(engine.corpus)}) as ${label}`,
  );

  // A snapshot save still running is let finish: cut short, the next start would build instead of loading.
  stopOnSignals(() => Promise.all([server.stop(), peers?.leave(), library.indexSaved()]).finally(() => store.close()), logger);
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
