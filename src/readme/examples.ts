/**
 * The README's examples, read from the README and made again by the real programs, so the README shows what the
 * bot does (`npm run readme-examples`, and `tests/readme/examples.test.ts`).
 *
 * An example is a fenced block after a marker line:
 *
 * - `<!-- example: console -->`: a console session; each `ask> ` line is typed into `npm run console`, and the
 *   lines after it are what the console printed.
 * - `<!-- example: json -->`: a `sh` block holding one command, run as it stands, then a `json` block with what it
 *   wrote; in a line with several quotes, those after the first are shown as `…`.
 * - `<!-- example: discord, /ask question: <text> -->`: the embed the bot sends for that `/ask`, as text: its
 *   title, the first quote (`…` for the others), its footer, and a line of buttons per row.
 *
 * A sentence of the form `"<question>" finds "<words>"` is a claim: the first quote of the question's answer holds
 * the words (`…` between parts that come in that order).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findCommand } from '../../commands/index.js';
import { runCommand } from '../commands/run-command.js';
import { parseConfig } from '../config/env.js';
import { renderReply } from '../discord/render.js';
import { libraryOptionsFromConfig } from '../library/from-config.js';
import { Library } from '../library/library.js';
import { QuestionLog } from '../store/question-log.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const README = path.join(ROOT, 'README.md');

/** A fenced block the programs make again: where its text sits in the README, and what it is an example of. */
export type ReadmeExample = (
  | { readonly kind: 'console'; readonly lines: readonly string[] }
  | { readonly kind: 'json'; readonly command: string }
  | { readonly kind: 'discord'; readonly question: string }
) & {
  /** Offsets in the README of the block's text (after the opening fence's line, up to the closing fence). */
  readonly start: number;
  readonly end: number;
  readonly shown: string;
};

/** `"<question>" finds "<words>"`, and the line it is on. */
export interface ReadmeClaim {
  readonly question: string;
  readonly finds: string;
  readonly line: number;
}

const MARKER = /^<!-- example: (console|json|discord)(?:, (.+?))? -->\n/gm;
const FENCE = /```[a-z]*\n([\s\S]*?)```/y;
/** The README is wrapped: a claim's quoted parts may run over a line end. */
const CLAIM = /"([^"]+\?)" finds "([^"]+)"/g;
const PROMPT = 'ask> ';
/** Stands for the quotes after the first, or text left out. */
export const ELLIPSIS = '…';

/** The examples and claims of a README, in order; throws on a marker not followed by its blocks. */
export function parseReadme(text: string): { examples: ReadmeExample[]; claims: ReadmeClaim[] } {
  const examples: ReadmeExample[] = [];
  for (const marker of text.matchAll(MARKER)) {
    const kind = marker[1] as ReadmeExample['kind'];
    const line = lineOf(text, marker.index);
    let at = marker.index + marker[0].length;
    const block = (): { start: number; end: number; content: string } => {
      FENCE.lastIndex = at;
      const fence = FENCE.exec(text);
      if (!fence) throw new Error(`README.md line ${line}: the ${kind} example marker is not followed by a fenced block`);
      const start = at + fence[0].indexOf('\n') + 1;
      at = FENCE.lastIndex + (text[FENCE.lastIndex] === '\n' ? 1 : 0);
      return { start, end: start + fence[1]!.length, content: fence[1]! };
    };
    if (kind === 'console') {
      const { start, end, content } = block();
      const lines = content.split('\n').filter((l) => l.startsWith(PROMPT)).map((l) => l.slice(PROMPT.length));
      examples.push({ kind, lines, start, end, shown: content });
    } else if (kind === 'json') {
      const command = block().content.trim();
      const { start, end, content } = block();
      examples.push({ kind, command, start, end, shown: content });
    } else {
      const question = /^\/ask question: (.+)$/.exec(marker[2] ?? '')?.[1];
      if (!question) throw new Error(`README.md line ${line}: a discord example names its /ask: <!-- example: discord, /ask question: … -->`);
      const { start, end, content } = block();
      examples.push({ kind, question, start, end, shown: content });
    }
  }
  const flat = (quoted: string): string => quoted.replace(/\s+/g, ' ');
  const claims = [...text.matchAll(CLAIM)].map((match) => ({ question: flat(match[1]!), finds: flat(match[2]!), line: lineOf(text, match.index) }));
  return { examples, claims };
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** What the programs show for each example now, in the README's format, in order. */
export async function makeExamples(examples: readonly ReadmeExample[]): Promise<string[]> {
  return withScratch(async (scratch) => {
    const env = exampleEnv(scratch);
    const consoleLines = examples.flatMap((example) => (example.kind === 'console' ? example.lines : []));
    const consoleReplies = await consoleSession(consoleLines, env);
    const discord = await discordEmbeds(
      examples.flatMap((example) => (example.kind === 'discord' ? [example.question] : [])),
      scratch,
    );
    const made: string[] = [];
    for (const example of examples) {
      if (example.kind === 'console') {
        made.push(example.lines.map((line) => `${PROMPT}${line}\n${consoleReplies.shift()!}\n`).join('\n'));
      } else if (example.kind === 'json') {
        const { stdout } = await run('sh', ['-c', example.command], env, '');
        made.push(stdout.split('\n').filter(Boolean).map(elideJsonLine).map((line) => `${line}\n`).join(''));
      } else made.push(discord.shift()!);
    }
    return made;
  });
}

/** The first quote of each claim's question, from the console's `--json`: undefined where it abstained. */
export async function firstQuotes(claims: readonly ReadmeClaim[]): Promise<(string | undefined)[]> {
  if (claims.length === 0) return [];
  return withScratch(async (scratch) => {
    const input = claims.map((claim) => `${claim.question}\n`).join('');
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'scripts', 'run.mjs'), 'src/console/main.ts', '--json'], exampleEnv(scratch), input);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const parsed = JSON.parse(line) as { answered: boolean; quotes: { text: string }[] };
        return parsed.answered ? parsed.quotes[0]?.text : undefined;
      });
  });
}

