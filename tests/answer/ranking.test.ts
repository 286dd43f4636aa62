import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerEngine, DEFAULT_ANSWER_ENGINE_OPTIONS } from '../../src/answer/engine.js';
import { DEFAULT_RANKING_OPTIONS } from '../../src/answer/ranking.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import type { Glossary } from '../../src/corpus/types.js';
import { documentFile, makeCorpus, removeTempDirs } from '../fixtures/corpus.js';

/** An engine over one document, `<id>.txt`, with the given title and paragraphs (and glossary, if any). */
async function engineOver(id: string, title: string, paragraphs: readonly string[], glossary?: Glossary): Promise<AnswerEngine> {
  const directory = await makeCorpus({ documents: { [`${id}.txt`]: documentFile({ id, title, source: 'Wire' }, paragraphs) }, glossary });
  return AnswerEngine.build(await loadCorpus(directory));
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

describe('quote ranking', () => {
  it('quotes two adjacent sentences when the answer needs both', async () => {
    const answer = await engine.answer('When was the group led by Baitullah Mehsud founded?');
    expect(answer.quotes[0]?.text).toBe('The group was founded in 2007. It was later led by Baitullah Mehsud.');
  });

  it('quotes one sentence when one covers the question', async () => {
    const answer = await engine.answer('Who was Baitullah Mehsud?');
    expect(answer.quotes[0]?.text).toBe('It was later led by Baitullah Mehsud.');
  });

  it('prefers, for "how many", the sentence that holds a number', async () => {
    const answer = await engine.answer('How many families were evacuated?');
    expect(answer.quotes[0]?.text).toBe('Rescue teams evacuated 120 families by boat.');
  });

  it('answers "how many people" with any count, as people are counted by what they are ("120 families")', async () => {
    const answer = await engine.answer('How many people were evacuated?');
    expect(answer.answered).toBe(true);
    expect(answer.quotes[0]?.text).toBe('Rescue teams evacuated 120 families by boat.');
  });

  it('takes, for "how many X", only a number standing before X as its count', async () => {
    // "one" counts the guard, not the hostages.
    const [hostages] = await engine.rank('How many hostages were held?');
    expect(hostages?.passageId).toBe('history#p5');
    expect(hostages!.coverage).toBeLessThan(0.5);
    const [families] = await engine.rank('How many families were evacuated?');
    expect(families?.coverage).toBeGreaterThan(0.9);
  });

  it('ranks a passage covering every word of the question above one repeating a single word', async () => {
    const ranked = await engine.rank('When did the river flood the Swat valley?');
    expect(ranked[0]?.passageId).toBe('history#p4');
    expect(ranked[0]!.coverage).toBeGreaterThan(0.9);
    const repeated = ranked.find((quote) => quote.passageId === 'history#p3');
    expect(repeated!.coverage).toBeLessThan(1);
    expect(repeated!.score).toBeLessThan(ranked[0]!.score);
  });

  it('weighs a misspelt word the corpus lacks as the common word it stands for, not as an unheard-of name', async () => {
    const [spelt] = await engine.rank('What caused the families to be evacuated?');
    const [misspelt] = await engine.rank('What cused the families to be evacuated?');
    expect(misspelt?.passageId).toBe(spelt?.passageId);
    // "cused" reads as "used", a little commoner than "caused": the slip must not make the question look rarer.
    expect(misspelt!.coverage).toBeGreaterThanOrEqual(spelt!.coverage - 0.05);
  });

  it('matches a short word English lacks to the corpus word a slip away, but not a short English word', async () => {
    const [dropped] = await engine.rank('Why did the guad fall asleep?');
    expect(dropped?.passageId).toBe('history#p5');
    const text = engine.passage('history#p5')!.passage.text;
    expect(dropped!.highlights.map((h) => text.slice(h.start, h.end))).toContain('guard');
    // "fork" is a word of its own, not a slip for "fort".
    const [fork] = await engine.rank('Were hostages held at the fork?');
    expect(fork!.highlights.map((h) => text.slice(h.start, h.end))).not.toContain('fort');
  });

  it("counts what the document's title names for each of its passages, at a discount and never highlighted", async () => {
    const titled = await engineOver('church', 'Methodist Church', [
      'The council meets every four years.',
      'The Judicial Council is the highest court in the denomination.',
    ]);
    const [quote] = await titled.rank('What is the highest court of the Methodist Church?');
    expect(quote?.passageId).toBe('church#p2');
    expect(quote!.coverage).toBeGreaterThan(0.5);
    expect(quote!.coverage).toBeLessThan(1);
    const text = 'The Judicial Council is the highest court in the denomination.';
    expect(quote!.highlights.map((h) => text.slice(h.start, h.end))).toEqual(['highest', 'court']);
  });

  it('answers "which group…" with a passage naming a glossary term of that kind, without the word "group"', async () => {
    const paragraphs = ['The group held a rally in the capital last spring.', 'The Pakistani Taliban claimed the attack on the station.'];
    const taliban = { terms: ['Pakistani Taliban', 'TTP'] };
    const withKind = await engineOver('claim', 'Claim', paragraphs, { entries: [{ ...taliban, kind: 'militant group' }] });
    const withoutKind = await engineOver('claim', 'Claim', paragraphs, { entries: [taliban] });
    const question = 'Which group claimed the attack?';
    const [named] = await withKind.rank(question);
    expect(named?.passageId).toBe('claim#p2');
    expect((await withKind.answer(question)).answered).toBe(true);
    // Without the kind, the passage lacks what "which group" asks about, so it is not a confident answer.
    const unnamed = (await withoutKind.rank(question)).find((quote) => quote.passageId === 'claim#p2');
    expect(unnamed!.coverage).toBeLessThan(named!.coverage);
  });

  it('ranks lower a passage without the number a "how many" question asks for, and leaves one with it alone', async () => {
    const directory = await makeCorpus({
      documents: { 'fort.txt': documentFile({ id: 'fort', title: 'Fort', source: 'Wire' }, ['The army freed the hostages held at the old fort by the rebels.', 'Soldiers freed 12 hostages.']) },
    });
    const corpus = await loadCorpus(directory);
    const scores = async (cueMissingFactor: number): Promise<Map<string, number>> => {
      const ranking = { ...DEFAULT_RANKING_OPTIONS, cueMissingFactor };
      const built = await AnswerEngine.build(corpus, { ...DEFAULT_ANSWER_ENGINE_OPTIONS, ranking });
      return new Map((await built.rank('How many hostages did the army free at the old fort?')).map((quote) => [quote.passageId, quote.score]));
    };
    const [unchanged, lowered] = [await scores(1), await scores(0.5)];
    expect(lowered.get('fort#p1')).toBeCloseTo(unchanged.get('fort#p1')! * 0.5, 9);
    expect(lowered.get('fort#p2')).toBeCloseTo(unchanged.get('fort#p2')!, 9);
  });

  it('takes a sentence opening with a content word as naming who acted, but not one opening with "The"', async () => {
    const witnesses = await engineOver('shots', 'Shots', ['Witnesses heard gunfire.', 'The valley heard gunfire.']);
    const ranked = await witnesses.rank('Who heard gunfire?');
    const coverageOf = (id: string): number => ranked.find((quote) => quote.passageId === id)!.coverage;
    expect(coverageOf('shots#p1')).toBeCloseTo(1, 9);
    expect(coverageOf('shots#p2')).toBeLessThan(0.9);
  });

  it('cites the article text before a photo caption that says as much', async () => {
    const captioned = await engineOver('gate', 'Gate', ['A guard stands at the gate [Source: Wire]', 'The guard at the gate was hit with a brick.']);
    expect(captioned.passage('gate#p1')?.passage.kind).toBe('caption');
    expect((await captioned.rank('What happened to the guard at the gate?')).map((quote) => quote.passageId)).toEqual(['gate#p2', 'gate#p1']);
  });

  it('sorts the ranking by score, with coverages between 0 and 1', async () => {
    const ranked = await engine.rank('river valley families group');
    expect(ranked.length).toBeGreaterThan(1);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.score).toBeLessThanOrEqual(ranked[i - 1]!.score);
    for (const quote of ranked) {
      expect(quote.coverage).toBeGreaterThanOrEqual(0);
      expect(quote.coverage).toBeLessThanOrEqual(1);
    }
  });

  it('gives no credit for a word the corpus lacks, so a question mostly about absent things abstains', async () => {
    const answer = await engine.answer('Did the helicopter pilots rescue the livestock from the river?');
    expect(answer.answered).toBe(false);
    expect(answer.confidence).toBeLessThan(0.5);
  });

  it('does not add a sentence that shares no word with the question just because it holds a year', async () => {
    const quotes = (await engine.answer('When did the river flood the Swat valley?', { limit: 10 })).quotes;
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect(quote.text).not.toContain('The valley is green. The group was founded in 2007.');
  });
});
