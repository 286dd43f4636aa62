import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands, messageCommands } from '../../commands/index.js';
import { DEFAULT_LIBRARY_OPTIONS, Library } from '../../src/library/library.js';
import type { SemanticSearch } from '../../src/semantic/semantic-search.js';
import { startBot, type RunningBot } from '../../src/discord/bot.js';
import type { Logger } from '../../src/discord/log.js';
import type { QuestionLog } from '../../src/store/question-log.js';
import type { ServerSettings } from '../../src/store/server-settings.js';
import { DiscordEmulator } from './discord-emulator.js';

/** The repository's own corpus folder. */
export const REPO_CORPUS = fileURLToPath(new URL('../../corpus', import.meta.url));

/** A copy of the real corpus in a temporary folder, so tests can add, break or reload files freely. */
export async function copyCorpus(): Promise<{ dir: string; write(file: string, content: string): Promise<void>; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'incident-desk-corpus-'));
  await cp(REPO_CORPUS, dir, { recursive: true });
  return {
    dir,
    write: (file, content) => writeFile(path.join(dir, file), content),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Log lines the bot wrote, for assertions. */
export interface CapturedLog extends Logger {
  readonly lines: string[];
  readonly errors: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    info: (line) => lines.push(line),
    error: (line) => errors.push(line),
  };
}

/** A bot logged in to a fresh emulator, serving `corpusDir`. */
export interface Harness {
  readonly emulator: DiscordEmulator;
  readonly bot: RunningBot;
  readonly library: Library;
  readonly log: CapturedLog;
  close(): Promise<void>;
}

export async function startHarness(options: {
  corpusDir: string;
  askCooldownSeconds?: number;
  moderatorRoleIds?: (emulator: DiscordEmulator) => string[];
  /** Where the bot records questions and votes; without it, nothing is recorded and no feedback buttons show. */
  questions?: QuestionLog;
  /** Each server's settings (where it answers in the conversation); without them, everywhere. */
  settings?: ServerSettings;
  /** The sentence model; without it, the bot answers from the words alone. */
  semantic?: SemanticSearch;
}): Promise<Harness> {
  // The emulator knows the definitions up front, as Discord would after deploy-commands.
  const emulator = await DiscordEmulator.start({ commands: [...commands, ...messageCommands].map((command) => command.definition) });
  const library = await Library.load(options.corpusDir, { ...DEFAULT_LIBRARY_OPTIONS, semantic: options.semantic });
  await library.current.engine.vectorsSettled;
  const log = captureLog();
  const bot = await startBot(
    {
      token: emulator.token,
      apiBase: emulator.apiBase,
      moderatorRoleIds: options.moderatorRoleIds?.(emulator) ?? [],
      askCooldownSeconds: options.askCooldownSeconds ?? 0,
      commands,
      messageCommands,
      questions: options.questions,
      settings: options.settings,
    },
    library,
    log,
  );
  return {
    emulator,
    bot,
    library,
    log,
    close: async () => {
      await bot.stop();
      await emulator.close();
    },
  };
}
