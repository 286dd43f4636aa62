/**
 * HTTP interactions mode: Discord POSTs each interaction to `/interactions` instead of sending it over a gateway
 * connection, and takes the HTTP response as the interaction's first answer. No state lives between requests
 * beyond the corpus, so replicas behind any load balancer scale out.
 *
 * The gateway and this server are two adapters over one command layer: a signed payload becomes the same
 * discord.js interaction object the gateway would give, handled by the same router. discord.js then "replies"
 * by POSTing the interaction callback; that one REST call is answered here and its body becomes the HTTP response
 * (type 4 message, 5 deferral, 7 update, 8 autocomplete choices). Everything after it (editing a deferred reply
 * through `PATCH /webhooks/{app}/{token}/messages/@original`, follow-ups) goes through discord.js's REST to
 * Discord, or to `DISCORD_API_BASE`.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultRestOptions, Events, InteractionResponseType, InteractionType, type ResponseLike } from 'discord.js';
import { routerFor, type ServeSettings } from '../discord/bot.js';
import { createClient } from '../discord/client.js';
import { oneLine, type Logger } from '../discord/log.js';
import type { Library } from '../library/library.js';
import { signatureCheck } from './signature.js';

export interface InteractionsServerOptions {
  /** `HTTP_PORT`; 0 picks a free port. */
  readonly port: number;
  /** `HTTP_HOST`: loopback by default, for a TLS proxy on the same host; `0.0.0.0` behind a load balancer. */
  readonly host: string;
  /** Larger bodies get 413 before their signature is checked. Discord's interaction payloads are a few KB. */
  readonly maxBodyBytes: number;
  /** A request signed longer ago than this (or this far in the future) gets 401: a captured request cannot be replayed later. */
  readonly timestampToleranceSeconds: number;
  /** How long the HTTP response waits for the command's first answer; Discord gives up after 3 s. */
  readonly answerTimeoutMs: number;
}

/** Defaults for {@link startInteractionsServer}. */
export const DEFAULT_INTERACTIONS_SERVER_OPTIONS: InteractionsServerOptions = {
  port: 8080,
  host: '127.0.0.1',
  maxBodyBytes: 256 * 1024,
  timestampToleranceSeconds: 300,
  answerTimeoutMs: 3_000,
};

/** `apiBase` is where the webhook calls after a deferral go. */
export interface InteractionsServerSettings extends ServeSettings {
  /** `DISCORD_PUBLIC_KEY`: the application's Ed25519 public key, 64 hex digits. */
  readonly publicKey: string;
  readonly options?: Partial<InteractionsServerOptions> | undefined;
}

/** A listening interactions endpoint. */
export interface RunningInteractionsServer {
  /** The port it listens on (the real one when asked for 0). */
  readonly port: number;
  /** Stops accepting requests, closes open connections, and releases the client. */
  stop(): Promise<void>;
}

/** The path of the interaction callback discord.js POSTs when it answers an interaction. */
const CALLBACK_PATH = /\/interactions\/(\d+)\/[^/]+\/callback$/;

