import { describe, expect, it } from 'vitest';
import { measureNoise, NOISES, type NoiseQuestion } from '../../src/eval/noise.js';
import { seededRandom } from '../../src/eval/typos.js';

const noise = (name: string) => {
  const found = NOISES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no noise "${name}"`);
  return found;
};

const QUESTION = 'Who seized the police station?';

describe('the input noise of npm run eval --noise', () => {
  it('adds exactly one control or format character, somewhere in the question', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 50; i++) {
      const noisy = noise('one control character').apply(QUESTION, random)!;
      expect(noisy).toHaveLength(QUESTION.length + 1);
      expect(noisy.replace(/[\p{Cc}\p{Cf}]/u, '')).toBe(QUESTION);
    }
  });

  it('adds exactly one combining accent, after a letter', () => {
    const random = seededRandom(2);
    for (let i = 0; i < 50; i++) {
      const noisy = noise('one stray accent').apply(QUESTION, random)!;
      const at = noisy.search(/\p{M}/u);
      expect(noisy.slice(0, at) + noisy.slice(at + 1)).toBe(QUESTION);
      expect(noisy[at - 1]).toMatch(/\p{L}/u);
    }
  });

  it('writes the question in capitals, ends it with "lol" or "??", and puts "4" for every "for"', () => {
    const random = seededRandom(3);
    expect(noise('all capitals').apply(QUESTION, random)).toBe('WHO SEIZED THE POLICE STATION?');
    expect(noise('trailing "lol"').apply(QUESTION, random)).toBe(`${QUESTION} lol`);
    expect(noise('trailing "??"').apply(QUESTION, random)).toBe('Who seized the police station??');
    expect(noise('trailing "??"').apply('who did it', random)).toBe('who did it??');
    expect(noise('"4" for "for"').apply('What did they ask for? For money?', random)).toBe('What did they ask 4? 4 money?');
    expect(noise('"4" for "for"').apply(QUESTION, random)).toBeUndefined();
  });

  it('places the same noise on every run with the same seed', () => {
    const place = (seed: number): string[] => {
      const random = seededRandom(seed);
      return NOISES.map((kind) => kind.apply(QUESTION, random) ?? '');
    };
    expect(place(2022)).toEqual(place(2022));
    expect(place(2022)).not.toEqual(place(2023));
  });

  it('reports, per kind of noise, top-1 clean and noisy on the questions it applies to, and the drop in points', async () => {
    const questions: NoiseQuestion[] = [
      { q: 'What is the river for?', expect: ['irrigation'] },
      { q: 'Who built the dam?', expect: ['engineers'] },
      { q: 'What is the capital of France?', expect: null },
    ];
    // A judge that gets every question right unless it ends in "lol", or holds a "4".
    const judge = (asked: readonly NoiseQuestion[]): Promise<boolean[]> => Promise.resolve(asked.map((question) => !/lol$|\b4\b/.test(question.q)));
    const lines: string[] = [];
    await measureNoise([{ file: 'set.jsonl', questions }], judge, { random: seededRandom(5), log: (line) => lines.push(line), showLost: true });
    const row = (name: string): string => lines.find((line) => line.trimStart().startsWith(name))!;
    expect(row('all capitals')).toMatch(/ 3 +100\.0 % → 100\.0 % +0\.0 +100\.0 % → +100\.0 %$/);
    expect(row('trailing "lol"')).toMatch(/ 3 +100\.0 % → +0\.0 % +100\.0 +100\.0 % → +0\.0 %$/);
    expect(row('"4" for "for"')).toMatch(/ 1 +100\.0 % → +0\.0 % +100\.0 +n\/a → +n\/a$/);
    expect(lines).toContain('    lost: "What is the river 4?"');
  });
});
