import { describe, expect, it } from 'vitest';
import type { Glossary } from '../../src/corpus/types.js';
import { GlossaryLookup } from '../../src/search/glossary-lookup.js';
import { analyseQuestion, asksForTheStory, expandShorthand, type AnalysedQuestion } from '../../src/search/question.js';

const GLOSSARY: Glossary = {
  entries: [
    { terms: ['Pakistani Taliban', 'TTP', 'Tehrik-e-Taliban Pakistan'] },
    { terms: ['Taliban', 'Afghan Taliban'] },
    { terms: ['police', 'policemen'] },
    { terms: ['police station', 'CTD compound'] },
    { terms: ['took over', 'seized'] },
    { terms: ['hostage-takers', 'militants'] },
  ],
};
const lookup = new GlossaryLookup(GLOSSARY);

/** Each concept of the question as the words the question used. */
function conceptWords(question: AnalysedQuestion): string[] {
  return question.concepts.map((concept) => concept.words.map((word) => word.word).join(' '));
}

describe('analyseQuestion', () => {
  it('keeps content words as concepts and drops stop and question words', () => {
    const analysed = analyseQuestion('Why was the valley flooded on Monday?', new GlossaryLookup({ entries: [] }));
    expect(conceptWords(analysed)).toEqual(['valley', 'flooded', 'monday']);
    expect(analysed.concepts.every((concept) => concept.aliases === undefined)).toBe(true);
  });

  it('merges a multi-word glossary term into one concept carrying every alias', () => {
    const analysed = analyseQuestion('What did the Pakistani Taliban want?', lookup);
    expect(conceptWords(analysed)).toEqual(['pakistani taliban', 'want']);
    const [taliban] = analysed.concepts;
    expect(taliban?.aliases?.terms).toEqual(GLOSSARY.entries[0]!.terms);
    expect(taliban?.forms.map((form) => form.join(' '))).toEqual(['pakistani taliban', 'ttp', 'tehrik e taliban pakistan']);
  });

  it('prefers the longest glossary term: "police station" before "police"', () => {
    const analysed = analyseQuestion('Who guarded the police station?', lookup);
    expect(conceptWords(analysed)).toEqual(['guarded', 'police station']);
    expect(analysed.concepts[1]?.aliases?.terms).toContain('CTD compound');
    expect(conceptWords(analyseQuestion('Were police hurt?', lookup))).toEqual(['police', 'hurt']);
  });

  it('matches a glossary term made of stop words, such as "took over"', () => {
    const analysed = analyseQuestion('Who took over the station?', lookup);
    expect(conceptWords(analysed)).toEqual(['took over', 'station']);
    expect(analysed.concepts[0]?.aliases?.terms).toContain('seized');
  });

  it('matches glossary terms across case, hyphens and inflection', () => {
    const analysed = analyseQuestion('how many HOSTAGE TAKERS did the ttp send?', lookup);
    expect(analysed.concepts.map((concept) => concept.aliases?.terms[0])).toEqual(['hostage-takers', 'Pakistani Taliban', undefined]);
  });

  it('matches a long glossary phrase with one word a slip off, even when the slip makes another English word', () => {
    const deaths = new GlossaryLookup({ entries: [{ terms: ['lost their lives', 'killed'] }, { terms: ['took over', 'seized'] }] });
    expect(conceptWords(analyseQuestion('How many lost their lies?', deaths))).toEqual(['lost their lies']);
    expect(conceptWords(analyseQuestion('Who lst their lies?', deaths))).toEqual(['lst', 'lies']);
    expect(conceptWords(analyseQuestion('Who look over the station?', deaths))).toEqual(['look', 'station']);
  });

  it('prefers the glossary term the question spells out over one that only shares its stem', () => {
    const attacks = new GlossaryLookup({ entries: [{ terms: ['attackers', 'militants'] }, { terms: ['attacks', 'violence'] }] });
    expect(analyseQuestion('How many attacks were there?', attacks).concepts[0]?.aliases?.terms).toContain('violence');
    expect(analyseQuestion('How many attackers were there?', attacks).concepts[0]?.aliases?.terms).toContain('militants');
  });

  it("gives a word naming a glossary entry's kind that entry's terms: a \"group\" may be the Pakistani Taliban", () => {
    const kinds = new GlossaryLookup({
      entries: [
        { terms: ['Pakistani Taliban', 'TTP'], kind: 'militant group' },
        { terms: ['militants', 'gunmen'] },
      ],
    });
    const [group] = analyseQuestion('Which group claimed the attack?', kinds).concepts;
    expect(group?.instances?.map((form) => form.join(' '))).toEqual(['pakistani taliban', 'ttp']);
    // A kind is named by its head: a "militant group" is a group, not a militant.
    expect(analyseQuestion('Which militants were held?', kinds).concepts[0]?.instances).toBeUndefined();
    expect(analyseQuestion('What did the TTP claim?', kinds).concepts[0]?.instances).toBeUndefined();
  });

  it('marks the words capitalised inside the question as names, but not the capital every question starts with', () => {
    const analysed = analyseQuestion('Bannu saw Mehsud visit which town?', lookup);
    expect(conceptWords(analysed)).toEqual(['bannu', 'saw', 'mehsud', 'visit', 'town']);
    expect(analysed.concepts.map((concept) => concept.names[0])).toEqual([false, false, true, false, false]);
  });

  it('counts a concept once however often the question repeats it', () => {
    const analysed = analyseQuestion('TTP, the Pakistani Taliban: TTP?', lookup);
    expect(analysed.concepts).toHaveLength(1);
  });

  it('drops indefinite pronouns, which carry no topic: "Did anyone die?" is about dying', () => {
    expect(conceptWords(analyseQuestion('Did anyone die?', lookup))).toEqual(['die']);
    expect(conceptWords(analyseQuestion('Was someone or everybody hurt?', lookup))).toEqual(['hurt']);
  });

  it('has no concepts for a question made only of stop and question words', () => {
    expect(analyseQuestion('What was it?', lookup).concepts).toEqual([]);
    expect(analyseQuestion('  ', lookup).concepts).toEqual([]);
  });

  it.each([
    ['How many hostage-takers were killed?', 'number'],
    ['How much did the rebuilding cost?', 'number'],
    ['When did the army take back the station?', 'time'],
    ['What time did it end?', 'time'],
    ['How long did the siege last?', 'time'],
    ['Who seized the police station?', 'person'],
    ['By whom was it seized?', 'person'],
    ['Where is Bannu?', 'place'],
    ['Why did the ceasefire end?', undefined],
  ])('reads the cue of "%s" as %s', (question, kind) => {
    expect(analyseQuestion(question, lookup).cue?.kind).toBe(kind);
  });

  it('takes "people" in "how many people" as the slot of a count, not a word the answer must repeat', () => {
    const analysed = analyseQuestion('How many people died?', lookup);
    expect(analysed.cue).toEqual({ kind: 'number', slotWord: 'people' });
    expect(conceptWords(analysed)).toEqual(['died']);
    expect(analysed.focus).toBeUndefined();
  });

  it('takes the word naming what is wanted ("year" in "what year") as the cue\'s slot, not a concept', () => {
    const analysed = analyseQuestion('What year did the group emerge?', lookup);
    expect(analysed.cue).toEqual({ kind: 'time', slotWord: 'year' });
    expect(conceptWords(analysed)).toEqual(['group', 'emerge']);
  });

  it.each([
    ['How many children were killed?', 'children'],
    ['Which provincial government did he blame?', 'provincial'],
    ['How much money was paid?', 'money'],
  ])('takes the word after "how many" or "which" in "%s" as its focus (%s)', (question, focus) => {
    const analysed = analyseQuestion(question, lookup);
    expect(analysed.focus).toBeDefined();
    expect(conceptWords(analysed)[analysed.focus!]).toBe(focus);
  });

  it('names no focus when the question\'s form does not (a "what" may be followed by a verb)', () => {
    expect(analyseQuestion('What caused the standoff?', lookup).focus).toBeUndefined();
    expect(analyseQuestion('Who seized the station?', lookup).focus).toBeUndefined();
  });
});

