import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCorpus, startHarness, type Harness } from '../support/bot-harness.js';
import { MANAGE_GUILD, MEMBER_PERMISSIONS, makeUser } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';

const NEW_DOCUMENT = `---
id: lantern-festival
title: Lantern festival report
source: Test desk
---
The lantern festival drew a quiet crowd to the river bank.

Paper lanterns floated downstream until midnight.
`;

describe('/reload, for moderators only', () => {
  let harness: Harness;
  let corpus: Awaited<ReturnType<typeof copyCorpus>>;
  const moderator = { user: makeUser('moderator'), permissions: MEMBER_PERMISSIONS | MANAGE_GUILD };
  const member = { user: makeUser('member'), permissions: MEMBER_PERMISSIONS };

  beforeAll(async () => {
    corpus = await copyCorpus();
    harness = await startHarness({ corpusDir: corpus.dir, moderatorRoleIds: (emulator) => [emulator.moderatorRoleId] });
  });

  afterAll(async () => {
    await harness?.close();
    await corpus?.remove();
  });

  it('refuses a member without Manage Server, privately, and reloads nothing', async () => {
    await corpus.write('documents/lantern-festival.txt', NEW_DOCUMENT);
    const interaction = harness.emulator.chatInput('reload', {}, member);
    const callback = await harness.emulator.waitForCallback(interaction.id);
    const reply = await harness.emulator.waitForReply(interaction.id);
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(callback.data?.['flags']).toBe(MessageFlags.Ephemeral);
    expect(reply.body['content']).toMatch(/^⛔ Only moderators \(Manage Server, or a moderator role\) can use \/reload\. Nothing was changed\.$/);
    expect(harness.library.current.version).toBe(1);
  });

  it('reloads for a moderator and reports the documents and passages added, privately', async () => {
    const interaction = harness.emulator.chatInput('reload', {}, moderator);
    const callback = await harness.emulator.waitForCallback(interaction.id);
    const embed = embedOf(await harness.emulator.waitForReply(interaction.id));
    expect(callback.data?.['flags']).toBe(MessageFlags.Ephemeral);
    expect(embed.title).toBe('Corpus reloaded');
    expect(embed.description).toContain('**Documents added** (1): `lantern-festival`');
    expect(embed.description).toContain('**Passages added** (2): `lantern-festival#p1`, `lantern-festival#p2`');
    expect(harness.library.current.version).toBe(2);

    const asked = harness.emulator.chatInput('ask', { question: 'What floated downstream at the lantern festival?' });
    expect(embedOf(await harness.emulator.waitForReply(asked.id)).description).toContain('`lantern-festival#p2`');
  });

  it('lets a member holding a role from MODERATOR_ROLE_IDS reload too', async () => {
    const interaction = harness.emulator.chatInput('reload', {}, { ...member, roles: [harness.emulator.moderatorRoleId] });
    const embed = embedOf(await harness.emulator.waitForReply(interaction.id));
    expect(embed.title).toBe('Corpus reloaded');
    expect(embed.description).toContain('Nothing changed.');
  });

  it('reports a broken corpus by file and field while the previous corpus keeps serving', async () => {
    await corpus.write('documents/broken.txt', '---\nid: broken-report\nsource: Test desk\n---\nA paragraph without a title.\n');
    const interaction = harness.emulator.chatInput('reload', {}, moderator);
    const embed = embedOf(await harness.emulator.waitForReply(interaction.id));
    expect(embed.title).toBe('Reload refused: the previous corpus is still being served');
    expect(embed.description).toMatch(/^- documents\/broken\.txt: .*field "title": is required$/m);

    const asked = harness.emulator.chatInput('ask', { question: 'What floated downstream at the lantern festival?' });
    expect(embedOf(await harness.emulator.waitForReply(asked.id)).title).toBe('From the articles');
  });
});

describe('the /ask cooldown', () => {
  let harness: Harness;

  beforeAll(async () => {
    const corpus = await copyCorpus();
    // With three articles more, "What happened?" (each article's lead) has a second page.
    for (const id of ['flood', 'quake', 'storm']) await corpus.write(`documents/${id}.txt`, `---\nid: ${id}\ntitle: ${id}\nsource: Wire\n---\nThe ${id} reached the valley on Monday.\n`);
    harness = await startHarness({ corpusDir: corpus.dir, askCooldownSeconds: 30 });
    await corpus.remove();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('tells a user who asks again too soon, privately, how long to wait, and lets others ask meanwhile', async () => {
    const eager = makeUser('eager');
    const first = harness.emulator.chatInput('ask', { question: 'Who seized the police station?' }, { user: eager });
    expect(embedOf(await harness.emulator.waitForReply(first.id)).title).toBe('From the articles');

    const again = harness.emulator.chatInput('ask', { question: 'How many hostage-takers were killed?' }, { user: eager });
    const refusal = await harness.emulator.waitForReply(again.id);
    expect(refusal.body['flags']).toBe(MessageFlags.Ephemeral);
    expect(refusal.body['content']).toMatch(/^You're asking quickly! Please wait (30|29) more seconds before the next question\.$/);

    const other = harness.emulator.chatInput('ask', { question: 'How many hostage-takers were killed?' }, { user: makeUser('other') });
    expect(embedOf(await harness.emulator.waitForReply(other.id)).title).toBe('From the articles');
  });

  it('does not hold back the buttons under an answer', async () => {
    const reader = makeUser('reader2');
    const asked = harness.emulator.chatInput('ask', { question: 'What happened?' }, { user: reader });
    await harness.emulator.waitForReply(asked.id);
    const click = harness.emulator.clickButton(harness.emulator.originalMessage(asked.id)!, 'more:1', { user: reader });
    expect(embedOf(await harness.emulator.waitForReply(click.id)).footer?.text).toMatch(/^Quotes? 4(–\d+)? of /);
  });
});
