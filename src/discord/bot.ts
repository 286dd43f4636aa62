import { once } from 'node:events';
import { Events, type Client } from 'discord.js';
import type { Command } from '../commands/command.js';
import { describeProcess, PEER_ANSWER_TIMEOUT_MS, type Peers } from '../fleet/peers.js';
import { shardPeers } from '../fleet/shard-peers.js';
import type { Library } from '../library/library.js';
import { createClient } from './client.js';
import { Cooldown } from './cooldown.js';
import { oneLine, type Logger } from './log.js';
import type { MessageCommand } from '../commands/message-command.js';
import type { QuestionLog } from '../store/question-log.js';
import { createRouter } from './router.js';
import { createConversation } from './conversation.js';
import { RecentAnswers } from '../conversation/recent-answers.js';
import type { ServerSettings } from '../store/server-settings.js';
import type { GatewaySharding } from './sharding.js';

/** What serving the commands takes, whichever way interactions arrive (gateway, or HTTP: `startInteractionsServer`). */
export interface ServeSettings {
  /** `DISCORD_API_BASE`: a REST root to use instead of Discord's (a proxy, or the test emulator). */
  readonly apiBase?: string | undefined;
  readonly moderatorRoleIds: readonly string[];
  readonly askCooldownSeconds: number;
  readonly commands: readonly Command[];
  /**
   * The other processes a `/reload` reaches. Without them, a shard of a `ShardingManager` reaches its sibling
   * shards through discord.js's IPC.
   */
  readonly peers?: Peers | undefined;
  readonly messageCommands?: readonly MessageCommand[] | undefined;
  /** Where questions and votes are recorded; the caller opens and closes it. */
  readonly questions?: QuestionLog | undefined;
  /** Each server's settings (where the bot answers in the conversation); the caller opens and closes them. */
  readonly settings?: ServerSettings | undefined;
}

export interface BotSettings extends ServeSettings {
  readonly token: string;
  /** The shards this process runs (`SHARD_IDS`, `SHARD_COUNT`). */
  readonly sharding?: GatewaySharding | undefined;
  /** How this process names itself to moderators (`describeProcess`). */
  readonly label?: string | undefined;
}

/** The router both transports hand their interactions to. */
export function routerFor(
  settings: ServeSettings,
  library: Library,
  logger: Logger,
  peers = settings.peers,
  askCooldown = new Cooldown(settings.askCooldownSeconds),
  readsMessages = false,
): ReturnType<typeof createRouter> {
  return createRouter({
    readsMessages,
    library,
    commands: settings.commands,
    messageCommands: settings.messageCommands,
    questions: settings.questions,
    settings: settings.settings,
    moderatorRoleIds: settings.moderatorRoleIds,
    askCooldown,
    logger,
    peers,
  });
}

/** A logged-in bot. */
export interface RunningBot {
  readonly client: Client<true>;
  /** Closes the gateway connection; the process can then exit. */
  stop(): Promise<void>;
}

/**
 * Logs in and serves the commands until stopped. Resolves once Discord says the client is ready; rejects if
 * the login fails (a refused token, an unreachable API), after releasing the client.
 */
export async function startBot(settings: BotSettings, library: Library, logger: Logger): Promise<RunningBot> {
  const client = createClient({ apiBase: settings.apiBase, sharding: settings.sharding });
  const peers =
    settings.peers ??
    (client.shard ? shardPeers(client, library, settings.label ?? describeProcess(`shard ${client.shard.ids.join(', ')}`), PEER_ANSWER_TIMEOUT_MS) : undefined);
  // One cooldown for /ask and questions in the conversation: a member waits between questions however they ask.
  const askCooldown = new Cooldown(settings.askCooldownSeconds);
  const route = routerFor(settings, library, logger, peers, askCooldown, true);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  const converse = createConversation({
    library,
    commands: settings.commands,
    questions: settings.questions,
    settings: settings.settings,
    askCooldown,
    recentAnswers: new RecentAnswers(),
    logger,
  });
  client.on(Events.MessageCreate, (message) => void converse(message));
  // Without a listener, an 'error' event would crash the process; the client reconnects by itself.
  client.on(Events.Error, (error) => logger.error(`discord: client error: ${oneLine(error)}`, error));
  client.on(Events.Warn, (warning) => logger.info(`discord: warning: ${warning}`));

  const cancel = new AbortController();
  const ready = once(client, Events.ClientReady, { signal: cancel.signal });
  try {
    await client.login(settings.token);
  } catch (error) {
    cancel.abort();
    await ready.catch(() => undefined);
    throw error;
  }
  const [readyClient] = (await ready) as [Client<true>];
  return { client: readyClient, stop: () => client.destroy() };
}
