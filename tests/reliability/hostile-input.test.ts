/**
 * Issue 5, hostile and odd input (property-based, fast-check): over /ask and /source run by `runCommand` with the
 * real Library, through the Discord renderer, through the real discord.js client and the emulator, and through the
 * real console process. No exception escapes, every quote is verbatim corpus text, every message fits Discord's
 * limits with `allowed_mentions: { parse: [] }`, and no mention markup is left live.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../commands/ask.js';
import { source } from '../../commands/source.js';
import { MAX_CHOICES, MAX_CHOICE_LENGTH } from '../../src/commands/choices.js';
import type { CommandContext, Reply } from '../../src/commands/command.js';
import { runCommand } from '../../src/commands/run-command.js';
import { renderReply, toEditOptions, toReplyOptions } from '../../src/discord/render.js';
import { Library } from '../../src/library/library.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { makeUser } from '../support/discord-emulator.js';
import { GOOD_CORPUS } from './support/corpora.js';
import { expectVerbatim, expectWithinDiscordLimits, hostileText, throughUtf8 } from './support/hostile.js';
import { childEnv } from '../support/child-env.js';
import { Child, CONSOLE_MAIN, TSX } from './support/processes.js';

const NUM_RUNS = 150;

let library: Library;
const member = (isModerator = false): CommandContext => ({ library, invoker: { id: 'member', isModerator } });

/** What every reply must be, whatever was typed. */
function expectSafeReply(reply: Reply, typed: string): void {
  expect(['answer', 'passage', 'notice']).toContain(reply.kind);
  if (reply.kind === 'answer') expectVerbatim(reply.answer, library.current.engine);
  // The apology is for handler failures: hostile input must never cause one.
  if (reply.kind === 'notice') expect(reply.text).not.toMatch(/went wrong/);
  const message = renderReply(reply);
  const options = toReplyOptions(message);
  expect(options.allowedMentions).toEqual({ parse: [] });
  expect(toEditOptions(message).allowedMentions).toEqual({ parse: [] });
  expectWithinDiscordLimits({ content: options.content, embeds: options.embeds, components: options.components });
  void typed;
}

beforeAll(async () => {
  library = await Library.load(GOOD_CORPUS);
});

