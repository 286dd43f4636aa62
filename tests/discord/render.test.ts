import { describe, expect, it } from 'vitest';
import type { Answer, Quote } from '../../src/answer/types.js';
import { moreQuotesId, parseButtonId, passageButtonId } from '../../src/discord/buttons.js';
import { Cooldown } from '../../src/discord/cooldown.js';
import { blockQuote, escapeHighlighted, escapeText } from '../../src/discord/markdown.js';
import { renderReply, toEditOptions, toReplyOptions } from '../../src/discord/render.js';
import type { PeerReport } from '../../src/fleet/peers.js';
import { embedLength } from '../support/messages.js';

const citation = {
  passageId: 'bannu-siege#p2',
  documentId: 'bannu-siege',
  documentTitle: 'Pakistani forces retake Bannu police station',
  source: 'BBC',
  position: 2,
  passageCount: 20,
};

function quote(text: string, highlights: Quote['highlights'] = []): Quote {
  return { text, citation, highlights, score: 1, coverage: 1 };
}

function answer(quotes: Quote[], overrides: Partial<Answer> = {}): Answer {
  return { question: 'q?', answered: true, quotes, totalQuotes: quotes.length, offset: 0, confidence: 0.9, mode: 'lexical', ...overrides };
}

describe('escaping article text for Discord', () => {
  it('leaves plain prose as it is', () => {
    expect(escapeText('Pakistani forces retook the station on Tuesday, officials said.')).toBe(
      'Pakistani forces retook the station on Tuesday, officials said.',
    );
  });

  it('escapes line-start markdown that escapeMarkdown leaves alone by default', () => {
    expect(escapeText('# Heading\n- item\n1. first\n> quoted\n-# small')).toBe('\\# Heading\n\\- item\n1\\. first\n\\> quoted\n\\-# small');
  });

  it('escapes inline markdown, masked links, mentions and timestamps', () => {
    expect(escapeText('*a* __b__ ~~c~~ ||d|| `e` [f](https://x.example) <@1> <t:0>')).toBe(
      '\\*a\\* \\_\\_b\\_\\_ \\~\\~c\\~\\~ \\|\\|d\\|\\| \\`e\\` \\[f](https://x.example) \\<@1> \\<t:0>',
    );
  });

  it('bolds highlights without letting the text\'s own asterisks pair with the markers', () => {
    const text = 'a *rare* case';
    expect(escapeHighlighted(text, [{ start: 2, end: 8 }])).toBe('a **\\*rare\\*** case');
  });

  it('bolds a highlight that spans a line break one line at a time', () => {
    expect(blockQuote(escapeHighlighted('one two\nthree four', [{ start: 4, end: 13 }]))).toBe('> one **two**\n> **three** four');
  });
});

describe('the answer footer', () => {
  const footerOf = (shown: Answer): string | undefined =>
    renderReply({ kind: 'answer', answer: shown, private: false }).embeds[0]?.footer?.text;

  it('says which quotes of how many it shows, and a lone quote as one', () => {
    const three = [quote('One.'), quote('Two.'), quote('Three.')];
    expect(footerOf(answer(three, { totalQuotes: 5 }))).toBe('Quotes 1–3 of 5 · confidence 0.90 · Question: q?');
    expect(footerOf(answer([quote('Five.')], { totalQuotes: 5, offset: 4 }))).toBe('Quote 5 of 5 · confidence 0.90 · Question: q?');
  });
});

