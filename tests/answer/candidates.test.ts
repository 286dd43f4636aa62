import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/answer/candidates.js';
import { AnswerEngine, DEFAULT_ANSWER_ENGINE_OPTIONS } from '../../src/answer/engine.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import type { Glossary } from '../../src/corpus/types.js';
import { documentFile, makeCorpus, removeTempDirs } from '../fixtures/corpus.js';

/** An engine over one document, `<id>.txt`, with the given title and paragraphs (and glossary), that only measures. */
async function engineOver(id: string, title: string, paragraphs: readonly string[], glossary?: Glossary): Promise<AnswerEngine> {
  const directory = await makeCorpus({ documents: { [`${id}.txt`]: documentFile({ id, title, source: 'Wire' }, paragraphs) }, glossary });
  return AnswerEngine.build(await loadCorpus(directory), { ...DEFAULT_ANSWER_ENGINE_OPTIONS, model: null });
}

/** The candidate quoting exactly `text`, of `engine`'s candidates for `question`. */
async function candidate(engine: AnswerEngine, question: string, text: string): Promise<Candidate> {
  const { set } = await engine.candidates(question);
  const found = set.candidates.find((c) => engine.passage(c.passageId)!.passage.text.slice(c.span.start, c.span.end) === text);
  if (!found) throw new Error(`no candidate quotes ${JSON.stringify(text)} for ${JSON.stringify(question)}`);
  return found;
}

let engine: AnswerEngine;

beforeAll(async () => {
  engine = await engineOver('history', 'History', [
    'The valley is green. The group was founded in 2007. It was later led by Baitullah Mehsud. Rain fell.',
    'Families were evacuated from the villages. Rescue teams evacuated 120 families by boat.',
    'The river, the river, the river and the river again flooded.',
    'The river flooded the Swat valley on Monday.',
    'Hostages were held at the fort after one guard fell asleep.',
  ]);
});
afterAll(removeTempDirs);

