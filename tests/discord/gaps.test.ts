import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InteractionResponseType, MessageFlags, type APIEmbed, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestionLog } from '../../src/store/question-log.js';
import { REPO_CORPUS, startHarness, type Harness } from '../support/bot-harness.js';
import { MANAGE_GUILD, MEMBER_PERMISSIONS, makeUser, type SentMessage } from '../support/discord-emulator.js';
import { buttonIds, embedOf } from '../support/messages.js';

const moderator = { user: makeUser('moderator'), permissions: MEMBER_PERMISSIONS | MANAGE_GUILD };
const member = { user: makeUser('member'), permissions: MEMBER_PERMISSIONS };
const other = { user: makeUser('other-member'), permissions: MEMBER_PERMISSIONS };
const isEphemeral = (flags: unknown): boolean => (Number(flags ?? 0) & MessageFlags.Ephemeral) !== 0;

describe('/gaps and the feedback buttons, end to end with a real SQLite file', () => {
  let dir: string;
  let questions: QuestionLog;
  let harness: Harness;

  const start = async (): Promise<void> => {
    questions = QuestionLog.open({ dataDir: dir, record: true, retentionDays: 90 });
    harness = await startHarness({ corpusDir: REPO_CORPUS, questions });
  };
  const stop = async (): Promise<void> => {
    await harness.close();
    await questions.close();
  };
  const ask = async (question: string, actor = member): Promise<{ reply: SentMessage; message: APIMessage }> => {
    const interaction = harness.emulator.chatInput('ask', { question }, actor);
    const reply = await harness.emulator.waitForReply(interaction.id);
    return { reply, message: harness.emulator.originalMessage(interaction.id)! };
  };
  const gaps = async (options: Record<string, string | number> = {}, actor = moderator): Promise<APIEmbed> => {
    const interaction = harness.emulator.chatInput('gaps', options, actor);
    const reply = await harness.emulator.waitForReply(interaction.id);
    expect(isEphemeral(reply.body['flags'])).toBe(true);
    return embedOf(reply);
  };
  const click = async (message: APIMessage, customId: string, actor = member): Promise<string> => {
    const interaction = harness.emulator.clickButton(message, customId, actor);
    const callback = await harness.emulator.waitForCallback(interaction.id);
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(callback.data?.['flags'])).toBe(true);
    return String(callback.data?.['content']);
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incident-desk-gaps-'));
    await start();
  });

  afterAll(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists an abstention in /gaps for a moderator, grouped with its rewording, with its count', async () => {
    await ask('Were any journalists hurt?');
    await ask('Were any journalists hurt?', other);
    await ask('Any journalists hurt in the siege?');
    await ask('How many hostage-takers were killed?');
    const embed = await gaps();
    expect(embed.title).toBe('Gaps: the last 30 day(s)');
    expect(embed.description).toContain('4 question(s) asked in the last 30 day(s); 3 not answered, or answered with low confidence.');
    expect(embed.description).toMatch(
      /1\. \*\*Were any journalists hurt\?\*\*: 3 time\(s\), last <t:\d+:R>\n {3}also asked as “Any journalists hurt in the siege\?”/,
    );
    expect(embed.description).not.toContain('How many hostage-takers were killed?');
  });

  it('refuses /gaps to a member without Manage Server, privately', async () => {
    const interaction = harness.emulator.chatInput('gaps', {}, member);
    const reply = await harness.emulator.waitForReply(interaction.id);
    expect(isEphemeral(reply.body['flags'])).toBe(true);
    expect(reply.body['content']).toBe('⛔ Only moderators (Manage Server, or a moderator role) can use /gaps. Nothing was changed.');
    expect(harness.emulator.registeredCommands().find((command) => command.name === 'gaps')?.default_member_permissions).toBe('32');
  });

  it('puts the feedback buttons under an answer, counts one vote per member, and lets a second click change it', async () => {
    const { reply, message } = await ask('Who seized the police station?');
    const [helpful, wrong] = buttonIds(reply).filter((id) => id.startsWith('vote:'));
    expect([helpful, wrong].map((id) => id?.replace(/\d+$/, 'N'))).toEqual(['vote:helpful:N', 'vote:wrong:N']);
    const before = harness.emulator.sentMessages.length;
    expect(await click(message, wrong!)).toBe('Thanks: noted that a quote was wrong for your question. Moderators see it in /gaps.');
    expect(await click(message, wrong!)).toBe('You already said that about this answer; it is counted once.');
    expect(await click(message, helpful!)).toBe('Changed your vote. Thanks: noted that this answered your question.');
    expect((await gaps()).description).toContain('**Quotes marked wrong** (0)');
    expect(await click(message, wrong!)).toMatch(/^Changed your vote\. /);
    expect(await click(message, wrong!, other)).toMatch(/^Thanks: /);
    // Every acknowledgement was private: no message went to the channel.
    expect(harness.emulator.sentMessages.slice(before).every((sent) => isEphemeral(sent.body['flags']))).toBe(true);
    const embed = await gaps();
    expect(embed.description).toMatch(/\*\*Quotes marked wrong\*\* \(1\)\n`bannu-siege#p3`: marked wrong 2 time\(s\), last for “Who seized the police station\?”\n> .*seized the centre/);
  });

  it('keeps what it recorded across a restart of the bot', async () => {
    await stop();
    await start();
    const embed = await gaps();
    expect(embed.description).toContain('**Were any journalists hurt?**: 3 time(s)');
    expect(embed.description).toContain('marked wrong 2 time(s)');
  });

  it('pages the groups with buttons that replace the page in place', async () => {
    const topics = ['football', 'elections', 'airport', 'museum', 'bridge', 'vaccine', 'festival', 'cricket', 'earthquake', 'harvest'];
    for (const topic of topics) await ask(`What about the ${topic} in Bannu?`);
    const interaction = harness.emulator.chatInput('gaps', {}, moderator);
    const first = await harness.emulator.waitForReply(interaction.id);
    expect(embedOf(first).footer?.text).toBe('Page 1 of 2');
    expect(buttonIds(first)).toEqual(['gaps:30:0', 'gaps:30:1']);
    const page = harness.emulator.clickButton(harness.emulator.originalMessage(interaction.id)!, 'gaps:30:1', moderator);
    const callback = await harness.emulator.waitForCallback(page.id);
    expect(callback.type).toBe(InteractionResponseType.UpdateMessage);
    const embeds = callback.data?.['embeds'] as APIEmbed[];
    expect(embeds[0]!.footer?.text).toBe('Page 2 of 2');
    expect(embeds[0]!.description).toMatch(/^\d+ question\(s\)[\s\S]*\n11\. \*\*/);
  });

  it('shows in /help that questions are recorded, and for how long', async () => {
    const interaction = harness.emulator.chatInput('help', {}, member);
    expect(embedOf(await harness.emulator.waitForReply(interaction.id)).description).toContain(
      '**Question recording:** on: question text, time, server and outcome are kept 90 days; never who asked',
    );
  });

  it('shows a hostile question as plain text: no markdown, no link, no ping', async () => {
    await ask('<@123456789012345678> @everyone **weather** [forecast](https://evil.example) for ||Bannu||?');
    const interaction = harness.emulator.chatInput('gaps', { days: 1 }, moderator);
    const reply = await harness.emulator.waitForReply(interaction.id);
    expect(reply.body['allowed_mentions']).toEqual({ parse: [] });
    expect(embedOf(reply).description).toContain(
      '**\\<@123456789012345678> @everyone \\*\\*weather\\*\\* \\[forecast](https://evil.example) for \\|\\|Bannu\\|\\|?**',
    );
  });

  it('deletes everything recorded on /gaps action: clear', async () => {
    const interaction = harness.emulator.chatInput('gaps', { action: 'clear' }, moderator);
    const reply = await harness.emulator.waitForReply(interaction.id);
    expect(reply.body['content']).toMatch(/^Deleted every recorded question \(\d+\) and every vote\.$/);
    const embed = await gaps();
    expect(embed.description).toContain('0 question(s) asked');
    expect(embed.description).toContain('**Quotes marked wrong** (0)');
  });
});

