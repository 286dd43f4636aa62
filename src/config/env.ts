import * as z from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');

/** A bot token is three base64url parts joined by dots; its value is never echoed in an error. */
const token = z
  .string()
  .regex(/^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/, 'does not look like a bot token (copy it again from the Developer Portal, Bot page)');

const emptyAsUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** Every environment variable incident-desk reads (see `.env.example`). */
export const envSchema = z.object({
  CORPUS_DIR: z.preprocess(emptyAsUndefined, z.string().default('./corpus')),
  MAX_CORPUS_FILE_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().positive().max(1024 * 1024 * 1024).default(5 * 1024 * 1024),
  ),
  DISCORD_TOKEN: z.preprocess(emptyAsUndefined, token.optional()),
  DISCORD_APPLICATION_ID: z.preprocess(emptyAsUndefined, snowflake.optional()),
  DISCORD_GUILD_ID: z.preprocess(emptyAsUndefined, snowflake.optional()),
  DISCORD_API_BASE: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:5555/api' }).optional(),
  ),
  MODERATOR_ROLE_IDS: z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((id) => id.trim()).filter(Boolean) : value),
    z.array(snowflake).default([]),
  ),
  ASK_COOLDOWN_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(3600).default(10)),
  CACHE_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.cache')),
  EMBEDDINGS: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  ),
  // Running at scale (docs/scaling.md).
  SHARD_COUNT: z.preprocess(
    emptyAsUndefined,
    z.union([z.literal('auto'), z.coerce.number().int().min(1).max(10_000)], { error: 'must be "auto" or a whole number from 1' }).optional(),
  ),
  SHARD_IDS: z.preprocess(
    (value) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.split(',').map((id) => id.trim())) : value),
    z.array(z.coerce.number().int().min(0, 'must be shard numbers from 0, comma-separated')).min(1).optional(),
  ),
  HTTP_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65_535).optional()),
  HTTP_HOST: z.preprocess(emptyAsUndefined, z.string().optional()),
  // The application's Ed25519 public key, as the Developer Portal shows it: 64 hex digits. Never logged.
  DISCORD_PUBLIC_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of the Public Key (Developer Portal, General Information)').optional(),
  ),
  RELOAD_SYNC_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  // The PostgreSQL database every process shares instead of the SQLite file (docs/scaling.md). Never logged: it may hold a password.
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a PostgreSQL URL such as postgres://user:password@db.example.com:5432/incident_desk' }).optional(),
  ),
  RECORD_QUESTIONS: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('true')
      .transform((value) => value === 'true'),
  ),
  QUESTION_RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3650).default(90)),
  // Answers to mentions and replies in servers that chose nothing with /conversation (docs/conversation.md).
  CONVERSATION_ANSWERS: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  ),
});

export type Config = z.infer<typeof envSchema>;

/** Raised when environment variables are invalid; lists every bad variable, never their values. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates the environment; `.env` is loaded by the entry points (dotenv) before this runs. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`config: invalid environment (see .env.example):\n${lines.join('\n')}`);
}
