import { describe, expect, it } from 'vitest';
import { readFollowUp } from '../../src/conversation/follow-up.js';

const read = (question: string, quotes: readonly string[], followUp: string): ReturnType<typeof readFollowUp> => readFollowUp(followUp, { question, quotes });

describe('readFollowUp', () => {
  it('replaces a plural pronoun with the plural phrase of the previous question', () => {
    expect(read('Where were the 33 militants being held?', [], 'what links did they have?')).toEqual({ question: 'what links did the militants have?', usedContext: true });
  });

  it('replaces "he" with a name from the quoted passage when the question named none', () => {
    const quote = 'The defence minister, Khawaja Muhammad Asif, said all hostages were freed.';
    expect(read('Who is the defence minister?', [quote], 'who did he blame?').question).toBe('who did Khawaja Muhammad Asif blame?');
  });

  it('reads "it" as what the previous question asked about, or else its last singular phrase', () => {
    expect(read('Which group was behind the attack?', [], 'when did it emerge?').question).toBe('when did the group emerge?');
    expect(read('How many policemen were killed in the separate attack?', [], 'where was it?').question).toBe('where was the separate attack?');
    expect(read('When did the army take back the police station?', [], 'what was that in GMT?').question).toBe('what was the police station in GMT?');
  });

  it('keeps a possessive a possessive', () => {
    expect(read('What province is Bannu in?', [], 'what happened to its government?').question).toBe("what happened to the province's government?");
  });

  it('completes a bare wh-word with the previous question', () => {
    expect(read('Who seized the police station?', [], 'when?').question).toBe('when seized the police station?');
    expect(read('When did the TTP end its ceasefire?', [], 'with whom?').question).toBe('with whom did the TTP end its ceasefire?');
  });

  it('puts a fragment\'s own wh-phrase in place of the previous one', () => {
    expect(read('How many hostage-takers were killed?', [], 'and how many soldiers?').question).toBe('how many soldiers were killed?');
  });

  it('puts "what about X" in place of what the previous question asked about, and adds "and X" to it otherwise', () => {
    expect(read('How many hostage-takers were killed?', [], 'what about the hostages?').question).toBe('How many hostages were killed?');
    expect(read('how many soldiers were hurt', [], 'and killed?').question).toBe('how many soldiers were hurt and killed?');
  });

  it('gives a count without its noun the noun the previous question counted', () => {
    expect(read('how many soldiers were killed?', [], 'how many were injured?').question).toBe('how many soldiers were injured?');
  });

  it('leaves a question that stands on its own as asked', () => {
    for (const followUp of ['Were there explosions during the siege?', 'What is the capital of France?', 'thanks!', 'Is the TTP the same group as the Afghan Taliban?']) {
      expect(read('Who seized the police station?', [], followUp)).toEqual({ question: followUp, usedContext: false });
    }
  });

  it('takes "that" before a noun for a determiner, and "there" before "were" for existence, not for pronouns', () => {
    expect(read('Who seized the police station?', [], 'were there hostages that day?').usedContext).toBe(false);
  });

  it('reads "that" as what the previous answer said, and "there" as the place the previous question asked about', () => {
    expect(read('what did people nearby hear?', ['Witnesses of the siege reported explosions and heavy gunfire.'], 'who reported that?').question).toBe('who reported the siege?');
    expect(read('where is bannu', [], 'what was attacked there?').question).toBe('what was attacked in the bannu?');
  });

  it('keeps a name whole as the subject of a do-question, and does not take "how much was it" for a count without its noun', () => {
    expect(read('did Mr Asif say how many hostages there were?', [], 'who did he blame?').question).toBe('who did Mr Asif blame?');
    expect(read('what deal did the afghans agree', [], 'how much was it worth?').question).toBe('how much was the deal worth?');
  });

  it('keeps what the previous question asked about when a bare wh-word takes its place', () => {
    expect(read('what deal did the afghans agree', [], 'with who?').question).toBe('with who did the afghans agree the deal?');
  });

  it('leaves a pronoun alone when the previous turn offers nothing of its kind', () => {
    expect(read('When?', [], 'who did he blame?')).toEqual({ question: 'who did he blame?', usedContext: false });
  });
});