describe('a store file that cannot be used', () => {
  let dir: string;
  let harness: Harness;
  let questions: QuestionLog;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incident-desk-corrupt-'));
    await writeFile(path.join(dir, 'questions.sqlite'), 'SQLite format 2\u0000 but not really: '.repeat(300));
    questions = QuestionLog.open({ dataDir: dir, record: true, retentionDays: 90 });
    harness = await startHarness({ corpusDir: REPO_CORPUS, questions });
  });

  afterAll(async () => {
    await harness.close();
    await questions.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('still answers, without feedback buttons, and /help says recording is off and why, naming the file', async () => {
    const asked = harness.emulator.chatInput('ask', { question: 'Who seized the police station?' }, member);
    const answer = await harness.emulator.waitForReply(asked.id);
    expect(embedOf(answer).title).toBe('From the articles');
    expect(buttonIds(answer).some((id) => id.startsWith('vote:'))).toBe(false);
    const help = harness.emulator.chatInput('help', {}, member);
    expect(embedOf(await harness.emulator.waitForReply(help.id)).description).toContain(
      `**Question recording:** off, answers are still served: store: cannot use ${path.join(dir, 'questions.sqlite')}: the file is corrupt or not a database`,
    );
  });

  it('tells a moderator /gaps has nothing to show, and why', async () => {
    const interaction = harness.emulator.chatInput('gaps', {}, moderator);
    const reply = await harness.emulator.waitForReply(interaction.id);
    expect(reply.body['content']).toMatch(/^Question recording is off, answers are still served: store: cannot use .* There is nothing to show or clear\.$/);
  });
});
