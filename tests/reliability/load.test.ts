/**
 * Issue 5, load: reloads under a stream of questions (in-process and through discord.js and the emulator), the
 * event loop's longest delay while large corpora are rebuilt, and concurrent reloads.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ask } from '../../commands/ask.js';
import { AnswerEngine } from '../../src/answer/engine.js';
import type { Answer } from '../../src/answer/types.js';
import type { CommandContext } from '../../src/commands/command.js';
import { runCommand } from '../../src/commands/run-command.js';
import { describeProblem } from '../../src/corpus/errors.js';
import { renderReply } from '../../src/discord/render.js';
import { Library } from '../../src/library/library.js';
import { EVAL_DATA_PRESENT } from '../support/eval-data.js';
import type { ReloadOutcome } from '../../src/library/reload-report.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { MANAGE_GUILD, makeUser, MEMBER_PERMISSIONS, type DispatchedInteraction } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';
import { Scratch, writeGeneratedCorpus, writeSquadCorpus } from './support/corpora.js';
import { describeDelay, heldByProgramMs, measureLoopDelay, type LoopDelay } from './support/loop-delay.js';
import { makeSwitchable, VERSION_QUESTIONS, type Switchable } from './support/switchable.js';

const MAX_LOOP_DELAY_MS = 100;

let scratch: Scratch;

beforeAll(async () => {
  scratch = await Scratch.create();
});

afterAll(async () => {
  await scratch?.dispose();
});

const memberOf = (library: Library): CommandContext => ({ library, invoker: { id: 'reader', isModerator: false } });

/** The answers each version gives, computed from libraries of their own. */
async function expectedAnswers(switchable: Switchable): Promise<{ a: Answer[]; b: Answer[] }> {
  const [a, b] = await Promise.all([Library.load(switchable.a), Library.load(switchable.b)]);
  const answers = {
    a: await Promise.all(VERSION_QUESTIONS.map((question) => a.current.engine.answer(question))),
    b: await Promise.all(VERSION_QUESTIONS.map((question) => b.current.engine.answer(question))),
  };
  // The two versions must answer every question, differently, or the test proves nothing.
  VERSION_QUESTIONS.forEach((question, i) => {
    expect(answers.a[i]!.answered, question).toBe(true);
    expect(answers.b[i]!.answered, question).toBe(true);
    expect(answers.a[i]).not.toEqual(answers.b[i]);
  });
  return answers;
}

