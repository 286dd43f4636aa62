import { Client, GatewayIntentBits, Options, Partials, type RESTOptions } from 'discord.js';
import type { GatewaySharding } from './sharding.js';

/** How to reach Discord. */
export interface ClientSettings {
  /** REST root without the version (e.g. `http://127.0.0.1:5555/api`); Discord's own when undefined. */
  readonly apiBase?: string | undefined;
  /** The shards this process runs; discord.js's default (one shard, or what a `ShardingManager` says) when unset. */
  readonly sharding?: GatewaySharding | undefined;
  /** Performs the REST calls instead of @discordjs/rest's default (HTTP mode answers some of them itself). */
  readonly makeRequest?: RESTOptions['makeRequest'] | undefined;
  /**
   * Keep no users in memory. HTTP mode never hears of users leaving, so its cache would grow by every member
   * who ever used the bot.
   */
  readonly cacheUsers?: boolean | undefined;
}

/**
 * Messages kept per channel. The bot reads a message only as it arrives, and the one it replies to, which Discord
 * sends with it; discord.js's default of 200 per channel would keep every server's chatter.
 */
const MESSAGES_CACHED_PER_CHANNEL = 10;

/**
 * The bot's discord.js client: the Guilds intent for slash commands, GuildMessages and DirectMessages for questions
 * in the conversation, and never the privileged MessageContent: Discord shows a bot the text of messages that
 * mention it, of replies to it that mention it, and of DMs, which is all it answers. The Channel partial lets a DM
 * arrive in a channel discord.js has not cached. No mention is ever parsed by default, so a message that forgets
 * its own `allowedMentions` still cannot ping anyone.
 */
export function createClient(settings: ClientSettings = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: MESSAGES_CACHED_PER_CHANNEL,
      ...(settings.cacheUsers === false ? { UserManager: 0 } : {}),
    }),
    // Only when set: discord.js spreads `rest` over its defaults, so `api: undefined` would erase the default URL.
    rest: {
      ...(settings.apiBase === undefined ? {} : { api: settings.apiBase }),
      ...(settings.makeRequest === undefined ? {} : { makeRequest: settings.makeRequest }),
    },
    // Likewise: an explicit `shards: undefined` would stop discord.js reading a ShardingManager's SHARDS.
    ...(settings.sharding?.shards === undefined ? {} : { shards: settings.sharding.shards }),
    ...(settings.sharding?.shardCount === undefined ? {} : { shardCount: settings.sharding.shardCount }),
  });
}