describe('candidate quotes', () => {
  it('offers every sentence of a kept passage, and two adjacent sentences only when each holds part of the question', async () => {
    const { set } = await engine.candidates('When was the group led by Baitullah Mehsud founded?');
    const texts = set.candidates.filter((c) => c.passageId === 'history#p1').map((c) => engine.passage(c.passageId)!.passage.text.slice(c.span.start, c.span.end));
    expect(texts).toEqual(['The valley is green.', 'The group was founded in 2007.', 'The group was founded in 2007. It was later led by Baitullah Mehsud.', 'It was later led by Baitullah Mehsud.', 'Rain fell.']);
    const pair = await candidate(engine, 'When was the group led by Baitullah Mehsud founded?', 'The group was founded in 2007. It was later led by Baitullah Mehsud.');
    expect(pair.twoSentences).toBe(true);
    const single = await candidate(engine, 'When was the group led by Baitullah Mehsud founded?', 'The group was founded in 2007.');
    expect(pair.share).toBeGreaterThan(single.share);
  });

  it('counts, for "how many X", only a number standing before X, and says when the span lacks it', async () => {
    const counted = await candidate(engine, 'How many families were evacuated?', 'Rescue teams evacuated 120 families by boat.');
    expect(counted.answersCue).toBe(true);
    expect(counted.focusMissing).toBe(false);
    const uncounted = await candidate(engine, 'How many families were evacuated?', 'Families were evacuated from the villages.');
    expect(uncounted.answersCue).toBe(false);
    expect(uncounted.focusMissing).toBe(true);
    // "one" counts the guard, not the hostages.
    const guard = await candidate(engine, 'How many hostages were held?', 'Hostages were held at the fort after one guard fell asleep.');
    expect(guard.answersCue).toBe(false);
  });

  it('takes any count for "how many people", as people are counted by what they are ("120 families")', async () => {
    expect((await candidate(engine, 'How many people were evacuated?', 'Rescue teams evacuated 120 families by boat.')).answersCue).toBe(true);
  });

  it('gives a sentence covering every word of the question the whole share, and one repeating a single word less', async () => {
    const whole = await candidate(engine, 'When did the river flood the Swat valley?', 'The river flooded the Swat valley on Monday.');
    const repeated = await candidate(engine, 'When did the river flood the Swat valley?', 'The river, the river, the river and the river again flooded.');
    expect(whole.share).toBeCloseTo(1, 9);
    expect(whole.exactShare).toBeLessThan(whole.share);
    expect(repeated.share).toBeLessThan(0.8);
    expect(repeated.heaviestMissing).toBeGreaterThan(0);
  });

  it('weighs a misspelt word the corpus lacks as the common word it stands for, and credits its match below an exact one', async () => {
    const spelt = await candidate(engine, 'What caused the families to be evacuated?', 'Families were evacuated from the villages.');
    const misspelt = await candidate(engine, 'What cused the families to be evacuated?', 'Families were evacuated from the villages.');
    // "cused" reads as "used", a little commoner than "caused": the slip must not make the question look rarer.
    expect(misspelt.share).toBeGreaterThanOrEqual(spelt.share - 0.05);
    const exact = await candidate(engine, 'Why did the guard fall asleep?', 'Hostages were held at the fort after one guard fell asleep.');
    const slipped = await candidate(engine, 'Why did the guad fall asleep?', 'Hostages were held at the fort after one guard fell asleep.');
    expect(slipped.highlights.length).toBe(exact.highlights.length);
    expect(slipped.exactShare).toBeLessThan(exact.exactShare);
  });

  it('does not take a short English word for a slip ("fork" is not "fort")', async () => {
    const fork = await candidate(engine, 'Were hostages held at the fork?', 'Hostages were held at the fort after one guard fell asleep.');
    const text = 'Hostages were held at the fort after one guard fell asleep.';
    expect(fork.highlights.map((h) => text.slice(h.start, h.end))).not.toContain('fort');
  });

  it("counts what the document's title names for each of its passages, in the share but not the span's own, never highlighted", async () => {
    const titled = await engineOver('church', 'Methodist Church', ['The council meets every four years.', 'The Judicial Council is the highest court in the denomination.']);
    const text = 'The Judicial Council is the highest court in the denomination.';
    const quote = await candidate(titled, 'What is the highest court of the Methodist Church?', text);
    expect(quote.share).toBeGreaterThan(quote.ownShare);
    expect(quote.highlights.map((h) => text.slice(h.start, h.end))).toEqual(['highest', 'court']);
  });

  it('lets "which group…" find a passage naming a glossary term of that kind, without the word "group"', async () => {
    const paragraphs = ['The group held a rally in the capital last spring.', 'The Pakistani Taliban claimed the attack on the station.'];
    const taliban = { terms: ['Pakistani Taliban', 'TTP'] };
    const withKind = await engineOver('claim', 'Claim', paragraphs, { entries: [{ ...taliban, kind: 'militant group' }] });
    const withoutKind = await engineOver('claim', 'Claim', paragraphs, { entries: [taliban] });
    const question = 'Which group claimed the attack?';
    const named = await candidate(withKind, question, paragraphs[1]!);
    const unnamed = await candidate(withoutKind, question, paragraphs[1]!);
    expect(named.focusMissing).toBe(false);
    expect(unnamed.focusMissing).toBe(true);
    expect(unnamed.share).toBeLessThan(named.share);
  });

  it('takes a sentence opening with a content word as naming who acted, but not one opening with "The"', async () => {
    const witnesses = await engineOver('shots', 'Shots', ['Witnesses heard gunfire.', 'The valley heard gunfire.']);
    expect((await candidate(witnesses, 'Who heard gunfire?', 'Witnesses heard gunfire.')).answersCue).toBe(true);
    expect((await candidate(witnesses, 'Who heard gunfire?', 'The valley heard gunfire.')).answersCue).toBe(false);
  });

  it('marks a photo caption, and where each passage stands in its document', async () => {
    const captioned = await engineOver('gate', 'Gate', ['A guard stands at the gate [Source: Wire]', 'The guard at the gate was hit with a brick.']);
    const caption = await candidate(captioned, 'What happened to the guard at the gate?', 'A guard stands at the gate');
    const text = await candidate(captioned, 'What happened to the guard at the gate?', 'The guard at the gate was hit with a brick.');
    expect([caption.caption, text.caption]).toEqual([true, false]);
    expect([caption.lead, text.lead]).toEqual([1, 0.5]);
  });

  it('gives the share of the question the corpus never mentions, so a question about absent things can be told', async () => {
    const { set } = await engine.candidates('Did the helicopter pilots rescue the livestock from the river?');
    expect(set.question.absentShare).toBeGreaterThan(0.5);
    for (const c of set.candidates) expect(c.share).toBeLessThan(0.5);
  });

  it('credits a word the span lacks by its nearest word in meaning there ("ship" by "boat"), and a word it holds not at all', async () => {
    const boat = await candidate(engine, 'Were the families carried off by ship?', 'Rescue teams evacuated 120 families by boat.');
    const villages = await candidate(engine, 'Were the families carried off by ship?', 'Families were evacuated from the villages.');
    expect(boat.softShare).toBeGreaterThan(villages.softShare);
    expect(boat.softShare).toBeLessThan(1 - boat.share);
    const whole = await candidate(engine, 'Were families evacuated by boat?', 'Rescue teams evacuated 120 families by boat.');
    expect(whole.softShare).toBe(0);
  });

  it('keeps every share between 0 and 1, and BM25 as a share of the best passage', async () => {
    const { set } = await engine.candidates('river valley families group');
    expect(set.candidates.length).toBeGreaterThan(1);
    expect(Math.max(...set.candidates.map((c) => c.bm25))).toBe(1);
    for (const c of set.candidates) {
      for (const share of [c.share, c.ownShare, c.exactShare, c.heaviestMissing, c.softShare, c.passageShare, c.bm25]) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(1);
      }
      expect(c.byWords).toBe(true);
      expect(c.byMeaning).toBe(false);
    }
  });
});
