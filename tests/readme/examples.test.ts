import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstQuotes, holdsClaim, makeExamples, parseReadme, README, withExamples } from '../../src/readme/examples.js';

/**
 * Every example in the README, made again by the real programs (the console process, `npm run -s console --
 * --json` as written, the bot's /ask and Discord renderer) and compared with what the README shows. When answers
 * change on purpose, `npm run readme-examples -- --write` remakes the blocks; claims are reworded by hand.
 */
const text = readFileSync(README, 'utf8');
const { examples, claims } = parseReadme(text);
const PROCESS_TIMEOUT = 240_000;

describe('the README', { timeout: PROCESS_TIMEOUT }, () => {
  let made: string[];
  let quotes: (string | undefined)[];

  beforeAll(async () => {
    [made, quotes] = await Promise.all([makeExamples(examples), firstQuotes(claims)]);
  }, PROCESS_TIMEOUT);

  it('has a console, a --json and a Discord example, and claims about what questions find', () => {
    expect(examples.map((example) => example.kind).sort()).toEqual(['console', 'discord', 'json']);
    expect(claims.length).toBeGreaterThan(0);
  });

  for (const [i, example] of examples.entries()) {
    const what = example.kind === 'console' ? example.lines.join(' / ') : example.kind === 'json' ? example.command : example.question;
    it(`shows what the ${example.kind} prints for ${what} (npm run readme-examples -- --write remakes it)`, () => {
      expect(example.shown).toBe(made[i]);
    });
  }

  for (const [i, claim] of claims.entries()) {
    it(`is right that "${claim.question}" finds "${claim.finds}" (line ${claim.line})`, () => {
      expect(holdsClaim(quotes[i], claim.finds), `the first quote is ${JSON.stringify(quotes[i])}`).toBe(true);
    });
  }
});

describe('the README examples tool', () => {
  it('puts remade blocks in place of the old ones, leaving the rest of the README as it was', () => {
    const remade = withExamples(text, examples, examples.map((_, i) => `block ${i}\n`));
    const again = parseReadme(remade);
    expect(again.examples.map((example) => example.shown)).toEqual(examples.map((_, i) => `block ${i}\n`));
    expect(withExamples(remade, again.examples, examples.map((example) => example.shown))).toBe(text);
  });

  it('holds a claim only when the first quote has its parts, in order', () => {
    const quote = 'The Pakistani Taliban – also known as the TTP – confirmed it was behind the attack.';
    expect(holdsClaim(quote, 'The Pakistani Taliban … confirmed it was behind the attack')).toBe(true);
    expect(holdsClaim(quote, 'confirmed it … The Pakistani Taliban')).toBe(false);
    expect(holdsClaim('The group stepped up its attacks.', 'The Pakistani Taliban')).toBe(false);
    expect(holdsClaim(undefined, 'anything')).toBe(false);
  });

  it('reads wrapped claims and names a marker with no block after it', () => {
    expect(parseReadme('so "Which group\n  was it?" finds "The\n  group"').claims).toEqual([{ question: 'Which group was it?', finds: 'The group', line: 1 }]);
    expect(() => parseReadme('<!-- example: console -->\nno block')).toThrow(/line 1: the console example marker is not followed by a fenced block/);
  });
});
