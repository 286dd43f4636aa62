import { describe, expect, it } from 'vitest';
import { questionWords, wordGrouping, type AskedQuestion } from '../../src/store/grouping.js';

const asked = (text: string, count = 1, lastAskedAt = 0): AskedQuestion => ({ text, words: questionWords(text), count, lastAskedAt });

describe('questionWords', () => {
  it('keeps the stemmed content words of a question, sorted and once each', () => {
    expect(questionWords('Were any journalists hurt? Journalists, I mean.')).toEqual(['hurt', 'journalist', 'mean']);
  });

  it('is empty for a question made only of question and stop words', () => {
    expect(questionWords('What is it?')).toEqual([]);
  });
});

describe('wordGrouping', () => {
  const group = wordGrouping();

  it('puts a rewording with the same content words in the group of the most asked wording', () => {
    const groups = group([asked('Any journalists hurt in the siege?', 1), asked('Were any journalists hurt?', 3), asked('Who paid the ransom?', 2)]);
    expect(groups.map((members) => members.map((member) => member.text))).toEqual([
      ['Were any journalists hurt?', 'Any journalists hurt in the siege?'],
      ['Who paid the ransom?'],
    ]);
  });

  it('keeps questions that share only some words apart', () => {
    const groups = group([asked('Were journalists hurt?'), asked('Were journalists paid?')]);
    expect(groups).toHaveLength(2);
  });

  it('keeps each question without content words on its own', () => {
    expect(group([asked('???'), asked('What is it?')])).toHaveLength(2);
  });

  it('finds every near-duplicate that comparing all pairs finds, on many questions', () => {
    const words = ['siege', 'police', 'ransom', 'army', 'hostage', 'taliban', 'station', 'bannu', 'killed', 'wounded', 'night'];
    const questions: AskedQuestion[] = [];
    for (let i = 0; i < 300; i++) {
      const picked = words.filter((_, w) => (i * 7 + w * 13) % 5 < 2 + (i % 3));
      questions.push({ text: `q${i}`, words: [...new Set(picked)].sort(), count: (i * 31) % 17, lastAskedAt: i });
    }
    const groups = group(questions);
    expect(groups.flat()).toHaveLength(questions.length);
    // Each member is similar enough to its group's first question, and no question starting a group was similar
    // enough to an earlier group's first question (the greedy rule, checked against all pairs).
    const jaccard = (a: readonly string[], b: readonly string[]): number => {
      const shared = a.filter((word) => b.includes(word)).length;
      const union = new Set([...a, ...b]).size;
      return union === 0 ? 0 : shared / union;
    };
    for (const members of groups) for (const member of members.slice(1)) expect(jaccard(members[0]!.words, member.words)).toBeGreaterThanOrEqual(0.6);
    const heads = groups.map((members) => members[0]!);
    heads.forEach((head, index) => {
      for (const earlier of heads.slice(0, index)) if (head.words.length > 0) expect(jaccard(earlier.words, head.words)).toBeLessThan(0.6);
    });
  });
});