/** Whether a quote holds the words a claim says it finds. */
export function holdsClaim(quote: string | undefined, finds: string): boolean {
  if (quote === undefined) return false;
  let at = 0;
  for (const part of finds.split(ELLIPSIS).map((piece) => piece.trim())) {
    const found = quote.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return true;
}

/** The README with each example's block replaced by `made`. */
export function withExamples(text: string, examples: readonly ReadmeExample[], made: readonly string[]): string {
  let out = '';
  let at = 0;
  examples.forEach((example, i) => {
    out += text.slice(at, example.start) + made[i]!;
    at = example.end;
  });
  return out + text.slice(at);
}

/**
 * The environment of a newcomer's first run: the defaults (sentence model on, the bundled corpus), no `.env`, and
 * the cache and data folders in `scratch`, so nothing is left in the repository.
 */
function exampleEnv(scratch: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    TMPDIR: os.tmpdir(),
    DOTENV_CONFIG_PATH: path.join(scratch, 'no.env'),
    CACHE_DIR: path.join(scratch, 'cache'),
    DATA_DIR: path.join(scratch, 'data'),
  };
}

async function withScratch<T>(work: (scratch: string) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'incident-desk-readme-'));
  try {
    return await work(scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Runs a program to its end with `input` on its standard input; throws with its output when it fails. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`readme: ${command} ${args.join(' ')} exited with ${code}\n${stderr}`));
    });
    child.stdin.end(input);
  });
}

/**
 * Types `lines` into one console, as a person would, and returns its reply to each. After each line comes one the
 * console answers "There is no /… command": what it printed before that is the reply.
 */
async function consoleSession(lines: readonly string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  if (lines.length === 0) return [];
  const separator = 'readme-example-separator';
  const input = [`/${separator}`, ...lines.flatMap((line) => [line, `/${separator}`])].map((line) => `${line}\n`).join('');
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'scripts', 'run.mjs'), 'src/console/main.ts'], env, input);
  const parts = stdout.split(new RegExp(`There is no /${separator} command\\.[^\\n]*\\n`));
  // Before the first separator: the banner. After the last: nothing.
  return parts.slice(1, 1 + lines.length).map((reply) => reply.replace(/\n+$/, ''));
}

/** A `--json` line with the quotes after the first shown as `…`. */
function elideJsonLine(line: string): string {
  const parsed = JSON.parse(line) as { quotes: unknown[] };
  if (parsed.quotes.length <= 1) return line;
  const placeholder = '\u0000more';
  const shown = JSON.stringify({ ...parsed, quotes: [parsed.quotes[0], placeholder] });
  return shown.replace(`,${JSON.stringify(placeholder)}`, `,${ELLIPSIS}`);
}

/**
 * The embeds the bot sends for `/ask` of each question, as text. The bot's own parts, as `npm start` puts them
 * together with the default settings: the library with the sentence model, the question log, `/ask` and the Discord
 * renderer; only the gateway is left out, which carries the message as rendered.
 */
async function discordEmbeds(questions: readonly string[], scratch: string): Promise<string[]> {
  if (questions.length === 0) return [];
  const config = parseConfig({ CORPUS_DIR: path.join(ROOT, 'corpus'), CACHE_DIR: path.join(scratch, 'cache'), DATA_DIR: path.join(scratch, 'data') });
  const options = libraryOptionsFromConfig(config, () => undefined);
  const library = await Library.load(config.CORPUS_DIR, options);
  const log = QuestionLog.open({ dataDir: config.DATA_DIR, record: config.RECORD_QUESTIONS, retentionDays: config.QUESTION_RETENTION_DAYS });
  try {
    await library.current.engine.vectorsSettled;
    const ask = findCommand('ask')!;
    const embeds: string[] = [];
    for (const question of questions) {
      const reply = await runCommand(ask, { question }, { library, invoker: { id: 'readme', isModerator: false }, questions: log });
      embeds.push(embedText(renderReply(reply)));
    }
    return embeds;
  } finally {
    await log.close();
    await options.semantic?.close();
  }
}

/** An embed as text: title, the first quote and its citation (`…` for the others), footer, buttons by row. */
function embedText(message: ReturnType<typeof renderReply>): string {
  const [embed] = message.embeds;
  const quotes = (embed?.description ?? message.content ?? '').split('\n\n');
  return [
    ...(embed?.title ? [embed.title] : []),
    quotes[0]!,
    ...(quotes.length > 1 ? [ELLIPSIS] : []),
    ...(embed?.footer ? [embed.footer.text] : []),
    ...message.components.map((row) => row.components.map((button) => `[${'label' in button ? button.label : ''}]`).join(' ')),
  ]
    .map((line) => `${line}\n`)
    .join('');
}
