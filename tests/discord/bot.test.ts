import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCorpus, startHarness, type Harness } from '../support/bot-harness.js';
import { makeUser, type DispatchedInteraction } from '../support/discord-emulator.js';
import { buttonIds, embedLength, embedOf } from '../support/messages.js';

/**
 * A plain-text document full of characters that are markdown on Discord, about a topic the Bannu articles never
 * touch: its text is quoted as written, marks included, and must be escaped.
 */
const MARKDOWN_DOCUMENT = `---
id: harbour-notes
title: Harbour *notes* [draft](https://example.org)
source: Test <@123> desk
url: https://example.org/harbour_(notes)
---
# The lighthouse keeper @everyone spoke ||twice|| about the [storm](https://evil.example) near <@&456> at <t:0:R>.

- The lighthouse keeper counted __three__ ~~boats~~ and \`one\` crate.

> The lighthouse keeper quoted himself.
`;

/** A Markdown document: its heading is a section, its marks are not quoted. */
const SECTIONED_DOCUMENT = `---
id: ferry-guide
title: Ferry guide
source: Test desk
---
# Ferry guide

## Estuary crossings

The **ferry** crosses the *estuary* at dawn and again at [dusk](https://example.org/times).
`;

/** A very long paragraph of short sentences, and one sentence longer than any Discord field. */
const LONG_DOCUMENT = `---
id: quarry-log
title: Quarry log
source: Test desk
---
${'The granite causeway at the quarry was inspected by the surveyor on a cold morning. '.repeat(120).trim()}

The basalt embankment beside the old quarry road was measured${' and measured again by the careful surveyor'.repeat(130)}.
`;

const isEphemeral = (flags: unknown): boolean => (Number(flags ?? 0) & MessageFlags.Ephemeral) !== 0;

