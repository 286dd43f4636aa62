import 'dotenv/config';
import { createInterface } from 'node:readline';
import { commands, findCommand } from '../../commands/index.js';
import type { CommandContext, Invoker, Reply } from '../commands/command.js';
import { countOf } from '../commands/replies.js';
import { ConsoleConversation, readJsonLine, readMarked } from './conversation.js';
import { runCommand } from '../commands/run-command.js';
import { ConfigError, parseConfig } from '../config/env.js';
import { CorpusError } from '../corpus/errors.js';
import { Library } from '../library/library.js';
import { describeMode } from '../semantic/semantic-search.js';
import { libraryOptionsFromConfig } from '../library/from-config.js';
import { openStore } from '../store/open-store.js';
import { toJsonLine } from './json-lines.js';
import { MoreQuotes } from './more-quotes.js';
import { parseLine } from './parse-line.js';
import { ANSI, PLAIN, renderText } from './render.js';

/** The console user runs the bot on their own machine, so they are a moderator. */
const CONSOLE_USER: Invoker = { id: 'console', isModerator: true };

/** C0 and C1 control characters other than line breaks would drive the terminal, not be shown. */
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

async function main(): Promise<number> {
  // A reader that stops early (`| head`) is not an error: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const config = parseConfig(process.env);
  const library = await Library.load(config.CORPUS_DIR, libraryOptionsFromConfig(config, (line) => console.error(line)));
  // The console answers one person, who can wait the second the model takes: every answer then uses it.
  await library.current.engine.vectorsSettled;
  const onError = (error: unknown): void => console.error(`console: a command failed: ${(error as Error).stack ?? String(error)}`);
  // The console reads what the bot recorded (/gaps) but records nothing: its questions are someone trying it out.
  const store = await openStore(config, { info: (line) => console.error(line), error: (line) => console.error(line) }, { record: false, notRecordingBecause: 'the console never records' });
  const context: CommandContext = { library, invoker: CONSOLE_USER, questions: store.questions };
  try {
    return await serve(context, onError);
  } finally {
    await store.close();
  }
}

async function serve(context: CommandContext, onError: (error: unknown) => void): Promise<number> {
  const { library } = context;

  if (process.argv.includes('--json')) {
    if (process.stdin.isTTY) {
      console.error('console: --json reads questions from standard input: pipe them in, one per line.');
      return 2;
    }
    // Standard output carries only the answers' JSON lines.
    for (const warning of library.current.engine.corpus.warnings) console.error(`console: warning: ${warning}`);
    const conversation = new ConsoleConversation(findCommand('ask')!, context, { onError });
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      const read = readJsonLine(line);
      const reply: Reply = 'problem' in read ? { kind: 'notice', tone: 'error', text: read.problem, private: false } : await conversation.answer(read);
      process.stdout.write(`${JSON.stringify(toJsonLine('problem' in read ? line : read.question, reply))}\n`);
    }
    return 0;
  }

  const interactive = process.stdin.isTTY === true;
  const style = process.stdout.isTTY ? ANSI : PLAIN;
  const snapshot = library.current.engine;
  console.log(
    `incident-desk console: ${snapshot.corpus.documents.length} document(s), ${countOf(snapshot.passageCount, 'passage')} from ${library.directory}.\n` +
      `${describeMode(snapshot.mode.mode, snapshot.mode.model)}\n` +
      snapshot.corpus.warnings.map((warning) => `warning: ${warning}\n`).join('') +
      'Type a question, or /ask question: …, /more, /source passage: …, /reload, /gaps, /help; start a line with > to follow up the last answer. Ctrl-D or /quit to leave.',
  );
  const input = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  const more = new MoreQuotes();
  const show = (reply: Reply): void => {
    console.log(renderText(reply, style).replace(CONTROL_CHARACTERS, (c) => (style === ANSI && c === '\u001b' ? c : '\uFFFD')));
  };
  const ask = findCommand('ask')!;
  input.setPrompt('ask> ');
  if (interactive) input.prompt();
  const conversation = new ConsoleConversation(ask, context, { onError });
  for await (const line of input) {
    const marked = readMarked(line);
    const parsed = marked.followUp ? undefined : parseLine(line, commands);
    if (parsed === undefined || (parsed.kind === 'command' && parsed.command.name === 'ask' && typeof parsed.options['question'] === 'string')) {
      // Questions go through the conversation, so the next "> …" line can follow them up.
      const question = parsed?.kind === 'command' ? String(parsed.options['question']) : marked.question;
      const reply = await conversation.answer({ question, followUp: marked.followUp });
      more.follow(reply);
      show(reply);
    } else if (parsed.kind === 'command') {
      const reply = await runCommand(parsed.command, parsed.options, context, { onError });
      if (parsed.command === ask) more.follow(reply);
      show(reply);
    } else if (parsed.kind === 'unknown' && parsed.name === 'more') {
      const next = more.options();
      if ('none' in next) console.log(next.none);
      else {
        const reply = await runCommand(ask, next.options, context, { onError });
        more.follow(reply);
        show(reply);
      }
    } else if (parsed.kind === 'unknown') {
      if (parsed.name === 'quit' || parsed.name === 'exit') break;
      console.log(`There is no /${parsed.name.replace(CONTROL_CHARACTERS, '\uFFFD')} command. Try /ask, /more, /source, /reload, /gaps or /help.`);
    }
    if (interactive) input.prompt();
  }
  input.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CorpusError || error instanceof ConfigError) console.error(error.message);
    else console.error(`console: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
