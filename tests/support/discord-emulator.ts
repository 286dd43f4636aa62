/**
 * A small Discord API emulator for end-to-end tests: REST under `/api/v10` and a v10 JSON gateway, on 127.0.0.1 only.
 *
 * The real discord.js `Client` logs in to it (with `rest: { api: emulator.apiBase }`), tests dispatch interactions
 * through the gateway, and assert on what the bot actually sent back over REST. Where Discord rejects a request
 * (an oversized embed, a second acknowledgement, a reply after the 3-second window, a bad token), the emulator
 * rejects it the same way, so a bug shows up as the error Discord would give rather than as a passing test.
 */
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  GatewayOpcodes,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIGuildTextChannel,
  type ApplicationFlags,
  type ChannelFlags,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type RoleFlags,
  type UserFlags,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** The Manage Server permission bit, as Discord sends permissions: a decimal string of a bit set. */
export const MANAGE_GUILD = 1n << 5n;
/** What a plain member can usually do in a text channel: view, send, embed, read history, use commands. */
export const MEMBER_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 31n);

/** One HTTP request the emulator received, as the bot sent it. Paths are relative to `/api/v10`. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  /** The status the emulator answered with. */
  readonly status: number;
  readonly at: number;
}

/** An interaction response (`POST /interactions/{id}/{token}/callback`) that the emulator accepted. */
export interface RecordedCallback {
  readonly interactionId: string;
  readonly token: string;
  readonly type: InteractionResponseType;
  /** The response's `data` (message body, autocomplete choices…), if any. */
  readonly data: Record<string, unknown> | undefined;
  /** Milliseconds between the dispatch of the interaction and this response. */
  readonly latencyMs: number;
}

/** A message body the bot sent, whichever route carried it (callback, edit of the original, follow-up). */
export interface SentMessage {
  readonly route: 'callback' | 'edit-original' | 'followup';
  readonly interactionId: string;
  readonly body: Record<string, unknown>;
}

/** A message the bot created in a channel (`POST /channels/{id}/messages`): a reply to a mention or a DM. */
export interface ChannelMessage {
  readonly channelId: string;
  readonly body: Record<string, unknown>;
  /** The message as stored, with its id and author. */
  readonly message: APIMessage;
}

/** How a member's message is posted with {@link DiscordEmulator.post}. */
export interface PostOptions {
  readonly author?: APIUser | undefined;
  /** In a direct message with the bot instead of a guild channel. */
  readonly dm?: boolean | undefined;
  /** The guild (one of `guildIds`), the first by default. */
  readonly guildId?: string | undefined;
  /** A channel of that guild: its main channel by default, or `otherChannelId`. */
  readonly channelId?: string | undefined;
  /** The message this one replies to. */
  readonly replyTo?: APIMessage | undefined;
  /** Whether the reply mentions the replied-to author, as Discord's reply does by default. */
  readonly ping?: boolean | undefined;
}

/** A command registration (`PUT .../commands`) as received. */
export interface CommandRegistration {
  readonly scope: 'global' | 'guild';
  readonly guildId?: string | undefined;
  readonly body: readonly RESTPostAPIApplicationCommandsJSONBody[];
}

/** An interaction the emulator dispatched: enough to find what the bot answered to it. */
export interface DispatchedInteraction {
  readonly id: string;
  readonly token: string;
  readonly payload: Record<string, unknown>;
}

/** Which requests a fault applies to. */
export type FaultTarget = 'callback' | 'webhook' | 'any' | ((request: { method: string; path: string }) => boolean);

/** Who triggers an interaction, and with which rights in the guild. */
export interface Actor {
  readonly user?: APIUser | undefined;
  /** Permission bits of the member in the channel; defaults to `MEMBER_PERMISSIONS`. */
  readonly permissions?: bigint | undefined;
  readonly roles?: readonly string[] | undefined;
  readonly locale?: string | undefined;
  /** The guild it happens in (one of `guildIds`); the first guild by default. */
  readonly guildId?: string | undefined;
}

export interface EmulatorOptions {
  /** The token the bot must present (REST `Authorization: Bot …` and gateway IDENTIFY). */
  readonly token?: string;
  /** Gateway heartbeat interval; Discord sends about 41 s. */
  readonly heartbeatIntervalMs?: number;
  /** How long the bot has to give the first response to an interaction (Discord: 3 s). */
  readonly responseWindowMs?: number;
  /** Command definitions known up front, so dispatched interactions carry their ids and option types. */
  readonly commands?: readonly RESTPostAPIApplicationCommandsJSONBody[];
  /**
   * The shard count `GET /gateway/bot` recommends, with one guild on each shard (by Discord's rule: shard =
   * (guild id >> 22) % shard count). Default 1.
   */
  readonly shards?: number;
  /** How many shards may identify at once (`session_start_limit.max_concurrency`). Default 1. */
  readonly maxConcurrency?: number;
}

/** One gateway session: a shard of the bot, identified with `shard: [id, count]` (or `[0, 1]` unsharded). */
interface Session {
  socket: WebSocket | undefined;
  readonly sessionId: string;
  readonly shard: readonly [number, number];
  sequence: number;
  /** The intents it identified with: Discord sends only the events they cover, and message content only with MessageContent. */
  readonly intents: number;
  /** Dispatches sent while the session was away, replayed on RESUME as Discord does. */
  pending: { t: string; d: unknown }[];
}

/** Which shard of `count` receives a guild's events, as Discord decides it. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Where Discord sends interactions for an application with an Interactions Endpoint URL, and its signing key. */
export interface InteractionsEndpoint {
  /** POSTed to in turn, as a load balancer's round robin would spread them over replicas. */
  readonly urls: readonly string[];
  readonly privateKey: KeyObject;
}

/** What an interactions endpoint answered to a signed POST, whether or not the emulator accepted it. */
export interface EndpointResponse {
  readonly interactionId: string;
  readonly url: string;
  readonly status: number;
  readonly body: unknown;
  /** Why the emulator refused the response as a callback, as Discord would (e.g. an oversized embed). */
  readonly problem?: string | undefined;
}

/** Discord's signature of an interaction request: Ed25519 over the timestamp followed by the raw body, in hex. */
export function signInteraction(privateKey: KeyObject, timestamp: string, body: string): string {
  return sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), privateKey).toString('hex');
}

interface Fault {
  readonly target: FaultTarget;
  remaining: number;
  readonly respond: (response: ServerResponse) => void;
}

interface InteractionState {
  readonly payload: Record<string, unknown>;
  readonly dispatchedAt: number;
  acknowledged: boolean;
  /** The message `@original` refers to once the interaction has been answered. */
  originalId?: string;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body['message']));
  }
}

const DISCORD_EPOCH = 1_420_070_400_000n;
const API_PREFIX = '/api/v10';
const GATEWAY_PATH = '/gateway';
const ROUTE_WORDS = new Set(['gateway', 'bot', 'users', '@me', 'applications', 'guilds', 'commands', 'interactions', 'callback', 'webhooks', 'messages', 'channels']);