/** Starts serving `POST /interactions`. Resolves once listening. */
export async function startInteractionsServer(
  settings: InteractionsServerSettings,
  library: Library,
  logger: Logger,
): Promise<RunningInteractionsServer> {
  const options = { ...DEFAULT_INTERACTIONS_SERVER_OPTIONS, ...settings.options };
  const verify = signatureCheck(settings.publicKey);
  /** Interactions waiting for their first answer, by id: resolved with the callback body discord.js built. */
  const waiting = new Map<string, (body: string) => void>();

  const makeRequest = (url: string, init: Parameters<typeof DefaultRestOptions.makeRequest>[1]): Promise<ResponseLike> => {
    const id = CALLBACK_PATH.exec(new URL(url).pathname)?.[1];
    if (id === undefined) return DefaultRestOptions.makeRequest(url, init);
    const answer = waiting.get(id);
    // Too late: the HTTP response has gone (timed out). Discord would say the same to a late callback.
    if (!answer) return Promise.resolve(Response.json({ message: 'Unknown interaction', code: 10062 }, { status: 404 }));
    // A body with files is multipart, which an HTTP response to Discord cannot carry; the bot sends none.
    if (typeof init.body !== 'string') return Promise.resolve(Response.json({ message: 'http: only JSON answers fit in the response' }, { status: 400 }));
    waiting.delete(id);
    answer(init.body);
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  const client = createClient({ apiBase: settings.apiBase, makeRequest, cacheUsers: false });
  const route = routerFor(settings, library, logger);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error(`http: request failed: ${oneLine(error)}`, error);
      if (!response.headersSent) reply(response, 500, { message: 'http: internal error' });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/interactions') return reply(response, 404, { message: 'http: not found: Discord posts to /interactions' });
    if (request.method !== 'POST') return reply(response, 405, { message: 'http: only POST' }, { Allow: 'POST' });
    const body = await readBody(request, options.maxBodyBytes);
    if (!body) return refuse(response, 413, `body over ${options.maxBodyBytes} bytes`);
    const signature = request.headers['x-signature-ed25519'];
    const timestamp = request.headers['x-signature-timestamp'];
    if (typeof signature !== 'string' || typeof timestamp !== 'string') return refuse(response, 401, 'missing signature headers');
    if (!verify(body, signature, timestamp)) return refuse(response, 401, 'bad signature');
    // Checked after the signature, which covers the timestamp: only then is it Discord's.
    if (!(Math.abs(Date.now() / 1000 - Number(timestamp)) <= options.timestampToleranceSeconds)) {
      return refuse(response, 401, `timestamp more than ${options.timestampToleranceSeconds} s from now`);
    }
    let payload: { id?: unknown; type?: unknown };
    try {
      payload = JSON.parse(body.toString('utf8')) as typeof payload;
    } catch {
      return refuse(response, 400, 'body is not JSON');
    }
    if (payload.type === InteractionType.Ping) return reply(response, 200, { type: InteractionResponseType.Pong });
    if (typeof payload.id !== 'string') return refuse(response, 400, 'no interaction id');
    const answer = await answerOf(payload.id, payload);
    if (answer === undefined) {
      logger.error(`http: interaction type ${String(payload.type)} got no answer within ${options.answerTimeoutMs} ms`);
      return reply(response, 500, { message: 'http: no answer in time' });
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(answer);
  }

  /** Hands the payload to discord.js as the gateway would, and waits for the router's first answer. */
  async function answerOf(id: string, payload: unknown): Promise<string | undefined> {
    const answered = new Promise<string>((resolve) => waiting.set(id, resolve));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), options.answerTimeoutMs);
    });
    // discord.js's own choice of interaction class for a raw payload, as its gateway handler makes it.
    (client as unknown as InteractionActions).actions.InteractionCreate.handle(payload);
    const answer = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    waiting.delete(id);
    return answer;
  }

  function refuse(response: ServerResponse, status: number, why: string): void {
    logger.info(`http: refused a request (${status}): ${why}`);
    reply(response, status, { message: `http: ${why}` });
  }

  server.listen(options.port, options.host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await client.destroy();
    },
  };
}

/** discord.js's handler that turns a raw interaction into its class and emits `interactionCreate`. */
interface InteractionActions {
  readonly actions: { readonly InteractionCreate: { handle(data: unknown): void } };
}

/** The whole body, or undefined as soon as it is longer than `max` (the rest is not read). */
function readBody(request: IncomingMessage, max: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= max) chunks.push(chunk);
      else {
        request.removeAllListeners('data');
        resolve(undefined);
      }
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // A refused request may still be sending: close the connection rather than read what is left of it.
  response.writeHead(status, { 'Content-Type': 'application/json', ...(status >= 400 ? { Connection: 'close' } : {}), ...headers });
  response.end(JSON.stringify(body));
}