describe('hostile input through runCommand and the Discord renderer', () => {
  it('/ask: never throws, never apologises, quotes verbatim, fits Discord, pings nobody', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, fc.boolean(), async (question, isPrivate) => {
        const reply = await runCommand(ask, { question, private: isPrivate }, member(), {
          onError: (error) => {
            throw error;
          },
        });
        expectSafeReply(reply, question);
        // Discord's own option limit (max_length 300) is enforced here too, and the user is told. zod counts
        // code points, so 300 emoji of two UTF-16 units each are still accepted.
        const tooLong = [...question.trim()].length > 300;
        const told = reply.kind === 'notice' && /^question: Questions can be at most 300 characters; yours has \d+\. Please shorten it\.$/.test(reply.text);
        expect(told).toBe(tooLong);
        if (tooLong) expect(reply).toMatchObject({ kind: 'notice', tone: 'error', private: true });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('/ask: a 10,000-character question is refused with the limit named', async () => {
    const reply = await runCommand(ask, { question: 'Who seized the police station? '.repeat(400).slice(0, 10_000) }, member());
    expect(reply).toMatchObject({ kind: 'notice', tone: 'error' });
    expect(reply.kind === 'notice' && reply.text).toMatch(/^question: Questions can be at most 300 characters; yours has 10000\. Please shorten it\.$/);
    expectSafeReply(reply, '');
  });

  it('/source: never throws; an unknown id is answered politely, escaped, and fits Discord', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (passage) => {
        const reply = await runCommand(source, { passage }, member());
        expectSafeReply(reply, passage);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('autocomplete for /ask and /source: never throws, at most 25 choices of 1 to 100 characters', () => {
    fc.assert(
      fc.property(hostileText, (typed) => {
        for (const command of [ask, source]) {
          const choices = command.autocomplete!({ name: command === ask ? 'question' : 'passage', value: typed }, member());
          expect(choices.length).toBeLessThanOrEqual(MAX_CHOICES);
          for (const choice of choices) {
            expect(choice.name.length).toBeGreaterThan(0);
            expect(choice.name.length).toBeLessThanOrEqual(MAX_CHOICE_LENGTH);
            expect(choice.value.length).toBeLessThanOrEqual(MAX_CHOICE_LENGTH);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('hostile input through the real discord.js client and the emulator', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ corpusDir: GOOD_CORPUS });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('/ask and /source: every interaction gets a reply the emulator accepts, with allowed_mentions parse []', async () => {
    const user = makeUser('hostile');
    await fc.assert(
      fc.asyncProperty(hostileText, fc.constantFrom('ask', 'source'), async (text, name) => {
        const errorsBefore = harness.log.errors.length;
        const interaction = harness.emulator.chatInput(name, name === 'ask' ? { question: text } : { passage: text }, { user });
        const reply = await harness.emulator.waitForReply(interaction.id);
        expect(reply.body['allowed_mentions']).toEqual({ parse: [] });
        expectWithinDiscordLimits(reply.body);
        expect(harness.log.errors.slice(errorsBefore)).toEqual([]);
        // Nothing the bot sent was rejected by the emulator (Discord's validation).
        expect(harness.emulator.requests.filter((request) => request.status >= 400)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('autocomplete: every hostile prefix gets choices Discord accepts', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, fc.constantFrom(['ask', 'question'] as const, ['source', 'passage'] as const), async (typed, [name, option]) => {
        const interaction = harness.emulator.autocomplete(name, option, typed);
        const callback = await harness.emulator.waitForCallback(interaction.id);
        expect((callback.data?.['choices'] as unknown[]).length).toBeGreaterThan(0);
        expect(harness.emulator.requests.filter((request) => request.status >= 400)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('hostile input through the real console process', () => {
  /** The console in `--json` mode: one JSON line out per line in. */
  let json: Child;
  /** The console in text mode, as a person uses it. */
  let text: Child;
  let textCursor = 0;
  let markers = 0;

  beforeAll(() => {
    json = new Child(TSX, [CONSOLE_MAIN, '--json'], { env: childEnv() });
    text = new Child(TSX, [CONSOLE_MAIN], { env: childEnv() });
  });

  afterAll(async () => {
    await Promise.all([json?.stop(), text?.stop()]);
  });

  /** A line as the console can receive it: line breaks would make it several lines. */
  const oneLine = (value: string): string => value.replace(/[\r\n]/g, ' ');

  async function askJson(line: string): Promise<Record<string, unknown>> {
    const before = json.stdout.split('\n').length - 1;
    json.process.stdin.write(`${line}\n`);
    await json.waitFor(new RegExp(`^(?:[^\\n]*\\n){${before + 1}}`), 20_000);
    return JSON.parse(json.stdout.split('\n')[before]!) as Record<string, unknown>;
  }

  async function exchange(line: string): Promise<string> {
    const marker = `end-of-reply-${++markers}`;
    text.process.stdin.write(`${line}\n/${marker}\n`);
    const pattern = new RegExp(`There is no /${marker} command\\.[^\\n]*\\n`);
    await text.waitFor(pattern, 20_000);
    const rest = text.stdout.slice(textCursor);
    const match = pattern.exec(rest)!;
    textCursor += match.index + match[0].length;
    return rest.slice(0, match.index);
  }

  it('--json: one well-formed line per question, quotes verbatim, the limit told, the process alive', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (raw) => {
        const line = oneLine(raw);
        const out = await askJson(line);
        expect(out['question']).toBe(throughUtf8(line));
        const quotes = out['quotes'] as { text: string; cite: string }[];
        for (const quote of quotes) expect(library.current.engine.passage(quote.cite)?.passage.text).toContain(quote.text);
        const closest = out['closest'] as { text: string; cite: string } | undefined;
        if (closest) expect(library.current.engine.passage(closest.cite)?.passage.text).toContain(closest.text);
        const tooLong = [...throughUtf8(line).trim()].length > 300;
        const notice = typeof out['notice'] === 'string' ? out['notice'] : '';
        expect(/^question: Questions can be at most 300 characters; yours has \d+\. Please shorten it\.$/.test(notice)).toBe(tooLong);
        expect(notice).not.toMatch(/went wrong/);
      }),
      { numRuns: 60 },
    );
    expect(json.stderr).toBe('');
    expect(json.process.exitCode).toBeNull();
  }, 120_000);

  it('text mode: /ask, /source and bare questions never crash it and never print control characters', async () => {
    await text.waitFor(/Ctrl-D or \/quit to leave\.\n/);
    textCursor = text.stdout.length;
    await fc.assert(
      fc.asyncProperty(hostileText, fc.constantFrom('', '/ask question: ', '/source passage: ', '/source '), async (raw, prefix) => {
        const line = oneLine(prefix + raw);
        // A line that is itself a /quit would end the session: that is a command, not hostile input.
        fc.pre(!/^\s*\/(quit|exit)\b/i.test(line));
        const reply = await exchange(line);
        // Only line breaks; every other C0/C1 control character is replaced before it reaches the terminal.
        expect(reply).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
      }),
      { numRuns: 60 },
    );
    expect(await exchange('How many hostage-takers were killed?')).toContain('killing all 33 hostage-takers');
    expect(text.stderr).toBe('');
    text.process.stdin.end();
    const { code } = await text.finished;
    expect(code).toBe(0);
  }, 120_000);
});