/** Gateway intents, as IDENTIFY carries them. */
const INTENTS = { guildMessages: 1 << 9, directMessages: 1 << 12, messageContent: 1 << 15 } as const;
const RESPONSE_TYPES_WITH_MESSAGE = new Set<number>([
  InteractionResponseType.ChannelMessageWithSource,
  InteractionResponseType.UpdateMessage,
]);

/** A guild id on shard `shard` of `count`: a snowflake whose timestamp part is `shard` modulo `count`. */
function guildIdOnShard(shard: number, count: number): string {
  const id = BigInt(snowflake());
  const time = id >> 22n;
  const onShard = time - ((((time - BigInt(shard)) % BigInt(count)) + BigInt(count)) % BigInt(count));
  return ((onShard << 22n) | (id & 0x3fffffn)).toString();
}

let snowflakeIncrement = 0n;
/** A snowflake as Discord builds them: milliseconds since 2015 in the high bits, so ids sort by time. */
export function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/** A user as Discord sends it in interactions. */
export function makeUser(username: string, options: { bot?: boolean } = {}): APIUser {
  return {
    id: snowflake(),
    username,
    global_name: username,
    discriminator: '0',
    avatar: null,
    ...(options.bot ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    primary_guild: null,
    avatar_decoration_data: null,
    collectibles: null,
  };
}

/**
 * The emulator. Start it with `DiscordEmulator.start()`, point the bot at `apiBase`, and `close()` it in `afterAll`.
 */
export class DiscordEmulator {
  readonly token: string;
  readonly applicationId = snowflake();
  readonly botUser: APIUser;
  /** One guild per shard: `guildIds[k]` is on shard k. */
  readonly guildIds: readonly string[];
  readonly guildId: string;
  readonly channelId: string;
  /** A second text channel of the first guild. */
  readonly otherChannelId: string;
  readonly moderatorRoleId = snowflake();
  /** Every HTTP request, in order of arrival. */
  readonly requests: RecordedRequest[] = [];
  /** Every accepted interaction response, in order. */
  readonly callbacks: RecordedCallback[] = [];
  /** Every message body the bot sent in answer to interactions, in order. */
  readonly sentMessages: SentMessage[] = [];
  readonly registrations: CommandRegistration[] = [];
  /** Gateway payloads the bot sent (IDENTIFY, heartbeats, RESUME…), in order. */
  readonly gatewayReceived: { op: number; d: unknown }[] = [];
  /** Every answer of the interactions endpoint (HTTP interactions mode), in order of arrival. */
  readonly endpointResponses: EndpointResponse[] = [];
  /** Every message the bot created in a channel, in order. */
  readonly channelMessages: ChannelMessage[] = [];
  /** Every message dispatched to the bot over the gateway (MESSAGE_CREATE), as the bot received it. */
  readonly dispatchedMessages: Record<string, unknown>[] = [];

  readonly #server: Server;
  readonly #gateway = new WebSocketServer({ noServer: true });
  readonly #events = new EventEmitter();
  readonly #faults: Fault[] = [];
  readonly #interactions = new Map<string, InteractionState>();
  readonly #messages = new Map<string, APIMessage>();
  readonly #commands = new Map<string, APIApplicationCommand>();
  readonly #heartbeatIntervalMs: number;
  readonly #responseWindowMs: number;
  #endpoint: InteractionsEndpoint | undefined;
  #endpointTurn = 0;
  /** Keeps connections to the endpoint open between interactions, as Discord's own HTTP client would. */
  readonly #endpointAgent = new Agent({ keepAlive: true });
  readonly #shardCount: number;
  readonly #maxConcurrency: number;
  /** Each guild's text channel, by guild id. */
  readonly #channelIds = new Map<string, string>();
  /** Each guild's second text channel, by guild id. */
  readonly #otherChannelIds = new Map<string, string>();
  /** The DM channel of each member with the bot, by user id; and the users by id, for mentions. */
  readonly #dmChannels = new Map<string, string>();
  readonly #users = new Map<string, APIUser>();
  #port = 0;
  /** The sessions by shard id. */
  readonly #sessions = new Map<number, Session>();

  private constructor(options: EmulatorOptions) {
    this.token = options.token ?? `${Buffer.from(this.applicationId).toString('base64url')}.emulator.${randomBytes(20).toString('base64url')}`;
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.#responseWindowMs = options.responseWindowMs ?? 3_000;
    this.#shardCount = options.shards ?? 1;
    this.#maxConcurrency = options.maxConcurrency ?? 1;
    this.guildIds = Array.from({ length: this.#shardCount }, (_, shard) => guildIdOnShard(shard, this.#shardCount));
    for (const guildId of this.guildIds) {
      this.#channelIds.set(guildId, snowflake());
      this.#otherChannelIds.set(guildId, snowflake());
    }
    this.guildId = this.guildIds[0]!;
    this.channelId = this.#channelIds.get(this.guildId)!;
    this.otherChannelId = this.#otherChannelIds.get(this.guildId)!;
    this.botUser = { ...makeUser('incident-desk', { bot: true }), id: this.applicationId };
    this.#users.set(this.botUser.id, this.botUser);
    this.#users.set(DEFAULT_MEMBER.id, DEFAULT_MEMBER);
    this.#events.setMaxListeners(0);
    for (const definition of options.commands ?? []) this.#storeCommand(definition, this.guildId);
    this.#server = createServer((request, response) => void this.#handleHttp(request, response));
    this.#server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== GATEWAY_PATH) {
        socket.destroy();
        return;
      }
      this.#gateway.handleUpgrade(request, socket, head, (ws) => this.#onGatewayConnection(ws, url));
    });
  }

  /** Starts an emulator on 127.0.0.1 and a random free port. */
  static async start(options: EmulatorOptions = {}): Promise<DiscordEmulator> {
    const emulator = new DiscordEmulator(options);
    emulator.#server.listen(0, '127.0.0.1');
    await once(emulator.#server, 'listening');
    emulator.#port = (emulator.#server.address() as AddressInfo).port;
    return emulator;
  }

  /** What `DISCORD_API_BASE` should be: the API root without the version, as discord.js `rest.api` expects. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}${GATEWAY_PATH}`;
  }

  /** Whether a bot session is currently connected and identified. */
  get connected(): boolean {
    return this.connectedShards().length > 0;
  }

  /** The shard ids with a connected, identified session. */
  connectedShards(): number[] {
    return [...this.#sessions.values()].filter((session) => session.socket !== undefined).map((session) => session.shard[0]);
  }

  /** The latest state of a message the bot sent or edited. */
  message(id: string): APIMessage | undefined {
    return this.#messages.get(id);
  }

  /** The message `@original` of an interaction currently refers to, once answered. */
  originalMessage(interactionId: string): APIMessage | undefined {
    const originalId = this.#interactions.get(interactionId)?.originalId;
    return originalId === undefined ? undefined : this.#messages.get(originalId);
  }

  /** The commands registered for the guild (or globally with `'global'`), by name. */
  registeredCommands(scope: 'global' | 'guild' = 'guild'): APIApplicationCommand[] {
    return [...this.#commands.values()].filter((command) => (scope === 'guild') === (command.guild_id !== undefined));
  }

  /**
   * HTTP interactions mode, as Discord runs an application with an Interactions Endpoint URL: from now on,
   * interactions are signed and POSTed to the endpoint instead of going over the gateway, and the HTTP response is
   * taken as the interaction's callback. `undefined` goes back to the gateway.
   */
  useInteractionsEndpoint(endpoint: InteractionsEndpoint | undefined): void {
    this.#endpoint = endpoint;
  }

  // ---------------------------------------------------------------- faults

  /**
   * Makes the next `count` matching requests fail with `status` (500 by default). discord.js retries 5xx up to
   * 3 times, so use a count above 3 to make a request fail for the bot.
   */
  failNext(target: FaultTarget, options: { status?: number; count?: number } = {}): void {
    const status = options.status ?? 500;
    this.#faults.push({
      target,
      remaining: options.count ?? 1,
      respond: (response) => sendJson(response, status, { message: `${status}: Internal Server Error`, code: 0 }),
    });
  }

  /**
   * Makes the next `count` matching requests answer 429 with the body and headers Discord sends (`Retry-After`,
   * `X-RateLimit-*`), so discord.js waits `retryAfterSeconds` and retries.
   */
  rateLimitNext(target: FaultTarget, options: { retryAfterSeconds?: number; global?: boolean; count?: number } = {}): void {
    const retryAfter = options.retryAfterSeconds ?? 0.2;
    const global = options.global ?? false;
    this.#faults.push({
      target,
      remaining: options.count ?? 1,
      respond: (response) => {
        const headers: Record<string, string> = {
          'Retry-After': String(retryAfter),
          'X-RateLimit-Limit': '5',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(Date.now() / 1000 + retryAfter),
          'X-RateLimit-Reset-After': String(retryAfter),
          'X-RateLimit-Bucket': 'emulated-bucket',
          'X-RateLimit-Scope': global ? 'global' : 'user',
        };
        if (global) headers['X-RateLimit-Global'] = 'true';
        sendJson(response, 429, { message: 'You are being rate limited.', retry_after: retryAfter, global }, headers);
      },
    });
  }

  /**
   * Drops the gateway connection as a network failure or a Discord restart would. With a close code (4000 by
   * default) discord.js resumes the session; `{ abrupt: true }` cuts the TCP connection without a close frame.
   */
  dropGateway(options: { code?: number; abrupt?: boolean } = {}): void {
    for (const session of this.#sessions.values()) {
      const socket = session.socket;
      if (!socket) continue;
      session.socket = undefined;
      if (options.abrupt) socket.terminate();
      else socket.close(options.code ?? 4000, 'Dropped by the emulator');
    }
  }

  // ---------------------------------------------------------------- waiting

  /** Resolves once the bot has acknowledged the interaction (first accepted callback). */
  waitForCallback(interactionId: string, timeoutMs = 5_000): Promise<RecordedCallback> {
    return this.#waitFor(
      () => this.callbacks.find((callback) => callback.interactionId === interactionId),
      `a callback for interaction ${interactionId}`,
      timeoutMs,
    );
  }

  /**
   * Resolves with the message body the user finally sees as the interaction's response: the callback's message,
   * or, after a deferral, the first edit of `@original`.
   */
  async waitForReply(interactionId: string, timeoutMs = 5_000): Promise<SentMessage> {
    const callback = await this.waitForCallback(interactionId, timeoutMs);
    if (RESPONSE_TYPES_WITH_MESSAGE.has(callback.type)) {
      return this.sentMessages.find((sent) => sent.interactionId === interactionId && sent.route === 'callback')!;
    }
    return this.#waitFor(
      () => this.sentMessages.find((sent) => sent.interactionId === interactionId && sent.route === 'edit-original'),
      `an edit of the original response to ${interactionId}`,
      timeoutMs,
    );
  }

  /** Resolves with the first recorded request matching `predicate` (including ones already recorded). */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = 5_000): Promise<RecordedRequest> {
    return this.#waitFor(() => this.requests.find(predicate), 'a matching request', timeoutMs);
  }

  /** Resolves once every one of `shards` has a connected session (identified or resumed). */
  waitForShards(shards: readonly number[], timeoutMs = 5_000): Promise<true> {
    const connected = (): true | undefined => (shards.every((shard) => this.connectedShards().includes(shard)) ? true : undefined);
    return this.#waitFor(connected, `sessions for shards ${shards.join(', ')}`, timeoutMs);
  }

  /** Resolves once a bot session is identified (READY sent) or resumed. */
  waitForSession(timeoutMs = 5_000): Promise<true> {
    return this.#waitFor(() => (this.connected ? true : undefined), 'a gateway session', timeoutMs);
  }

  #waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = find();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#events.off('change', check);
      };
      this.#events.on('change', check);
    });
  }

  // ---------------------------------------------------------------- interactions

  /** Dispatches a slash command (interaction type 2) with its options, as a guild member would send it. */
  chatInput(name: string, options: Readonly<Record<string, string | number | boolean>> = {}, actor: Actor = {}): DispatchedInteraction {
    return this.#dispatchInteraction(InteractionType.ApplicationCommand, actor, {
      ...this.#commandData(name),
      options: this.#options(name, options),
    });
  }

  /** Dispatches an autocomplete request (type 4) while the user types `focused` into option `focusedName`. */
  autocomplete(
    name: string,
    focusedName: string,
    focused: string,
    options: Readonly<Record<string, string | number | boolean>> = {},
    actor: Actor = {},
  ): DispatchedInteraction {
    const typed = this.#options(name, { ...options, [focusedName]: focused }).map((option) =>
      option.name === focusedName ? { ...option, focused: true } : option,
    );
    return this.#dispatchInteraction(InteractionType.ApplicationCommandAutocomplete, actor, {
      ...this.#commandData(name),
      options: typed,
    });
  }

  /** Dispatches a button click (type 3) on a message the bot sent. */
  clickButton(message: APIMessage, customId: string, actor: Actor = {}): DispatchedInteraction {
    return this.#dispatchInteraction(InteractionType.MessageComponent, actor, {
      custom_id: customId,
      component_type: ComponentType.Button,
    }, message);
  }

  /**
   * Dispatches a message context-menu command (interaction type 2, command type 3) on `target`, as Discord sends
   * it when a member right-clicks a message and picks the app: the message comes resolved in the payload.
   */
  messageCommand(name: string, target: APIMessage, actor: Actor = {}): DispatchedInteraction {
    const command = this.#commands.get(name);
    return this.#dispatchInteraction(InteractionType.ApplicationCommand, actor, {
      id: command?.id ?? snowflake(),
      name,
      type: ApplicationCommandType.Message,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    });
  }

  /** A message a member posted in the emulator's channel, to use a context-menu command on. */
  memberMessage(content: string, options: { author?: APIUser; attachments?: number } = {}): APIMessage {
    const base = messageBase(this.channelId, options.author ?? DEFAULT_MEMBER, content);
    const { id } = base;
    return {
      ...base,
      attachments: Array.from({ length: options.attachments ?? 0 }, (_, index) => ({
        id: snowflake(),
        filename: `photo-${index + 1}.png`,
        size: 1024,
        url: `https://cdn.example.invalid/${id}/${index}.png`,
        proxy_url: `https://media.example.invalid/${id}/${index}.png`,
        content_type: 'image/png',
      })),
      embeds: [],
      pinned: false,
      type: MessageType.Default,
    };
  }

  // ---------------------------------------------------------------- messages

  /**
   * A member posts a message, and Discord dispatches MESSAGE_CREATE to the bot as it would: only with the
   * GuildMessages intent (DirectMessages for a DM), and with its content (and embeds, attachments, components)
   * emptied unless the bot has MessageContent, is mentioned, or it is a DM. `<@id>` in the content mention the
   * users the emulator knows (the bot, members who posted); a reply mentions the replied-to author unless
   * `ping: false`, and carries the replied-to message whole, as `referenced_message`. Returns the message as stored.
   */
  post(content: string, options: PostOptions = {}): APIMessage {
    const author = options.author ?? DEFAULT_MEMBER;
    this.#users.set(author.id, author);
    const guildId = options.dm ? undefined : (options.guildId ?? this.guildId);
    const channelId = guildId === undefined ? this.dmChannelId(author) : (options.channelId ?? this.#channelIds.get(guildId)!);
    const mentioned = new Map<string, APIUser>();
    for (const match of content.matchAll(/<@!?(\d+)>/g)) {
      const user = this.#users.get(match[1] ?? '');
      if (user) mentioned.set(user.id, user);
    }
    const replyTo = options.replyTo && withoutReference(this.#messages.get(options.replyTo.id) ?? options.replyTo);
    if (replyTo && options.ping !== false && replyTo.author.id !== author.id) mentioned.set(replyTo.author.id, replyTo.author);
    const message = this.#storeMessage({
      ...messageBase(channelId, author, content),
      mentions: [...mentioned.values()],
      mention_roles: [...content.matchAll(/<@&(\d+)>/g)].map((match) => match[1] ?? ''),
      attachments: [],
      embeds: [],
      pinned: false,
      type: replyTo ? MessageType.Reply : MessageType.Default,
      ...(replyTo ? { message_reference: { type: 0, message_id: replyTo.id, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}) }, referenced_message: replyTo } : {}),
    });
    this.#dispatchMessage(message, guildId);
    return message;
  }

  /** The DM channel of `user` with the bot (made on first use, as Discord opens one). */
  dmChannelId(user: APIUser): string {
    let id = this.#dmChannels.get(user.id);
    if (id === undefined) {
      id = snowflake();
      this.#dmChannels.set(user.id, id);
    }
    return id;
  }

  /** Resolves with the first message the bot created that replies to `messageId`. */
  waitForReplyTo(messageId: string, timeoutMs = 5_000): Promise<ChannelMessage> {
    return this.#waitFor(
      () => this.channelMessages.find((sent) => sent.message.message_reference?.message_id === messageId),
      `a reply to message ${messageId}`,
      timeoutMs,
    );
  }

  #dispatchMessage(message: APIMessage, guildId: string | undefined): void {
    const session = [...this.#sessions.values()].find((candidate) => (guildId === undefined ? 0 : shardOf(guildId, candidate.shard[1])) === candidate.shard[0]);
    const readable =
      guildId === undefined || message.author.id === this.botUser.id || message.mentions.some((user) => user.id === this.botUser.id) || ((session?.intents ?? 0) & INTENTS.messageContent) !== 0;
    const payload: Record<string, unknown> = {
      ...message,
      ...(readable ? {} : { content: '', embeds: [], attachments: [], components: [] }),
      // As Discord sends it with MESSAGE_CREATE: how discord.js knows a DM channel it never saw.
      channel_type: guildId === undefined ? ChannelType.DM : ChannelType.GuildText,
      ...(guildId === undefined ? {} : { guild_id: guildId, member: { roles: [], joined_at: new Date(Date.now() - 86_400_000).toISOString(), deaf: false, mute: false, flags: 0 } }),
    };
    this.dispatchedMessages.push(payload);
    this.#dispatch(GatewayDispatchEvents.MessageCreate, payload, guildId, guildId === undefined ? INTENTS.directMessages : INTENTS.guildMessages);
  }

  /**
   * Discord sends a bot the messages it posted, to a channel or as an interaction's response, as MESSAGE_CREATE
   * (a bot must not answer itself); after the REST call has been answered, as the event comes separately.
   */
  #echo(message: APIMessage, guildId: string | undefined): void {
    setImmediate(() => this.#dispatchMessage(message, guildId));
  }

  #createChannelMessage(channelId: string, body: unknown): APIMessage {
    const guildId = [...this.#channelIds.entries(), ...this.#otherChannelIds.entries()].find(([, id]) => id === channelId)?.[0];
    if (guildId === undefined && ![...this.#dmChannels.values()].includes(channelId)) throw new HttpProblem(404, { message: 'Unknown Channel', code: 10003 });
    const data = messageBody(body);
    validateMessage(data, []);
    const reference = data['message_reference'] as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
    const stored = reference?.message_id === undefined ? undefined : this.#messages.get(reference.message_id);
    const referenced = stored && withoutReference(stored);
    if (reference && (!referenced || referenced.channel_id !== channelId) && reference.fail_if_not_exists !== false) {
      throw invalidForm(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
    }
    const message = this.#storeMessage({
      ...messageBase(channelId, this.botUser, ''),
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: referenced ? MessageType.Reply : MessageType.Default,
      flags: 0,
      ...toMessageFields(data),
      ...(referenced ? { message_reference: { type: 0, message_id: referenced.id, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}) }, referenced_message: referenced } : {}),
    } as APIMessage);
    this.channelMessages.push({ channelId, body: data, message });
    this.#echo(message, guildId);
    return message;
  }

  /** Dispatches any raw interaction payload; fields missing from `payload` get realistic defaults. */
  dispatchRawInteraction(payload: Record<string, unknown>): DispatchedInteraction {
    const id = typeof payload['id'] === 'string' ? payload['id'] : snowflake();
    const token = typeof payload['token'] === 'string' ? payload['token'] : interactionToken(id);
    const full = { ...this.#interactionBase(id, token, {}), ...payload, id, token };
    this.#interactions.set(id, { payload: full, dispatchedAt: Date.now(), acknowledged: false });
    this.#deliverInteraction(full);
    return { id, token, payload: full };
  }

  #dispatchInteraction(type: InteractionType, actor: Actor, data: Record<string, unknown>, message?: APIMessage): DispatchedInteraction {
    const id = snowflake();
    const token = interactionToken(id);
    const payload: Record<string, unknown> = { ...this.#interactionBase(id, token, actor), type, data };
    if (message) payload['message'] = message;
    this.#interactions.set(id, { payload, dispatchedAt: Date.now(), acknowledged: false });
    this.#deliverInteraction(payload);
    return { id, token, payload };
  }

  /** Over the gateway, or as a signed POST to the interactions endpoint when the application has one. */
  #deliverInteraction(payload: Record<string, unknown>): void {
    if (!this.#endpoint) {
      this.#dispatch(GatewayDispatchEvents.InteractionCreate, payload, String(payload['guild_id']));
      return;
    }
    const { urls, privateKey } = this.#endpoint;
    const url = urls[this.#endpointTurn++ % urls.length]!;
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const id = String(payload['id']);
    const request = httpRequest(url, {
      method: 'POST',
      agent: this.#endpointAgent,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'X-Signature-Ed25519': signInteraction(privateKey, timestamp, body),
        'X-Signature-Timestamp': timestamp,
      },
    });
    const record = (status: number, answer: unknown, problem?: string): void => {
      this.endpointResponses.push({ interactionId: id, url, status, body: answer, problem });
      this.#events.emit('change');
    };
    request.on('response', (response) => {
      void readBody(response).then((text) => {
        const answer: unknown = text === '' ? undefined : JSON.parse(text);
        let problem: string | undefined;
        if (response.statusCode === 200) {
          try {
            this.#acceptCallback(id, String(payload['token']), answer);
          } catch (error) {
            problem = error instanceof HttpProblem ? JSON.stringify(error.body) : String(error);
          }
        }
        record(response.statusCode ?? 0, answer, problem);
      });
    });
    request.on('error', (error) => record(0, undefined, String(error)));
    request.end(body);
  }

  #interactionBase(id: string, token: string, actor: Actor): Record<string, unknown> {
    const user = actor.user ?? DEFAULT_MEMBER;
    const guildId = actor.guildId ?? this.guildId;
    const member: APIGuildMember & { permissions: string; user: APIUser } = {
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles: [...(actor.roles ?? [])],
      joined_at: new Date(Date.now() - 86_400_000).toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
      permissions: String(actor.permissions ?? MEMBER_PERMISSIONS),
    };
    return {
      id,
      application_id: this.applicationId,
      token,
      version: 1,
      guild: { id: guildId, locale: 'en-US', features: [] },
      guild_id: guildId,
      channel: this.#channel(guildId),
      channel_id: this.#channelIds.get(guildId),
      member,
      app_permissions: String(MEMBER_PERMISSIONS | (1n << 13n)),
      locale: actor.locale ?? 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: 0,
      attachment_size_limit: 10_485_760,
    };
  }

  #commandData(name: string): Record<string, unknown> {
    const command = this.#commands.get(name);
    return {
      id: command?.id ?? snowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    };
  }

  /** Option values typed as the registered definition says, or from the JavaScript value when unknown. */
  #options(commandName: string, values: Readonly<Record<string, string | number | boolean>>): APIApplicationCommandInteractionDataBasicOption[] {
    const definitions = this.#commands.get(commandName)?.options ?? [];
    return Object.entries(values).map(([name, value]) => {
      const declared = definitions.find((option) => option.name === name)?.type;
      const type =
        declared ??
        (typeof value === 'boolean'
          ? ApplicationCommandOptionType.Boolean
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? ApplicationCommandOptionType.Integer
              : ApplicationCommandOptionType.Number
            : ApplicationCommandOptionType.String);
      return { name, type, value } as APIApplicationCommandInteractionDataBasicOption;
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /** Closes the gateway and HTTP server and every open connection. */
  async close(): Promise<void> {
    this.#endpointAgent.destroy();
    for (const client of this.#gateway.clients) client.terminate();
    this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- gateway

  #onGatewayConnection(socket: WebSocket, url: URL): void {
    if (url.searchParams.get('v') !== '10') {
      socket.close(4012, 'Invalid API version');
      return;
    }
    if (url.searchParams.get('encoding') !== 'json') {
      socket.close(4002, 'Error while decoding payload');
      return;
    }
    socket.on('message', (raw) => this.#onGatewayMessage(socket, raw));
    socket.on('close', () => {
      for (const session of this.#sessions.values()) if (session.socket === socket) session.socket = undefined;
      this.#events.emit('change');
    });
    socket.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#heartbeatIntervalMs }, s: null, t: null }));
  }

  #onGatewayMessage(socket: WebSocket, raw: RawData): void {
    let payload: { op: number; d: unknown };
    try {
      payload = JSON.parse(textOf(raw)) as { op: number; d: unknown };
    } catch {
      socket.close(4002, 'Error while decoding payload');
      return;
    }
    this.gatewayReceived.push(payload);
    switch (payload.op as GatewayOpcodes) {
      case GatewayOpcodes.Heartbeat:
        socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null }));
        break;
      case GatewayOpcodes.Identify:
        this.#identify(socket, payload.d as { token?: unknown; shard?: unknown; intents?: unknown });
        break;
      case GatewayOpcodes.Resume:
        this.#resume(socket, payload.d as { token?: unknown; session_id?: unknown });
        break;
      default:
        // Presence updates, member requests and the like: accepted and recorded, nothing to answer.
        break;
    }
    this.#events.emit('change');
  }

  #identify(socket: WebSocket, identify: { token?: unknown; shard?: unknown; intents?: unknown }): void {
    if (identify.token !== this.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const [id, count] = Array.isArray(identify.shard) ? (identify.shard as [number, number]) : [0, 1];
    if (!Number.isInteger(id) || !Number.isInteger(count) || id < 0 || count < 1 || id >= count) {
      socket.close(4010, 'Invalid shard.');
      return;
    }
    const previous = this.#sessions.get(id);
    if (previous?.socket && previous.socket !== socket) previous.socket.terminate();
    const intents = typeof identify.intents === 'number' ? identify.intents : 0;
    const session: Session = { socket, sessionId: randomBytes(16).toString('hex'), shard: [id, count], sequence: 0, intents, pending: [] };
    this.#sessions.set(id, session);
    const guilds = this.guildIds.filter((guildId) => shardOf(guildId, count) === id);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.botUser,
      guilds: guilds.map((guildId) => ({ id: guildId, unavailable: true })),
      session_id: session.sessionId,
      resume_gateway_url: this.gatewayUrl,
      shard: [id, count],
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.#send(session, GatewayDispatchEvents.Ready, ready);
    for (const guildId of guilds) this.#send(session, GatewayDispatchEvents.GuildCreate, this.#guild(guildId));
  }

  #resume(socket: WebSocket, resume: { token?: unknown; session_id?: unknown }): void {
    const session = [...this.#sessions.values()].find((candidate) => candidate.sessionId === resume.session_id);
    if (resume.token !== this.token || !session) {
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }));
      return;
    }
    session.socket = socket;
    const missed = session.pending;
    session.pending = [];
    for (const event of missed) this.#send(session, event.t, event.d);
    this.#send(session, GatewayDispatchEvents.Resumed, null);
  }

  /**
   * Sends a dispatch to the session of the shard that holds `guildId`, or keeps it for replay while that session is
   * away. Dropped when no session ever identified for that shard, as Discord has no one to send it to.
   */
  #dispatch(t: string, d: unknown, guildId: string | undefined, intent?: number): void {
    // Discord sends direct messages to shard 0.
    const session = [...this.#sessions.values()].find((candidate) => (guildId === undefined ? 0 : shardOf(guildId, candidate.shard[1])) === candidate.shard[0]);
    if (intent !== undefined && session && (session.intents & intent) === 0) return;
    if (session?.socket) this.#send(session, t, d);
    else session?.pending.push({ t, d });
  }

  #send(session: Session, t: string, d: unknown): void {
    session.sequence += 1;
    session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t, s: session.sequence, d }));
  }

  #channel(guildId: string): APIGuildTextChannel<ChannelType.GuildText> {
    return {
      id: this.#channelIds.get(guildId)!,
      type: ChannelType.GuildText,
      guild_id: guildId,
      name: 'siege-questions',
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
      flags: 0 as ChannelFlags,
    };
  }

  #guild(guildId: string): GatewayGuildCreateDispatchData {
    const role = (id: string, name: string, permissions: bigint, position: number): APIRole => ({
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions: String(permissions),
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    });
    return {
      id: guildId,
      name: 'Bannu Desk',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles: [role(guildId, '@everyone', MEMBER_PERMISSIONS, 0), role(this.moderatorRoleId, 'Moderators', MEMBER_PERMISSIONS, 1)],
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: this.#channelIds.get(guildId)!,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [
        {
          user: this.botUser,
          nick: null,
          avatar: null,
          banner: null,
          roles: [],
          joined_at: new Date().toISOString(),
          premium_since: null,
          deaf: false,
          mute: false,
          flags: 0 as GuildMemberFlags,
          pending: false,
          communication_disabled_until: null,
        },
      ],
      channels: [this.#channel(guildId), { ...this.#channel(guildId), id: this.#otherChannelIds.get(guildId)!, name: 'off-topic', position: 1 }],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---------------------------------------------------------------- REST

  async #handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const rawBody = await readBody(request);
    let body: unknown = rawBody;
    try {
      body = parseBody(request, rawBody);
      const fault = this.#takeFault(method, path);
      if (fault) fault.respond(response);
      else if (!url.pathname.startsWith(API_PREFIX)) throw new HttpProblem(404, { message: '404: Not Found', code: 0 });
      else this.#route(method, path, url.searchParams, request, body, response);
    } catch (problem) {
      if (problem instanceof HttpProblem) sendJson(response, problem.status, problem.body);
      else sendJson(response, 500, { message: String(problem), code: 0 });
    }
    this.requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
      status: response.statusCode,
      at: Date.now(),
    });
    this.#events.emit('change');
  }

  #takeFault(method: string, path: string): Fault | undefined {
    const fault = this.#faults.find((candidate) => candidate.remaining > 0 && matches(candidate.target, method, path));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    return fault;
  }

  #route(method: string, path: string, query: URLSearchParams, request: IncomingMessage, body: unknown, response: ServerResponse): void {
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    // The route's shape, with ids and tokens as `:`, e.g. `POST interactions/:/:/callback`.
    const route = `${method} ${segments.map((segment) => (ROUTE_WORDS.has(segment) ? segment : ':')).join('/')}`;
    const authorized = (): void => {
      if (request.headers.authorization !== `Bot ${this.token}`) throw new HttpProblem(401, { message: '401: Unauthorized', code: 0 });
    };
    switch (route) {
      case 'GET gateway':
        sendJson(response, 200, { url: this.gatewayUrl });
        return;
      case 'GET gateway/bot':
        authorized();
        sendJson(response, 200, {
          url: this.gatewayUrl,
          shards: this.#shardCount,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.#maxConcurrency },
        });
        return;
      case 'GET users/@me':
        authorized();
        sendJson(response, 200, this.botUser);
        return;
      case 'PUT applications/:/commands':
        authorized();
        sendJson(response, 200, this.#registerCommands(segments[1]!, undefined, body));
        return;
      case 'PUT applications/:/guilds/:/commands':
        authorized();
        sendJson(response, 200, this.#registerCommands(segments[1]!, segments[3], body));
        return;
      case 'POST interactions/:/:/callback':
        this.#interactionCallback(segments[1]!, segments[2]!, query, body, response);
        return;
      case 'POST webhooks/:/:':
        sendJson(response, 200, this.#followup(segments[1]!, segments[2]!, body));
        return;
      case 'POST channels/:/messages':
        authorized();
        sendJson(response, 200, this.#createChannelMessage(segments[1]!, body));
        return;
      case 'GET channels/:/messages/:': {
        authorized();
        const message = this.#messages.get(segments[3]!);
        if (!message || message.channel_id !== segments[1]) throw new HttpProblem(404, { message: 'Unknown Message', code: 10008 });
        sendJson(response, 200, message);
        return;
      }
      default:
        break;
    }
    if (segments[0] === 'webhooks' && segments.length === 5 && segments[3] === 'messages') {
      const state = this.#interactionByToken(segments[1]!, segments[2]!);
      const messageId = segments[4] === '@original' ? state.originalId : segments[4];
      const message = messageId === undefined ? undefined : this.#messages.get(messageId);
      if (!message) throw new HttpProblem(404, { message: 'Unknown Message', code: 10008 });
      if (method === 'GET') {
        sendJson(response, 200, message);
        return;
      }
      if (method === 'PATCH') {
        const edit = messageBody(body);
        validateMessage(edit, []);
        this.sentMessages.push({ route: 'edit-original', interactionId: String(state.payload['id']), body: edit });
        sendJson(response, 200, this.#storeMessage({ ...message, ...toMessageFields(edit), flags: (message.flags ?? 0) & ~MessageFlags.Loading, edited_timestamp: new Date().toISOString() }));
        return;
      }
      if (method === 'DELETE') {
        this.#messages.delete(message.id);
        sendEmpty(response);
        return;
      }
    }
    throw new HttpProblem(404, { message: '404: Not Found', code: 0 });
  }

  #registerCommands(applicationId: string, guildId: string | undefined, body: unknown): APIApplicationCommand[] {
    if (applicationId !== this.applicationId) throw new HttpProblem(403, { message: 'Missing Access', code: 50001 });
    if (guildId !== undefined && !this.guildIds.includes(guildId)) throw new HttpProblem(403, { message: 'Missing Access', code: 50001 });
    if (!Array.isArray(body)) throw invalidForm([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    const definitions = body as RESTPostAPIApplicationCommandsJSONBody[];
    definitions.forEach((definition, index) => validateCommand(definition, [index]));
    this.registrations.push({ scope: guildId === undefined ? 'global' : 'guild', guildId, body: definitions });
    // A PUT replaces the whole set for that scope, as Discord's bulk overwrite does.
    for (const [name, command] of this.#commands) if (command.guild_id === guildId) this.#commands.delete(name);
    return definitions.map((definition) => this.#storeCommand(definition, guildId));
  }

  #storeCommand(definition: RESTPostAPIApplicationCommandsJSONBody, guildId: string | undefined): APIApplicationCommand {
    const command = {
      type: ApplicationCommandType.ChatInput,
      default_member_permissions: null,
      nsfw: false,
      ...definition,
      id: snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      ...(guildId === undefined ? {} : { guild_id: guildId }),
    } as APIApplicationCommand;
    this.#commands.set(command.name, command);
    return command;
  }

  #interactionCallback(id: string, token: string, query: URLSearchParams, body: unknown, response: ServerResponse): void {
    const { state, type, message } = this.#acceptCallback(id, token, body);
    if (query.get('with_response') === 'true') {
      sendJson(response, 200, {
        interaction: {
          id,
          type: state.payload['type'],
          activity_instance_id: null,
          response_message_id: message?.id ?? null,
          response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource,
          response_message_ephemeral: Boolean((message?.flags ?? 0) & MessageFlags.Ephemeral),
        },
        ...(message ? { resource: { type, message } } : {}),
      });
    } else {
      sendEmpty(response);
    }
  }

  /** Checks and records an interaction response as Discord does, whichever way it came (REST callback or HTTP response). */
  #acceptCallback(id: string, token: string, body: unknown): { state: InteractionState; type: InteractionResponseType; message: APIMessage | undefined } {
    const state = this.#interactions.get(id);
    if (!state || state.payload['token'] !== token) throw new HttpProblem(404, { message: 'Unknown interaction', code: 10062 });
    if (state.acknowledged) throw new HttpProblem(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    const latencyMs = Date.now() - state.dispatchedAt;
    // Discord forgets an interaction that was not answered in time; the bot then sees "Unknown interaction".
    if (latencyMs > this.#responseWindowMs) throw new HttpProblem(404, { message: 'Unknown interaction', code: 10062 });
    const callback = (body ?? {}) as { type?: unknown; data?: unknown };
    const type = callback.type as InteractionResponseType;
    const data = isRecord(callback.data) ? callback.data : undefined;
    const component = state.payload['message'] as APIMessage | undefined;
    let message: APIMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        validateMessage(data ?? {}, ['data']);
        message = this.#storeMessage(this.#newMessage(state, data ?? {}));
        if (((message.flags ?? 0) & MessageFlags.Ephemeral) === 0 && typeof state.payload['guild_id'] === 'string') this.#echo(message, state.payload['guild_id']);
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        message = this.#storeMessage(this.#newMessage(state, { flags: (Number(data?.['flags'] ?? 0) | MessageFlags.Loading) }));
        break;
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage:
        if (!component) throw invalidForm(['type'], 'INTERACTION_TYPE_INVALID', 'This response type is only valid for components.');
        if (type === InteractionResponseType.UpdateMessage) validateMessage(data ?? {}, ['data']);
        message = this.#storeMessage({
          ...(this.#messages.get(component.id) ?? component),
          ...toMessageFields(data ?? {}),
          ...(type === InteractionResponseType.UpdateMessage ? { edited_timestamp: new Date().toISOString() } : {}),
        });
        break;
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        if (state.payload['type'] !== InteractionType.ApplicationCommandAutocomplete) {
          throw invalidForm(['type'], 'INTERACTION_TYPE_INVALID', 'Autocomplete results are only valid for autocomplete.');
        }
        validateChoices(data?.['choices']);
        break;
      case InteractionResponseType.Modal:
        break;
      default:
        throw invalidForm(['type'], 'BASE_TYPE_CHOICES', `Value must be one of ${Object.values(InteractionResponseType).filter(Number.isInteger).join(', ')}.`);
    }
    state.acknowledged = true;
    if (message) state.originalId = message.id;
    if (data && RESPONSE_TYPES_WITH_MESSAGE.has(type)) this.sentMessages.push({ route: 'callback', interactionId: id, body: data });
    this.callbacks.push({ interactionId: id, token, type, data, latencyMs });
    return { state, type, message };
  }

  #followup(applicationId: string, token: string, body: unknown): APIMessage {
    const state = this.#interactionByToken(applicationId, token);
    if (!state.acknowledged) throw new HttpProblem(404, { message: 'Unknown Webhook', code: 10015 });
    const data = messageBody(body);
    validateMessage(data, []);
    this.sentMessages.push({ route: 'followup', interactionId: String(state.payload['id']), body: data });
    return this.#storeMessage(this.#newMessage(state, data));
  }

  #interactionByToken(applicationId: string, token: string): InteractionState {
    const state = [...this.#interactions.values()].find((candidate) => candidate.payload['token'] === token);
    if (applicationId !== this.applicationId || !state) throw new HttpProblem(404, { message: 'Unknown Webhook', code: 10015 });
    return state;
  }

  #newMessage(state: InteractionState, data: Record<string, unknown>): APIMessage {
    const payload = state.payload;
    const user = ((payload['member'] as { user?: APIUser } | undefined)?.user ?? payload['user']) as APIUser;
    return {
      ...messageBase(String(payload['channel_id']), this.botUser, ''),
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: payload['type'] === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      flags: 0,
      application_id: this.applicationId,
      webhook_id: this.applicationId,
      interaction_metadata: {
        id: String(payload['id']),
        type: payload['type'] as InteractionType.ApplicationCommand,
        user,
        authorizing_integration_owners: { '0': String(payload['guild_id']) },
      },
      ...toMessageFields(data),
    } as APIMessage;
  }

  #storeMessage(message: APIMessage): APIMessage {
    this.#messages.set(message.id, message);
    return message;
  }
}

