/** Hostile and odd strings for the property-based tests, and checks that a reply is safe to send. */
import fc from 'fast-check';
import type { Answer } from '../../../src/answer/types.js';
import type { AnswerEngine } from '../../../src/answer/engine.js';
import type { Reply } from '../../../src/commands/command.js';

export const CONTROL = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f', '\u0085', '\u009b', '\u001b[31m'];
export const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e'];
export const RIGHT_TO_LEFT = ['\u202e', '\u202b', '\u200f', '\u2067', 'بنو', 'طالبان', 'שלום', '\u202ehostage\u202c'];
export const MENTIONS = ['@everyone', '@here', '<@&123456789012345678>', '<@123456789012345678>', '<@!123>', '<#123456789012345678>', '<t:0:R>', '<:emoji:123>', '@​everyone'];
export const MARKDOWN = [
  '```js\nalert(1)\n```',
  '```',
  '`code`',
  '**bold** __underline__ ~~strike~~ ||spoiler||',
  '# Heading',
  '-# subtext',
  '> quoted',
  '>>> all quoted',
  '[click me](https://evil.example/steal)',
  '[https://bbc.com](https://evil.example)',
  '<https://evil.example>',
  '\\*escaped\\*',
  '* list',
  '1. numbered',
];
export const REGEX = ['.*', '(a+)+$', '[', ']', '(', ')', '\\', '^$', '{1,}', '|', '?', '+', '$&', '$1', '\\d+\\', '(?<x>', '[^]'];
export const STOP_WORDS_ONLY = ['the of and a to', 'what is it', 'who was there', 'how did it', 'is it the', 'a an the'];
export const PUNCTUATION_ONLY = ['?', '!!!', '...', '?!?!', ';;;', '—–-', '“”‘’', '()[]{}', '#@%&*', '¿¡', '、。'];
export const REAL_QUESTIONS = [
  'How many hostage-takers were killed?',
  'Who seized the police station?',
  'What did the militants ask for?',
  'How were the hostages taken?',
  'Who is the defence minister?',
];

const pieces = fc.oneof(
  fc.constantFrom(...CONTROL, ...ZERO_WIDTH, ...RIGHT_TO_LEFT, ...MENTIONS, ...MARKDOWN, ...REGEX),
  fc.constantFrom(...STOP_WORDS_ONLY, ...PUNCTUATION_ONLY, ...REAL_QUESTIONS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // Lone surrogate halves, which are not valid text anywhere.
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), maxLength: 4 }),
);

/** Anything a person (or a script) might type as an option value: hostile pieces, mixed with real questions. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(pieces, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(...STOP_WORDS_ONLY, ...PUNCTUATION_ONLY, ...MENTIONS, ...MARKDOWN, ...REGEX) },
  // Long: at and around Discord's option limit, and a 10,000-character paste.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(299, 300, 301, 2000, 6000, 10_000), fc.constantFrom('a', 'siege ', '@everyone ', '🏳️‍🌈', '\u200b', '**', '`'))
      .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)),
  },
);

/** The text as it arrives after a trip through UTF-8 (a pipe, a WebSocket): lone surrogates become U+FFFD. */
export function throughUtf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Throws unless every quote (and the closest passage) of the answer is a verbatim piece of its passage. */
export function expectVerbatim(answer: Answer, engine: AnswerEngine): void {
  for (const quote of [...answer.quotes, ...(answer.closest ? [answer.closest] : [])]) {
    const view = engine.passage(quote.citation.passageId);
    if (!view) throw new Error(`quote cites an unknown passage ${quote.citation.passageId}`);
    if (quote.text.length === 0 || !view.passage.text.includes(quote.text)) {
      throw new Error(`quote is not verbatim text of ${quote.citation.passageId}: ${JSON.stringify(quote.text)}`);
    }
    for (const { start, end } of quote.highlights) {
      if (!(start >= 0 && start < end && end <= quote.text.length)) throw new Error(`highlight ${start}-${end} outside the quote`);
    }
  }
}

/** Every quoted piece of text a reply carries, for verbatim checks. */
export function repliedAnswer(reply: Reply): Answer | undefined {
  return reply.kind === 'answer' ? reply.answer : undefined;
}

interface MessageLike {
  readonly content?: unknown;
  readonly embeds?: unknown;
  readonly components?: unknown;
}

/**
 * Throws unless a message body fits Discord's limits (content 2,000; embed title 256, description 4,096, footer
 * 2,048, 6,000 in all; 5 rows of 5 buttons, labels 80, custom ids 100) and no mention markup is left unescaped
 * where Discord would render it (content and descriptions).
 */
export function expectWithinDiscordLimits(body: MessageLike): void {
  const fail = (what: string): never => {
    throw new Error(`${what}: ${JSON.stringify(body).slice(0, 500)}`);
  };
  const content = typeof body.content === 'string' ? body.content : '';
  if (content.length > 2000) fail('content over 2000');
  const embeds = (Array.isArray(body.embeds) ? body.embeds : []) as {
    title?: string;
    description?: string;
    footer?: { text: string };
    fields?: { name: string; value: string }[];
  }[];
  if (embeds.length > 10) fail('more than 10 embeds');
  let total = 0;
  for (const embed of embeds) {
    const title = embed.title ?? '';
    const description = embed.description ?? '';
    const footer = embed.footer?.text ?? '';
    if (title.length > 256) fail('title over 256');
    if (description.length > 4096) fail('description over 4096');
    if (footer.length > 2048) fail('footer over 2048');
    total += title.length + description.length + footer.length;
    for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
    if (hasLiveMention(description)) fail('a mention left unescaped in a description');
  }
  if (total > 6000) fail('embeds over 6000 in all');
  if (hasLiveMention(content)) fail('a mention left unescaped in the content');
  const rows = (Array.isArray(body.components) ? body.components : []) as { components: { label?: string; custom_id?: string }[] }[];
  if (rows.length > 5) fail('more than 5 rows');
  for (const row of rows) {
    if (row.components.length > 5) fail('more than 5 buttons in a row');
    for (const button of row.components) {
      if ((button.label ?? '').length > 80) fail('button label over 80');
      if ((button.custom_id ?? '').length > 100) fail('custom id over 100');
    }
  }
}

/**
 * `<@id>`, `<@&id>`, `<#id>` not escaped: preceded by an even number of backslashes (`\\<@1>` is an escaped
 * backslash and then a live mention), so Discord would render them as mentions.
 */
export function hasLiveMention(markdown: string): boolean {
  return /(?:^|[^\\])(?:\\\\)*<[@#]/.test(markdown);
}