describe('the Discord bot, end to end with discord.js and the emulator', () => {
  let harness: Harness;
  let corpus: Awaited<ReturnType<typeof copyCorpus>>;

  beforeAll(async () => {
    corpus = await copyCorpus();
    await corpus.write('documents/harbour-notes.txt', MARKDOWN_DOCUMENT);
    await corpus.write('documents/ferry-guide.md', SECTIONED_DOCUMENT);
    await corpus.write('documents/quarry-log.txt', LONG_DOCUMENT);
    harness = await startHarness({ corpusDir: corpus.dir });
  });

  afterAll(async () => {
    await harness?.close();
    await corpus?.remove();
  });

  const ask = (options: Record<string, string | boolean>, user = makeUser('asker')): DispatchedInteraction =>
    harness.emulator.chatInput('ask', options, { user });

  it('answers /ask with block-quoted verbatim quotes, matched words in bold, and a citation for each', async () => {
    const interaction = ask({ question: 'How many hostage-takers were killed?' });
    const reply = await harness.emulator.waitForReply(interaction.id);
    const embed = embedOf(reply);
    expect(embed.title).toBe('From the articles');
    expect(embed.description).toMatch(/^> Pakistani security forces have retaken a police station that was captured, \*\*killing\*\* all 33 \*\*hostage-takers\*\*/);
    expect(embed.description).toContain('— *Pakistani forces retake Bannu police station seized by militants* (BBC), `bannu-siege#p2`, passage 2 of');
    expect(embed.footer?.text).toMatch(/^(?:Quote 1|Quotes 1–[23]) of \d+ · confidence [\d.]+ · Question: How many hostage-takers were killed\?$/);
    expect(isEphemeral(reply.body['flags'])).toBe(false);
    expect(buttonIds(reply)).toContain('passage:bannu-siege#p2');
  });

  it('says clearly when the articles do not answer, instead of guessing', async () => {
    const user = makeUser('curious');
    const interaction = ask({ question: 'What is the capital of France?' }, user);
    const embed = embedOf(await harness.emulator.waitForReply(interaction.id));
    expect(embed.title).toBe('Not in the articles');
    expect(embed.description).toMatch(/^The articles I have don't say\./);
    // The bot logs after Discord accepted the reply, so the line may come a moment later.
    await expect.poll(() => harness.log.lines.some((line) => /^interaction \/ask latency=\d+ms abstained$/.test(line))).toBe(true);
    expect([...harness.log.lines, ...harness.log.errors].join('\n')).not.toContain(user.id);
  });

  it('shows the answer only to the asker when private is true', async () => {
    const interaction = ask({ question: 'Who seized the police station?', private: true });
    const callback = await harness.emulator.waitForCallback(interaction.id);
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(callback.data?.['flags'])).toBe(true);
  });

  it('shows the whole passage of a quote, privately, when its button is clicked', async () => {
    const asked = ask({ question: 'How many hostage-takers were killed?' });
    await harness.emulator.waitForReply(asked.id);
    const click = harness.emulator.clickButton(harness.emulator.originalMessage(asked.id)!, 'passage:bannu-siege#p2');
    const reply = await harness.emulator.waitForReply(click.id);
    const passage = harness.library.current.engine.passage('bannu-siege#p2')!.passage;
    expect(isEphemeral(reply.body['flags'])).toBe(true);
    expect(embedOf(reply).description).toBe(`> ${passage.text}`);
    expect(embedOf(reply).footer?.text).toMatch(/^bannu-siege#p2 · passage 2 of \d+ · BBC · previous bannu-siege#p1 · next bannu-siege#p3$/);
  });

  it('shows the next quotes, privately, when "more quotes" is clicked', async () => {
    // Answered with each of the four articles' leads: more than one page.
    const question = 'What happened?';
    const first = ask({ question });
    const firstReply = await harness.emulator.waitForReply(first.id);
    const click = harness.emulator.clickButton(harness.emulator.originalMessage(first.id)!, 'more:1');
    const reply = await harness.emulator.waitForReply(click.id);
    expect(isEphemeral(reply.body['flags'])).toBe(true);
    expect(embedOf(reply).footer?.text).toMatch(new RegExp(`^Quotes? 4(–\\d+)? of \\d+ · confidence [\\d.]+ · Question: ${question.replace('?', '\\?')}$`));
    expect(embedOf(reply).description).not.toBe(embedOf(firstReply).description);
  });

  it('autocompletes /ask with previews of the passages that would answer', async () => {
    const typed = 'how many hostage-takers were killed';
    const typing = harness.emulator.autocomplete('ask', 'question', typed);
    const choices = (await harness.emulator.waitForCallback(typing.id)).data?.['choices'] as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value).toBe(typed);
    }
    expect(choices[0]?.name).toMatch(/^bannu-siege#p\d+ · /);
  });

  it('autocompletes a question longer than 100 characters within the limits', async () => {
    const typed = 'How many hostage-takers were killed when the security forces retook the police station in Bannu district '.repeat(2).trim();
    const typing = harness.emulator.autocomplete('ask', 'question', typed);
    const choices = (await harness.emulator.waitForCallback(typing.id)).data?.['choices'] as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  });

  it('autocompletes /source with passage ids and their first words, and never offers an empty list', async () => {
    const typing = harness.emulator.autocomplete('source', 'passage', 'bannu-siege#p1');
    const choices = (await harness.emulator.waitForCallback(typing.id)).data?.['choices'] as { name: string; value: string }[];
    expect(choices.map((choice) => choice.value)).toContain('bannu-siege#p1');
    expect(choices.find((choice) => choice.value === 'bannu-siege#p1')?.name).toMatch(/^bannu-siege#p1 · A Pakistani security official/);

    const nothing = harness.emulator.autocomplete('source', 'passage', 'zzqx-no-such-thing');
    const fallback = (await harness.emulator.waitForCallback(nothing.id)).data?.['choices'] as { name: string; value: string }[];
    expect(fallback).toHaveLength(1);
    expect(fallback[0]?.name.length).toBeGreaterThan(0);
  });

  it('shows a passage with /source, and says privately when there is no such passage', async () => {
    const shown = harness.emulator.chatInput('source', { passage: 'bannu-siege#p3' });
    const embed = embedOf(await harness.emulator.waitForReply(shown.id));
    expect(embed.description).toMatch(/^> Islamist militants from the Pakistani Taliban seized/);

    const missing = harness.emulator.chatInput('source', { passage: '@everyone <@123> **p9**' });
    const reply = await harness.emulator.waitForReply(missing.id);
    expect(isEphemeral(reply.body['flags'])).toBe(true);
    expect(reply.body['content']).toContain('There is no passage "@everyone \\<@123> \\*\\*p9\\*\\*"');
  });

  it('escapes the articles\' markdown: headings, lists, quotes, masked links, mentions, spoilers', async () => {
    const shown = harness.emulator.chatInput('source', { passage: 'harbour-notes#p1' });
    const embed = embedOf(await harness.emulator.waitForReply(shown.id));
    expect(embed.title).toBe('Harbour \\*notes\\* \\[draft](https://example.org)');
    expect(embed.description).toBe(
      '> \\# The lighthouse keeper @everyone spoke \\|\\|twice\\|\\| about the \\[storm](https://evil.example) near \\<@&456> at \\<t:0:R>.',
    );
    for (const [id, start] of [
      ['harbour-notes#p2', '> \\- The lighthouse keeper counted \\_\\_three\\_\\_ \\~\\~boats\\~\\~ and \\`one\\` crate.'],
      ['harbour-notes#p3', '> \\> The lighthouse keeper quoted himself.'],
    ] as const) {
      const next = harness.emulator.chatInput('source', { passage: id });
      expect(embedOf(await harness.emulator.waitForReply(next.id)).description).toBe(start);
    }

    const asked = ask({ question: 'What did the lighthouse keeper say about the storm?' });
    const answer = embedOf(await harness.emulator.waitForReply(asked.id));
    expect(answer.description).toContain('\\[**storm**](https://evil.example)');
    expect(answer.description).toContain('*Harbour \\*notes\\* \\[draft](https://example.org)* (Test \\<@123> desk), `harbour-notes#p1`');
    expect(answer.description).toContain('[article](https://example.org/harbour_%28notes%29)');
  });

  it('cites a Markdown document\'s section and quotes its words without their marks', async () => {
    const asked = ask({ question: 'When does the ferry cross the estuary?' });
    const answer = embedOf(await harness.emulator.waitForReply(asked.id));
    // Bold marks only the words matched; none of the document's own marks is quoted, escaped or not.
    expect(answer.description?.replaceAll('**', '')).toMatch(/^> The ferry crosses the estuary at dawn and again at dusk\.\n/);
    expect(answer.description).not.toContain('\\*');
    expect(answer.description).toContain('— *Ferry guide* (Test desk), section *Estuary crossings*, `ferry-guide#p1`, passage 1 of 1');
    expect(answer.description).not.toContain('example.org/times');
  });

  it('keeps a very long passage within Discord limits and says how much is not shown', async () => {
    const shown = harness.emulator.chatInput('source', { passage: 'quarry-log#p1' });
    const reply = await harness.emulator.waitForReply(shown.id);
    const embed = embedOf(reply);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    expect(embed.description).toMatch(/…\n\*\d+ more characters not shown\.\*$/);
    expect(harness.emulator.requests.find((request) => request.path.startsWith(`/interactions/${shown.id}/`))?.status).toBe(204);
  });

  it('cuts a quote longer than an embed at a word, within the limits', async () => {
    const asked = ask({ question: 'Was the basalt embankment by the quarry road measured?' });
    const reply = await harness.emulator.waitForReply(asked.id);
    const embed = embedOf(reply);
    expect(embed.description).toMatch(/^> The \*\*basalt\*\* \*\*embankment\*\* beside the old \*\*quarry\*\* \*\*road\*\* was \*\*measured\*\*/);
    expect(embed.description).toMatch(/…\n— \*Quarry log\*/);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
  });

  it('apologises privately when a reply fails, logs it, and keeps serving', async () => {
    // Four 500s exhaust discord.js's retries, so the answer never reaches Discord.
    harness.emulator.failNext('callback', { count: 4 });
    const failing = ask({ question: 'Who seized the police station?' });
    const apology = await harness.emulator.waitForReply(failing.id);
    expect(isEphemeral(apology.body['flags'])).toBe(true);
    expect(apology.body['content']).toMatch(/^⚠️ Sorry, something went wrong/);
    expect(harness.log.errors.some((line) => /^interaction \/ask latency=\d+ms failed: /.test(line))).toBe(true);

    const next = ask({ question: 'Who seized the police station?' });
    expect(embedOf(await harness.emulator.waitForReply(next.id)).title).toBe('From the articles');
  });

  it('logs one line per interaction with the command, latency and outcome, and never the token or who asked', () => {
    expect(harness.log.lines.length).toBeGreaterThan(10);
    for (const line of harness.log.lines) {
      expect(line).toMatch(/^interaction (\/\w+( autocomplete)?|button \w+) latency=\d+ms [\w=-]+$/);
    }
    expect([...harness.log.lines, ...harness.log.errors].join('\n')).not.toContain(harness.emulator.token);
  });

  it('sends every message with allowed_mentions that parse nothing', () => {
    expect(harness.emulator.sentMessages.length).toBeGreaterThan(10);
    for (const sent of harness.emulator.sentMessages) expect(sent.body['allowed_mentions']).toEqual({ parse: [] });
  });
});
