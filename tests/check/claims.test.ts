import { beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../../src/answer/engine.js';
import { CLAIM_LIMITS, checkClaims, claimsOf } from '../../src/check/claims.js';
import { Library } from '../../src/library/library.js';
import { REPO_CORPUS } from '../support/bot-harness.js';

describe('claimsOf', () => {
  it('takes each sentence of a message as a claim', () => {
    expect(claimsOf('The army retook the station. Nobody was hurt!\nAll 33 attackers died')).toEqual({
      kind: 'claims',
      claims: ['The army retook the station.', 'Nobody was hurt!', 'All 33 attackers died'],
      leftOut: 0,
    });
  });

  it('leaves out mentions, custom emoji, timestamps, links and code, which are not claims', () => {
    const claims = claimsOf('<@123456789012345678> <@&223456789012345678> @everyone said <:cry:323456789012345678> at <t:1670000000:R> `rm -rf` https://example.org/x that 33 died');
    expect(claims).toEqual({ kind: 'claims', claims: ['said at that 33 died'], leftOut: 0 });
  });

  it('says a message of only code, or with no words, has nothing to check', () => {
    expect(claimsOf('```js\nconsole.log("the siege")\n```')).toEqual({ kind: 'nothing', reason: 'code' });
    expect(claimsOf('')).toEqual({ kind: 'nothing', reason: 'empty' });
    expect(claimsOf('🙂 !!! <@123456789012345678>')).toEqual({ kind: 'nothing', reason: 'empty' });
  });

  it('checks only the first sentences of a long message, each cut to the length of a question, and counts the rest', () => {
    const long = `${'word '.repeat(400)}end.`;
    const claims = claimsOf([long, ...Array.from({ length: 9 }, (_, i) => `Sentence ${i}.`)].join(' '));
    expect(claims.kind === 'claims' && claims.claims.length).toBe(CLAIM_LIMITS.claims);
    expect(claims.kind === 'claims' && claims.claims[0]!.length).toBeLessThanOrEqual(CLAIM_LIMITS.claimLength);
    expect(claims.kind === 'claims' && claims.leftOut).toBe(10 - CLAIM_LIMITS.claims);
  });
});

describe('checkClaims', () => {
  let engine: AnswerEngine;

  beforeAll(async () => {
    engine = (await Library.load(REPO_CORPUS)).current.engine;
  });

  it('quotes the passages that bear on a claim the articles cover, each passage once', async () => {
    const check = await checkClaims((claim, page) => engine.answer(claim, page), ['Militants from the Pakistani Taliban seized the centre in Bannu.', 'The Pakistani Taliban seized the centre.']);
    expect(check.quotes.map((quote) => quote.citation.passageId)).toContain('bannu-siege#p3');
    const keys = check.quotes.map((quote) => `${quote.citation.passageId} ${quote.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(check.checked).toBe(2);
  });

  it('finds nothing for a claim the articles never mention', async () => {
    expect((await checkClaims((claim, page) => engine.answer(claim, page), ['The siege was filmed by a famous movie director.'])).quotes).toEqual([]);
  });
});
