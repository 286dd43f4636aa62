import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ask, MAX_QUESTION_LENGTH } from '../../commands/ask.js';
import { help } from '../../commands/help.js';
import { commands, findCommand } from '../../commands/index.js';
import { reload } from '../../commands/reload.js';
import { gaps } from '../../commands/gaps.js';
import { source } from '../../commands/source.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES, truncate } from '../../src/commands/choices.js';
import type { Choice, Command, CommandContext, Reply } from '../../src/commands/command.js';
import { runCommand } from '../../src/commands/run-command.js';
import { Library } from '../../src/library/library.js';
import { BUNDLED_CORPUS, copyBundledCorpus, documentFile, makeCorpus, removeTempDirs } from '../fixtures/corpus.js';

const MEMBER = { id: '111111111111111111', isModerator: false };
const MODERATOR = { id: '222222222222222222', isModerator: true };

let library: Library;
let asMember: CommandContext;

beforeAll(async () => {
  library = await Library.load(BUNDLED_CORPUS);
  asMember = { library, invoker: MEMBER };
});
afterAll(removeTempDirs);

function noticeText(reply: Reply): string {
  if (reply.kind !== 'notice') throw new Error(`expected a notice, got ${reply.kind}`);
  return reply.text;
}

/** Checks Discord's autocomplete limits: 1 to 25 choices, names and values of 1 to 100 UTF-16 units, no lone surrogate. */
function expectWithinDiscordLimits(choices: readonly Choice[]): void {
  expect(choices.length).toBeLessThanOrEqual(MAX_CHOICES);
  for (const { name, value } of choices) {
    for (const text of [name, value]) {
      expect(text.length).toBeGreaterThanOrEqual(1);
      expect(text.length).toBeLessThanOrEqual(MAX_CHOICE_LENGTH);
      expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  }
}

describe('command definitions', () => {
  it('registers /ask, /source, /reload, /gaps, /conversation and /help within Discord naming limits', () => {
    expect(commands.map((command) => command.name)).toEqual(['ask', 'source', 'reload', 'gaps', 'conversation', 'help']);
    for (const command of commands) {
      expect(command.definition.name).toBe(command.name);
      expect(command.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(command.definition.description.length).toBeGreaterThan(0);
      expect(command.definition.description.length).toBeLessThanOrEqual(100);
      for (const option of command.definition.options ?? []) {
        expect(option.name).toMatch(/^[-_a-z0-9]{1,32}$/);
        expect(option.description.length).toBeLessThanOrEqual(100);
      }
    }
    expect(findCommand('source')).toBe(source);
    expect(findCommand('nope')).toBeUndefined();
  });

  it('tells Discord the same question length limit the handler enforces', () => {
    const question = ask.definition.options?.find((option) => option.name === 'question');
    expect(question).toMatchObject({ required: true, max_length: MAX_QUESTION_LENGTH, autocomplete: true });
    expect(reload.moderatorOnly && gaps.moderatorOnly).toBe(true);
    expect(ask.moderatorOnly || source.moderatorOnly || help.moderatorOnly).toBe(false);
  });
});

describe('/ask', () => {
  it('answers with quotes, in public unless asked to be private', async () => {
    const reply = await runCommand(ask, { question: 'How many hostage-takers were killed?' }, asMember);
    expect(reply).toMatchObject({ kind: 'answer', private: false, answer: { answered: true } });
    const secret = await runCommand(ask, { question: 'How many hostage-takers were killed?', private: true }, asMember);
    expect(secret).toMatchObject({ kind: 'answer', private: true });
  });

  it('accepts a question of exactly the limit, and refuses a longer one politely, naming the limit and its length', async () => {
    const atLimit = await runCommand(ask, { question: `killed ${'x'.repeat(MAX_QUESTION_LENGTH - 7)}` }, asMember);
    expect(atLimit.kind).toBe('answer');
    const reply = await runCommand(ask, { question: 'why '.repeat(2500) }, asMember);
    expect(reply).toMatchObject({ kind: 'notice', tone: 'error', private: true });
    expect(noticeText(reply)).toContain(`at most ${MAX_QUESTION_LENGTH} characters; yours has 9999`);
  });

  it('measures the length after trimming the spaces around the question', async () => {
    const padded = `   ${'a'.repeat(MAX_QUESTION_LENGTH)}   `;
    expect((await runCommand(ask, { question: padded }, asMember)).kind).toBe('answer');
  });

  it('asks for a question when it is missing or blank', async () => {
    expect(noticeText(await runCommand(ask, {}, asMember))).toMatch(/please type a question/i);
    expect(noticeText(await runCommand(ask, { question: '   ' }, asMember))).toMatch(/Please type a question, e\.g\./);
  });

  it('names the option once in the notice for a missing question', async () => {
    const text = noticeText(await runCommand(ask, {}, asMember));
    expect(text.match(/question/gi)).toHaveLength(2);
    expect(text).toBe('question: Please type a question.');
  });

  it('refuses a private flag that is not a boolean and a page out of range', async () => {
    expect(noticeText(await runCommand(ask, { question: 'x', private: 'maybe' }, asMember))).toBe('private must be true or false.');
    expect(noticeText(await runCommand(ask, { question: 'x', page: 21 }, asMember))).toMatch(/^page: /);
  });

  it('pages through quotes three at a time', async () => {
    // "What happened?" is answered with each article's lead: four articles make two pages.
    const directory = await makeCorpus({
      documents: Object.fromEntries(
        ['flood', 'quake', 'storm', 'fire'].map((id) => [`${id}.txt`, documentFile({ id, title: id, source: 'Wire' }, [`The ${id} reached the valley on Monday.`])]),
      ),
    });
    const fourArticles = { library: await Library.load(directory), invoker: MEMBER };
    const question = 'What happened?';
    const first = await runCommand(ask, { question }, fourArticles);
    const second = await runCommand(ask, { question, page: 1 }, fourArticles);
    if (first.kind !== 'answer' || second.kind !== 'answer') throw new Error('expected answers');
    expect(second.answer.offset).toBe(3);
    expect(second.answer.quotes.length).toBeGreaterThan(0);
    expect(second.answer.quotes.map((q) => q.text)).not.toContain(first.answer.quotes[0]?.text);
  });
});

describe('/source', () => {
  it('shows the whole passage for a citation id', async () => {
    const reply = await runCommand(source, { passage: 'bannu-siege#p3' }, asMember);
    expect(reply).toMatchObject({ kind: 'passage', view: { passage: { id: 'bannu-siege#p3' }, passageCount: 20 } });
  });

  it('says politely that an unknown id does not exist, how many passages its document has, and what to type', async () => {
    const reply = await runCommand(source, { passage: 'bannu-siege#p99' }, asMember);
    expect(reply).toMatchObject({ kind: 'notice', tone: 'info', private: true });
    expect(noticeText(reply)).toBe(
      'There is no passage "bannu-siege#p99" (bannu-siege has 20 passages). Did you mean bannu-siege#p20? Passage ids look like bannu-siege#p5, or p5 when one document has a fifth passage: copy one from a citation.',
    );
  });

  it('takes the short id p5 when only one document has a fifth passage, and says which ids "p1" could mean when several do', async () => {
    expect(await runCommand(source, { passage: 'p5' }, asMember)).toMatchObject({ kind: 'passage', view: { passage: { id: 'bannu-siege#p5' } } });
    const directory = await copyBundledCorpus();
    await writeFile(path.join(directory, 'documents', 'extra.txt'), documentFile({ id: 'extra', title: 'Extra', source: 'S' }, ['A new article.']));
    const two = { library: await Library.load(directory), invoker: MEMBER };
    expect(noticeText(await runCommand(source, { passage: 'p1' }, two))).toBe(
      '"p1" could be any of 2 passages: bannu-siege#p1, extra#p1. Please give the whole id.',
    );
    expect(await runCommand(source, { passage: 'p5' }, two)).toMatchObject({ kind: 'passage', view: { passage: { id: 'bannu-siege#p5' } } });
  });

  it('refuses an id too long to be one', async () => {
    expect(noticeText(await runCommand(source, { passage: 'p'.repeat(101) }, asMember))).toMatch(/too long to be one/);
  });
});

describe('/reload', () => {
  it('is refused for members who are not moderators, and nothing is reloaded', async () => {
    const directory = await copyBundledCorpus();
    const own = await Library.load(directory);
    await writeFile(path.join(directory, 'documents', 'extra.txt'), documentFile({ id: 'extra', title: 'Extra', source: 'S' }, ['A new article.']));
    const reply = await runCommand(reload, {}, { library: own, invoker: MEMBER });
    expect(reply).toMatchObject({ kind: 'notice', tone: 'refusal', private: true });
    expect(noticeText(reply)).toMatch(/Only moderators .* can use \/reload\. Nothing was changed\./);
    expect(own.current.version).toBe(1);
    expect(own.current.engine.passage('extra#p1')).toBeUndefined();

    const allowed = await runCommand(reload, {}, { library: own, invoker: MODERATOR });
    expect(allowed).toMatchObject({ kind: 'reload', private: true, outcome: { ok: true, report: { documents: { added: ['extra'] } } } });
    expect(own.current.engine.passage('extra#p1')).toBeDefined();
  });

  it('reports the problems of a broken corpus to the moderator', async () => {
    const directory = await makeCorpus({ documents: { 'a.txt': documentFile({ id: 'a', title: 'A', source: 'S' }, ['Text.']) } });
    const own = await Library.load(directory);
    await writeFile(path.join(directory, 'documents', 'a.txt'), '---\nid: a\n---\n');
    const reply = await runCommand(reload, {}, { library: own, invoker: MODERATOR });
    expect(reply).toMatchObject({ kind: 'reload', outcome: { ok: false } });
    expect(own.current.version).toBe(1);
  });
});

describe('/help', () => {
  it('gives an overview of the corpus with its example questions, privately', async () => {
    const reply = await runCommand(help, {}, asMember);
    expect(reply).toMatchObject({
      kind: 'help',
      private: true,
      overview: { passageCount: 20, documents: [{ id: 'bannu-siege', source: 'BBC', passageCount: 20 }] },
    });
    if (reply.kind === 'help') expect(reply.overview.examples).toContain('Who seized the police station?');
  });
});

describe('runCommand', () => {
  it('turns a handler that throws into an apology and tells the error hook', async () => {
    const broken: Command<Record<string, never>> = {
      ...help,
      name: 'broken',
      execute() {
        throw new Error('boom');
      },
    };
    const onError = vi.fn();
    const reply = await runCommand(broken, {}, asMember, { onError });
    expect(reply).toMatchObject({ kind: 'notice', tone: 'error', private: true });
    expect(noticeText(reply)).not.toContain('boom');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }), broken);
  });

  it('validates options with the command\'s schema before the handler sees them', async () => {
    const execute = vi.fn(() => ({ kind: 'notice', tone: 'info', text: 'ran', private: false }) as const);
    const strict: Command<{ n: number }> = { ...help, name: 'strict', options: z.object({ n: z.number() }), execute };
    expect((await runCommand(strict, { n: 'x' }, asMember)).kind).toBe('notice');
    expect(execute).not.toHaveBeenCalled();
    await runCommand(strict, { n: 2 }, asMember);
    expect(execute).toHaveBeenCalledWith({ n: 2 }, asMember);
  });
});