describe('reload under load', () => {
  it('in process: 1,000+ concurrent /ask while reloading A, B and a broken corpus: each answer is wholly A or wholly B', async () => {
    const switchable = await makeSwitchable(scratch.next('switch-in-process'));
    const expected = await expectedAnswers(switchable);
    const library = await Library.load(switchable.served);
    const outcomes: ReloadOutcome[] = [];
    const seen = { a: 0, b: 0 };
    const failures: string[] = [];
    let reloading = true;

    const reloader = (async () => {
      for (let round = 0; round < 12; round++) {
        await switchable.switchTo([switchable.b, switchable.broken, switchable.a][round % 3]!);
        outcomes.push(await library.reload());
      }
      reloading = false;
    })();

    const askOne = async (index: number): Promise<void> => {
      const question = VERSION_QUESTIONS[index % VERSION_QUESTIONS.length]!;
      const reply = await runCommand(ask, { question }, memberOf(library));
      if (reply.kind !== 'answer') {
        failures.push(`${question}: ${reply.kind}`);
        return;
      }
      const i = VERSION_QUESTIONS.indexOf(question);
      const asA = JSON.stringify(reply.answer) === JSON.stringify(expected.a[i]);
      const asB = JSON.stringify(reply.answer) === JSON.stringify(expected.b[i]);
      if (asA) seen.a += 1;
      else if (asB) seen.b += 1;
      else failures.push(`${question}: an answer from neither version: ${JSON.stringify(reply.answer).slice(0, 300)}`);
    };

    const asks: Promise<void>[] = [];
    while (reloading || asks.length < 1000) {
      // Twenty questions in flight at each turn of the event loop, while the reloads read and build.
      for (let k = 0; k < 20; k++) asks.push(askOne(asks.length));
      await nextTurn();
    }
    await Promise.all([reloader, ...asks]);

    expect(failures).toEqual([]);
    expect(asks.length).toBeGreaterThanOrEqual(1000);
    expect(seen.a).toBeGreaterThan(0);
    expect(seen.b).toBeGreaterThan(0);
    // B, broken (refused, B keeps serving), A; four times over.
    expect(outcomes.map((outcome) => outcome.ok)).toEqual(Array.from({ length: 12 }, (_, i) => i % 3 !== 1));
    for (const outcome of outcomes) {
      if (!outcome.ok) {
        expect(outcome.problems.map(describeProblem)).toEqual(['documents/bad.txt: field "title": is required', 'documents/bad.txt: field "source": is required']);
      }
    }
    expect(library.current.version).toBe(1 + 8);
  }, 120_000);

  describe('through discord.js and the emulator', () => {
    let harness: Harness;
    let switchable: Switchable;

    beforeAll(async () => {
      switchable = await makeSwitchable(scratch.next('switch-discord'));
      harness = await startHarness({ corpusDir: switchable.served });
    });

    afterAll(async () => {
      await harness?.close();
    });

    it('300 /ask interactions while a moderator reloads repeatedly (including a broken corpus): none fails, none mixes', async () => {
      const expected = await expectedAnswers(switchable);
      const describeAs = (answer: Answer): string | undefined => renderReply({ kind: 'answer', answer, private: false }).embeds[0]?.description;
      const moderator = { user: makeUser('moderator'), permissions: MEMBER_PERMISSIONS | MANAGE_GUILD };
      const { emulator } = harness;
      const reloads: string[] = [];
      let reloading = true;

      const reloader = (async () => {
        for (let round = 0; round < 6; round++) {
          await switchable.switchTo([switchable.b, switchable.broken, switchable.a][round % 3]!);
          const interaction = emulator.chatInput('reload', {}, moderator);
          reloads.push(embedOf(await emulator.waitForReply(interaction.id, 20_000)).title ?? '');
        }
        reloading = false;
      })();

      const asked: { interaction: DispatchedInteraction; index: number }[] = [];
      while (reloading || asked.length < 300) {
        for (let k = 0; k < 5; k++) {
          const index = asked.length % VERSION_QUESTIONS.length;
          asked.push({ interaction: emulator.chatInput('ask', { question: VERSION_QUESTIONS[index]! }, { user: makeUser('reader') }), index });
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await reloader;

      const seen = { a: 0, b: 0 };
      for (const { interaction, index } of asked) {
        const description = embedOf(await emulator.waitForReply(interaction.id, 20_000)).description;
        if (description === describeAs(expected.a[index]!)) seen.a += 1;
        else if (description === describeAs(expected.b[index]!)) seen.b += 1;
        else expect.fail(`reply from neither version: ${description}`);
      }
      expect(asked.length).toBeGreaterThanOrEqual(300);
      expect(seen.a + seen.b).toBe(asked.length);
      expect(seen.a).toBeGreaterThan(0);
      expect(seen.b).toBeGreaterThan(0);
      expect(reloads).toEqual(['Corpus reloaded', 'Reload refused: the previous corpus is still being served', 'Corpus reloaded', 'Corpus reloaded', 'Reload refused: the previous corpus is still being served', 'Corpus reloaded']);
      expect(harness.log.errors).toEqual([]);
      // Every answer within Discord's 3-second window: the emulator would have refused a late one.
      expect(emulator.requests.filter((request) => request.status >= 400)).toEqual([]);
    }, 120_000);
  });
});

/**
 * Reloads `library` while asking a question every 10 ms, measuring the event loop's delay with
 * `monitorEventLoopDelay`. A stall over the bound is charged to the program only for the CPU time its thread used
 * during it (Linux, 10 ms resolution): a busy CI machine descheduling the process is not the program holding the
 * loop. Up to three reloads are measured; the best one counts.
 */
async function reloadUnderMeasure(library: Library, question: string, attempts = 3): Promise<{ verdict: number; report: string; asksDuringBuild: number }> {
  const delays: LoopDelay[] = [];
  let asksDuringBuild = 0;
  let verdict = Infinity;
  for (let attempt = 0; attempt < attempts && verdict >= MAX_LOOP_DELAY_MS; attempt++) {
    const before = library.current;
    let done = false;
    const asking = (async () => {
      while (!done) {
        const reply = await runCommand(ask, { question }, memberOf(library));
        expect(reply.kind).toBe('answer');
        if (library.current === before) asksDuringBuild += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const { result, delay } = await measureLoopDelay(async () => {
      const outcome = await library.reload();
      done = true;
      await asking;
      return outcome;
    });
    expect(result.ok).toBe(true);
    expect(library.current).not.toBe(before);
    delays.push(delay);
    verdict = Math.min(verdict, delay.maxMs < MAX_LOOP_DELAY_MS ? delay.maxMs : (heldByProgramMs(delay) ?? delay.maxMs));
  }
  return { verdict, report: delays.map((delay, i) => `reload ${i + 1}: ${describeDelay(delay)}`).join('\n'), asksDuringBuild };
}

describe('no stall on big corpora: the event loop is never held 100 ms during a reload', () => {
  it.skipIf(!EVAL_DATA_PRESENT)('SQuAD v1.1 dev, 2,067 passages: max loop delay < 100 ms, /ask answered during the build', async () => {
    const { folder, passages } = await writeSquadCorpus(scratch.next('squad'));
    expect(passages).toBe(2067);
    const library = await Library.load(folder);
    expect(library.current.engine.passageCount).toBe(2067);
    const { verdict, report, asksDuringBuild } = await reloadUnderMeasure(library, 'When did the 1973 oil crisis begin?');
    expect(verdict, report).toBeLessThan(MAX_LOOP_DELAY_MS);
    expect(asksDuringBuild).toBeGreaterThan(0);
  }, 180_000);

  it('100,000 generated passages: max loop delay < 100 ms, /ask answered during the build', async () => {
    const { folder, passages } = await writeGeneratedCorpus(scratch.next('generated'), 100, 1000);
    expect(passages).toBe(100_000);
    const library = await Library.load(folder);
    expect(library.current.engine.passageCount).toBe(100_000);
    const question = library.current.engine.passages()[0]!.passage.text.split(' ').slice(0, 6).join(' ');
    const { verdict, report, asksDuringBuild } = await reloadUnderMeasure(library, question);
    expect(verdict, report).toBeLessThan(MAX_LOOP_DELAY_MS);
    expect(asksDuringBuild).toBeGreaterThan(0);
  }, 600_000);

  // Parsing one file took 1.3 s in one go on a busy 2-CPU machine before loadCorpus parsed files in slices.
  it('one document file near the 5 MB limit (30,000 passages) is parsed in slices, under 100 ms each', async () => {
    const { folder } = await writeGeneratedCorpus(scratch.next('one-big-file'), 1, 30_000, 11);
    const library = await Library.load(folder);
    const { verdict, report } = await reloadUnderMeasure(library, 'anything at all', 1);
    expect(verdict, report).toBeLessThan(MAX_LOOP_DELAY_MS);
  }, 300_000);
});

describe('concurrent reloads', () => {
  it('ten reloads at once run one build; the other nine are told they joined it', async () => {
    const switchable = await makeSwitchable(scratch.next('concurrent'));
    const library = await Library.load(switchable.served);
    let inFlight = 0;
    let maxInFlight = 0;
    let builds = 0;
    /** While set, a build waits for it: a reload then stays running however fast the machine is. */
    let gate: Promise<void> | undefined;
    // A reload builds the new engine from the one serving (AnswerEngine.update): count those.
    const { update } = AnswerEngine.prototype as { update: (this: AnswerEngine, ...args: Parameters<AnswerEngine['update']>) => Promise<void> };
    const spy = vi.spyOn(AnswerEngine.prototype, 'update').mockImplementation(async function (this: AnswerEngine, ...args) {
      builds += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await gate;
        return await update.apply(this, args);
      } finally {
        inFlight -= 1;
      }
    });
    try {
      await switchable.switchTo(switchable.b);
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => library.reload()));
      expect(builds).toBe(1);
      expect(outcomes.filter((outcome) => !outcome.joined)).toHaveLength(1);
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      expect(library.current.version).toBe(2);

      // Staggered: asked while the first is reading files or building (held until the third is asked).
      await switchable.switchTo(switchable.a);
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      const first = library.reload();
      await nextTurn();
      const second = library.reload();
      await new Promise((resolve) => setTimeout(resolve, 1));
      const third = library.reload();
      release();
      gate = undefined;
      const results = await Promise.all([first, second, third]);
      expect(results.map((outcome) => outcome.joined)).toEqual([false, true, true]);
      expect(builds).toBe(2);
      expect(maxInFlight).toBe(1);
      expect(library.current.version).toBe(3);
      expect(library.current.engine.corpus.documents.map((document) => document.meta.id)).toEqual(['report-a']);

      // Once finished, the next reload runs on its own.
      expect((await library.reload()).joined).toBe(false);
      expect(builds).toBe(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('through the emulator: two moderators /reload at once; the second is told a reload was already running', async () => {
    const switchable = await makeSwitchable(scratch.next('concurrent-discord'));
    const harness = await startHarness({ corpusDir: switchable.served, moderatorRoleIds: (emulator) => [emulator.moderatorRoleId] });
    try {
      const { emulator } = harness;
      await switchable.switchTo(switchable.b);
      const one = emulator.chatInput('reload', {}, { user: makeUser('mod-one'), permissions: MEMBER_PERMISSIONS | MANAGE_GUILD });
      const two = emulator.chatInput('reload', {}, { user: makeUser('mod-two'), roles: [emulator.moderatorRoleId] });
      const replies = await Promise.all([emulator.waitForReply(one.id, 20_000), emulator.waitForReply(two.id, 20_000)]);
      const descriptions = replies.map((reply) => embedOf(reply).description ?? '');
      expect(replies.map((reply) => embedOf(reply).title)).toEqual(['Corpus reloaded', 'Corpus reloaded']);
      expect(descriptions.filter((text) => text.startsWith('A reload was already running; this is its result.'))).toHaveLength(1);
      expect(harness.library.current.version).toBe(2);
    } finally {
      await harness.close();
    }
  }, 60_000);
});