/** A message as Discord nests it in a reply: one level deep, without the message it replied to in turn. */
function withoutReference(message: APIMessage): APIMessage {
  const shallow = { ...message };
  delete shallow.referenced_message;
  return shallow;
}

/** The member every test uses unless it says otherwise. */
const DEFAULT_MEMBER = makeUser('reader');

function interactionToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(60).toString('base64url')}`).toString('base64url');
}

function matches(target: FaultTarget, method: string, path: string): boolean {
  if (target === 'any') return true;
  if (target === 'callback') return method === 'POST' && /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path);
  if (target === 'webhook') return path.startsWith('/webhooks/');
  return target({ method, path });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(request: IncomingMessage, raw: string): unknown {
  if (raw.length === 0) return undefined;
  if (!request.headers['content-type']?.startsWith('application/json')) {
    throw new HttpProblem(415, { message: 'The emulator only understands JSON bodies', code: 0 });
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new HttpProblem(400, { message: 'The request body contains invalid JSON.', code: 50109 });
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Discord's 204s carry no body and no JSON content type: discord.js would fail parsing an empty JSON body. */
function sendEmpty(response: ServerResponse): void {
  response.writeHead(204);
  response.end();
}

function messageBody(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw invalidForm([], 'BASE_TYPE_REQUIRED', 'Cannot send an empty message');
  return body;
}

/** A gateway frame's text, whichever form `ws` delivers it in. */
function textOf(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw).toString('utf8');
}

/** The fields of a message body that become fields of the stored message. */
function toMessageFields(data: Record<string, unknown>): Partial<APIMessage> {
  const fields: Record<string, unknown> = {};
  for (const key of ['content', 'embeds', 'components', 'flags'] as const) if (key in data) fields[key] = data[key];
  return fields;
}

// ---------------------------------------------------------------- Discord's validation

function invalidForm(path: readonly (string | number)[], code: string, message: string): HttpProblem {
  let errors: Record<string, unknown> = { _errors: [{ code, message }] };
  for (const key of [...path].reverse()) errors = { [String(key)]: errors };
  return new HttpProblem(400, { message: 'Invalid Form Body', code: 50035, errors });
}

function maxLength(value: unknown, max: number, path: readonly (string | number)[]): number {
  const length = typeof value === 'string' ? value.length : 0;
  if (length > max) throw invalidForm(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  return length;
}

/** Discord's message limits: content 2000; per embed title 256, description 4096, 25 fields…; 6000 in all embeds. */
function validateMessage(data: Record<string, unknown>, at: readonly (string | number)[]): void {
  maxLength(data['content'], 2000, [...at, 'content']);
  const embeds = Array.isArray(data['embeds']) ? (data['embeds'] as Record<string, unknown>[]) : [];
  if (embeds.length > 10) throw invalidForm([...at, 'embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((embed, index) => {
    const path = [...at, 'embeds', index];
    total += maxLength(embed['title'], 256, [...path, 'title']);
    total += maxLength(embed['description'], 4096, [...path, 'description']);
    const footer = embed['footer'] as { text?: unknown } | undefined;
    total += maxLength(footer?.text, 2048, [...path, 'footer', 'text']);
    const author = embed['author'] as { name?: unknown } | undefined;
    total += maxLength(author?.name, 256, [...path, 'author', 'name']);
    const fields = Array.isArray(embed['fields']) ? (embed['fields'] as { name?: unknown; value?: unknown }[]) : [];
    if (fields.length > 25) throw invalidForm([...path, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((field, fieldIndex) => {
      if (typeof field.name !== 'string' || field.name.length === 0 || typeof field.value !== 'string' || field.value.length === 0) {
        throw invalidForm([...path, 'fields', fieldIndex], 'BASE_TYPE_REQUIRED', 'This field is required');
      }
      total += maxLength(field.name, 256, [...path, 'fields', fieldIndex, 'name']);
      total += maxLength(field.value, 1024, [...path, 'fields', fieldIndex, 'value']);
    });
  });
  if (total > 6000) throw invalidForm([...at, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  const rows = Array.isArray(data['components']) ? (data['components'] as { components?: unknown }[]) : [];
  if (rows.length > 5) throw invalidForm([...at, 'components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  rows.forEach((row, rowIndex) => {
    const buttons = Array.isArray(row.components) ? (row.components as Record<string, unknown>[]) : [];
    if (buttons.length > 5) throw invalidForm([...at, 'components', rowIndex, 'components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
    buttons.forEach((button, index) => {
      const path = [...at, 'components', rowIndex, 'components', index];
      maxLength(button['label'], 80, [...path, 'label']);
      maxLength(button['custom_id'], 100, [...path, 'custom_id']);
    });
  });
}

function validateChoices(choices: unknown): void {
  if (!Array.isArray(choices)) throw invalidForm(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
  if (choices.length > 25) throw invalidForm(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  (choices as { name?: unknown; value?: unknown }[]).forEach((choice, index) => {
    if (typeof choice.name !== 'string' || choice.name.length === 0) {
      throw invalidForm(['data', 'choices', index, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    maxLength(choice.name, 100, ['data', 'choices', index, 'name']);
    maxLength(choice.value, 100, ['data', 'choices', index, 'value']);
  });
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Context-menu command names: 1 to 32 characters, spaces and capitals allowed. */
const CONTEXT_MENU_NAME = /^[^\p{Cc}]{1,32}$/u;

/** The checks Discord applies to a command definition before registering it. */
function validateCommand(definition: RESTPostAPIApplicationCommandsJSONBody, path: readonly (string | number)[]): void {
  const name = (definition as { name?: unknown }).name;
  const type = (definition as { type?: unknown }).type;
  if (type === ApplicationCommandType.Message || type === ApplicationCommandType.User) {
    // Context-menu commands have no description and no options.
    if (typeof name !== 'string' || !CONTEXT_MENU_NAME.test(name) || name.trim() !== name) {
      throw invalidForm([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    if ((definition as { description?: unknown }).description || (definition as { options?: unknown }).options) {
      throw invalidForm([...path, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have description or options');
    }
    return;
  }
  if (typeof name !== 'string' || !COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
    throw invalidForm([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  const description = (definition as { description?: unknown }).description;
  if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
    throw invalidForm([...path, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  const options = ((definition as { options?: unknown }).options ?? []) as { name?: unknown; description?: unknown; required?: unknown }[];
  if (options.length > 25) throw invalidForm([...path, 'options'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let optionalSeen = false;
  options.forEach((option, index) => {
    if (typeof option.name !== 'string' || !COMMAND_NAME.test(option.name) || option.name !== option.name.toLowerCase()) {
      throw invalidForm([...path, 'options', index, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    if (typeof option.description !== 'string' || option.description.length < 1 || option.description.length > 100) {
      throw invalidForm([...path, 'options', index, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (option.required === true && optionalSeen) {
      throw invalidForm([...path, 'options'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) optionalSeen = true;
  });
}

/** The fields every message the emulator makes shares: a new id, now, no mentions. */
function messageBase(channelId: string, author: APIUser, content: string): Pick<APIMessage, 'id' | 'channel_id' | 'author' | 'content' | 'timestamp' | 'edited_timestamp' | 'tts' | 'mention_everyone' | 'mentions' | 'mention_roles'> {
  return {
    id: snowflake(),
    channel_id: channelId,
    author,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
  };
}