describe('asksForTheStory', () => {
  it.each(['What happened?', "what's going on", '@everyone what happened', 'Hey, what is this about?', 'Tell me about it.', 'summary pls'])(
    'takes "%s" as asking for the story as a whole',
    (question) => {
      expect(asksForTheStory(question)).toBe(true);
    },
  );

  it.each(['What happened to the hostages?', 'What happened in Bannu?', 'What was it?', 'Who are you?', 'What is this?'])(
    'does not take "%s", which asks something in particular or nothing at all',
    (question) => {
      expect(asksForTheStory(question)).toBe(false);
    },
  );
});

describe('expandShorthand', () => {
  it('writes out chat shorthand, so "how many ppl died" is read as "how many people died"', () => {
    expect(expandShorthand('how many ppl died')).toBe('how many people died');
    expect(expandShorthand('what did the govt say, r u sure?')).toBe('what did the government say, are you sure?');
    const analysed = analyseQuestion('how many ppl died', lookup);
    expect(analysed.cue).toEqual({ kind: 'number', slotWord: 'people' });
    expect(conceptWords(analysed)).toEqual(['died']);
  });

  it('leaves capitals, abbreviations with full stops and words that merely contain shorthand alone', () => {
    for (const text of ['BC and U.S. forces', 'R&B', 'Apples are ripe', 'The gov.uk site', 'purple']) expect(expandShorthand(text)).toBe(text);
  });
});

describe('expandShorthand, on the noise a chat question carries', () => {
  it('drops chat interjections around a question, in any case, but keeps one that is all there is', () => {
    expect(expandShorthand('who seized the police station lol')).toBe('who seized the police station');
    expect(expandShorthand('omg, what happened in Bannu, LMAO')).toBe('what happened in Bannu');
    expect(expandShorthand('hahaha who did it')).toBe('who did it');
    expect(expandShorthand('lol')).toBe('lol');
    expect(expandShorthand('Lollipops and loler')).toBe('Lollipops and loler');
  });

  it('reads "4" as "for" and "2" as "to" only where no count could stand', () => {
    expect(expandShorthand('What is another name 4 the Pakistani Taliban?')).toBe('What is another name for the Pakistani Taliban?');
    expect(expandShorthand('What does TTP stand 4?')).toBe('What does TTP stand for?');
    expect(expandShorthand('what does TTP stand 4.')).toBe('what does TTP stand for.');
    expect(expandShorthand('what did they ask 4 freeing them')).toBe('what did they ask for freeing them');
    expect(expandShorthand('who did he talk 2 them about')).toBe('who did he talk to them about');
    for (const text of ['How many died in 4 days?', '4 of them died', 'were there 4?', 'at 4:30', 'about 2.5 km', '2% of them', 'Who were the 2 who died?', 'all 4 the same', 'the 4th day', 'It cost $2 more']) {
      expect(expandShorthand(text)).toBe(text);
    }
  });

  it('reads a question with control characters, a stray accent or in capitals as the same question', () => {
    const clean = conceptWords(analyseQuestion('Who seized the police station?', lookup));
    for (const noisy of ['Who sei\u0007zed the police station?', 'Who seized the po\u0301lice station?', 'WHO SEIZED THE POLICE STATION??']) {
      expect(conceptWords(analyseQuestion(noisy, lookup))).toEqual(clean);
    }
  });
});