describe('autocomplete', () => {
  it('offers the example questions before anything is typed', () => {
    const choices = ask.autocomplete!({ name: 'question', value: '' }, asMember);
    expectWithinDiscordLimits(choices);
    expect(choices.map((choice) => choice.value)).toContain('How many hostage-takers were killed?');
  });

  it('previews the passages that would answer what is typed, keeping the question as the value', () => {
    const choices = ask.autocomplete!({ name: 'question', value: 'hostage-takers killed' }, asMember);
    expectWithinDiscordLimits(choices);
    expect(choices[0]?.name).toMatch(/^bannu-siege#p\d+ · /);
    expect(choices.every((choice) => choice.value === 'hostage-takers killed')).toBe(true);
  });

  it('labels a preview of an abstention as not an answer', () => {
    const choices = ask.autocomplete!({ name: 'question', value: 'What did the police eat for breakfast?' }, asMember);
    expectWithinDiscordLimits(choices);
    expect(choices[0]?.name).toMatch(/^Not an answer: /);
  });

  it('is never empty and stays within the limits for any text typed', () => {
    for (const value of ['zzqx blorf', '   ', '🙂'.repeat(80), 'killed '.repeat(1500), '@everyone **x**', '\u0000\u001b[2J']) {
      const choices = ask.autocomplete!({ name: 'question', value }, asMember);
      expect(choices.length, JSON.stringify(value.slice(0, 20))).toBeGreaterThan(0);
      expectWithinDiscordLimits(choices);
    }
  });

  it('keeps previews and passage choices within 25 on a corpus with many passages', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1} says the river flooded ${'again and '.repeat(12)}again.`);
    const directory = await makeCorpus({ documents: { 'long.txt': documentFile({ id: 'long', title: 'Long', source: 'S' }, paragraphs) } });
    const context = { library: await Library.load(directory), invoker: MEMBER };
    const previews = ask.autocomplete!({ name: 'question', value: 'river flooded' }, context);
    // Previews are the answer's quotes, at most one a passage of the few the ranker is given, so fewer than 25.
    expect(previews.length).toBeGreaterThan(0);
    expectWithinDiscordLimits(previews);
    const passages = source.autocomplete!({ name: 'passage', value: '' }, context);
    expect(passages).toHaveLength(MAX_CHOICES);
    expectWithinDiscordLimits(passages);
  });

  it('offers a fallback when the corpus has no example questions', async () => {
    const directory = await makeCorpus({ documents: { 'a.txt': documentFile({ id: 'a', title: 'A', source: 'S' }, ['Text.']) } });
    const choices = ask.autocomplete!({ name: 'question', value: '' }, { library: await Library.load(directory), invoker: MEMBER });
    expect(choices).toHaveLength(1);
    expectWithinDiscordLimits(choices);
  });

  it('suggests passage ids for /source by id or by words of the text', () => {
    const byId = source.autocomplete!({ name: 'passage', value: 'p1' }, asMember);
    expectWithinDiscordLimits(byId);
    expect(byId.map((choice) => choice.value)).toEqual(expect.arrayContaining(['bannu-siege#p1', 'bannu-siege#p10']));
    const byText = source.autocomplete!({ name: 'passage', value: 'BRICK' }, asMember);
    expect(byText.map((choice) => choice.value)).toEqual(['bannu-siege#p12']);
  });
});

describe('truncate', () => {
  it('cuts on a word boundary with an ellipsis, and never splits an emoji', () => {
    expect(truncate('short', 100)).toBe('short');
    expect(truncate('one two three four', 10)).toBe('one two…');
    expect(truncate('a\n\n b', 10)).toBe('a b');
    const emoji = truncate('🙂'.repeat(80), 100);
    expect(emoji.length).toBeLessThanOrEqual(100);
    expect(emoji).toMatch(/^(?:🙂)+…$/u);
  });
});