describe('rendering replies within Discord limits', () => {
  it('keeps twenty-five long quotes within the description and the 6,000 total', () => {
    const long = quote('The siege went on. '.repeat(400));
    const message = renderReply({ kind: 'answer', answer: answer(Array.from({ length: 25 }, () => long)), private: false });
    const [embed] = message.embeds;
    expect(embed!.description!.length).toBeLessThanOrEqual(4096);
    expect(embedLength(embed!)).toBeLessThanOrEqual(6000);
    expect(message.components.every((row) => row.components.length <= 5)).toBe(true);
  });

  it('renders a passage of millions of characters quickly, cut to fit, saying how much is left out', () => {
    const text = 'A long record of the day. '.repeat(100_000);
    const started = performance.now();
    const [embed] = renderReply({
      kind: 'passage',
      view: {
        passage: { id: 'log#p1', documentId: 'log', position: 1, kind: 'paragraph', text, sentences: [] },
        document: { id: 'log', title: 'Log', source: 'Test', url: 'https://example.org/log' },
        passageCount: 1,
      },
      private: false,
    }).embeds;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(embedLength(embed!)).toBeLessThanOrEqual(6000);
    expect(embed!.description).toMatch(/…\n\*\d+ more characters not shown: read the rest in the article\.\*$/);
  });

  it('lists a refused reload\'s many problems up to the limit, then says how many more', () => {
    const problems = Array.from({ length: 500 }, (_, i) => ({ file: `documents/file-${i}.txt`, field: 'title', message: 'is required' }));
    const [embed] = renderReply({ kind: 'reload', outcome: { ok: false, joined: false, problems }, private: true }).embeds;
    expect(embed!.description!.length).toBeLessThanOrEqual(4096);
    expect(embed!.description).toMatch(/\n… and \d+ more$/);
  });

  it('names a quote\'s section in its citation, escaped, and none for a quote without one', () => {
    const sectioned = { ...quote('Rescue teams evacuated 120 families.'), citation: { ...citation, section: 'The *rescue* work' } };
    const description = renderReply({ kind: 'answer', answer: answer([sectioned, quote('Two.')]), private: false }).embeds[0]?.description;
    expect(description).toContain('— *Pakistani forces retake Bannu police station* (BBC), section *The \\*rescue\\* work*, `bannu-siege#p2`, passage 2 of 20');
    expect(description).toContain('— *Pakistani forces retake Bannu police station* (BBC), `bannu-siege#p2`, passage 2 of 20');
  });

  it('names a whole passage\'s section in its footer', () => {
    const [embed] = renderReply({
      kind: 'passage',
      view: {
        passage: { id: 'log#p2', documentId: 'log', position: 2, kind: 'paragraph', text: 'Two guards died.', sentences: [], section: 'Casualties' },
        document: { id: 'log', title: 'Log', source: 'Test' },
        passageCount: 3,
      },
      private: false,
    }).embeds;
    expect(embed?.footer?.text).toBe('log#p2 · passage 2 of 3 · section Casualties · Test');
  });

  it('counts one passage as "1 passage" in a reload report', () => {
    const none = { added: [], removed: [], changed: [] };
    const report = { documents: none, passages: none, documentCount: 1, passageCount: 1, glossaryChanged: false, milliseconds: 5, warnings: [] };
    const [embed] = renderReply({ kind: 'reload', outcome: { ok: true, joined: false, report }, private: true }).embeds;
    expect(embed!.description).toMatch(/^Now serving 1 document\(s\), 1 passage \(loaded in 5 ms\)\./);
  });

  it('names a file left outside documents/ in the reload report', () => {
    const warning = 'new-article.txt is outside documents/ and was not loaded';
    const none = { added: [], removed: [], changed: [] };
    const report = { documents: none, passages: none, documentCount: 1, passageCount: 20, glossaryChanged: false, milliseconds: 5, warnings: [warning] };
    const [embed] = renderReply({ kind: 'reload', outcome: { ok: true, joined: false, report }, private: true }).embeds;
    expect(embed!.description).toContain(`**Warning:** ${warning}`);
  });

  it('cuts a notice longer than 2,000 characters', () => {
    const message = renderReply({ kind: 'notice', tone: 'info', text: 'word '.repeat(1000), private: true });
    expect(message.content!.length).toBeLessThanOrEqual(2000);
    expect(message.content!.endsWith('…')).toBe(true);
  });

  it('marks private replies ephemeral and never lets a message mention anyone', () => {
    const message = renderReply({ kind: 'notice', tone: 'info', text: '@everyone', private: true });
    expect(toReplyOptions(message)).toMatchObject({ flags: 64, allowedMentions: { parse: [] } });
    expect(toEditOptions(message)).toMatchObject({ allowedMentions: { parse: [] } });
    expect(toEditOptions(message)).not.toHaveProperty('flags');
  });
});

describe('button ids', () => {
  it('round-trip the passage and the page they stand for', () => {
    expect(parseButtonId(passageButtonId('bannu-siege#p12'))).toEqual({ kind: 'passage', passageId: 'bannu-siege#p12' });
    expect(parseButtonId(moreQuotesId(3))).toEqual({ kind: 'more', page: 3 });
  });

  it('ignore ids this bot did not make', () => {
    expect(parseButtonId('more:abc')).toBeUndefined();
    expect(parseButtonId('passage:')).toBeUndefined();
    expect(parseButtonId('something-else')).toBeUndefined();
  });
});

describe('the cooldown', () => {
  it('holds a user back for the configured time, rounding the wait up to whole seconds', () => {
    let now = 0;
    const cooldown = new Cooldown(10, () => now);
    expect(cooldown.take('a')).toEqual({ ok: true });
    now = 2_500;
    expect(cooldown.take('a')).toEqual({ ok: false, secondsLeft: 8 });
    expect(cooldown.take('b')).toEqual({ ok: true });
    now = 10_000;
    expect(cooldown.take('a')).toEqual({ ok: true });
  });

  it('is off at zero seconds', () => {
    const cooldown = new Cooldown(0);
    expect(cooldown.take('a')).toEqual({ ok: true });
    expect(cooldown.take('a')).toEqual({ ok: true });
  });
});

describe('a reload that reached other processes', () => {
  const report = {
    documents: { added: [], removed: [], changed: [] },
    passages: { added: [], removed: [], changed: [] },
    documentCount: 1,
    passageCount: 20,
    glossaryChanged: false,
    milliseconds: 12,
    warnings: [],
  };
  const reload = (peers: PeerReport[]) =>
    renderReply({ kind: 'reload', outcome: { ok: true, joined: false, report }, fleet: { version: 'abc123def456', peers }, private: true }).embeds[0]!;

  it('says every process serves the new version when they all took it', () => {
    const embed = reload([{ process: 'shard 1 on desk pid 2', ok: true, version: 'abc123def456' }]);
    expect(embed.title).toBe('Corpus reloaded');
    expect(embed.description).toContain('**Every process** (2 of 2) now serves corpus version `abc123def456`.');
  });

  it('names each process that did not take it, and why, in a title that says so', () => {
    const embed = reload([
      { process: 'shard 1 on desk pid 2', ok: true, version: 'abc123def456' },
      { process: 'http port 8081 on desk pid 3', ok: false, problem: 'no answer within 15 s (still serving 0123456789ab)' },
    ]);
    expect(embed.title).toBe('Corpus reloaded here, but not in every process');
    expect(embed.description).toContain('**1 of 3 processes do not serve** corpus version `abc123def456`:\n- http port 8081 on desk pid 3: no answer within 15 s (still serving 0123456789ab)');
    expect(embed.description).not.toContain('shard 1');
  });
});
