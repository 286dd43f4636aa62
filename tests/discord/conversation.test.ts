import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIEmbed, APIMessage } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands, messageCommands } from '../../commands/index.js';
import { startBot, type RunningBot } from '../../src/discord/bot.js';
import { SemanticSearch } from '../../src/semantic/semantic-search.js';
import { QuestionLog } from '../../src/store/question-log.js';
import { ServerSettings } from '../../src/store/server-settings.js';
import { captureLog, REPO_CORPUS, startHarness, type Harness } from '../support/bot-harness.js';
import { makeUser, MANAGE_GUILD, MEMBER_PERMISSIONS, type ChannelMessage } from '../support/discord-emulator.js';

const embedOfMessage = (sent: ChannelMessage): APIEmbed => {
  const [embed] = sent.message.embeds;
  if (!embed) throw new Error(`expected an embed, got ${JSON.stringify(sent.body)}`);
  return embed;
};
const buttonIdsOf = (message: APIMessage): string[] =>
  (message.components ?? []).flatMap((row) => ('components' in row ? row.components : []).map((component) => ('custom_id' in component ? component.custom_id : '')));

describe('answers in the conversation, end to end with discord.js and the emulator', () => {
  let harness: Harness;
  let dataDir: string;
  let questions: QuestionLog;
  let settings: ServerSettings;
  let mention: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'incident-desk-conversation-'));
    questions = QuestionLog.open({ dataDir, record: true, retentionDays: 90 });
    settings = ServerSettings.open(dataDir, { mode: 'everywhere' });
    harness = await startHarness({ corpusDir: REPO_CORPUS, questions, settings });
    mention = `<@${harness.emulator.botUser.id}>`;
  });

  afterAll(async () => {
    await harness?.close();
    await questions?.close();
    await settings?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a message that mentions it as a reply, with the quotes, citations and buttons of /ask, and pings no one', async () => {
    const asked = harness.emulator.post(`${mention} How many hostage-takers were killed?`);
    const reply = await harness.emulator.waitForReplyTo(asked.id);
    const embed = embedOfMessage(reply);
    expect(embed.title).toBe('From the articles');
    expect(embed.description).toMatch(/^> Pakistani security forces have retaken a police station that was captured, \*\*killing\*\* all 33 \*\*hostage-takers\*\*/);
    expect(embed.description).toContain('`bannu-siege#p2`, passage 2 of');
    expect(embed.footer?.text).toMatch(/ · Question: How many hostage-takers were killed\?$/);
    expect(buttonIdsOf(reply.message)).toContain('passage:bannu-siege#p2');
    // Recorded like /ask, so its feedback buttons are there too.
    expect(buttonIdsOf(reply.message).some((id) => id.startsWith('vote:helpful:'))).toBe(true);
    expect(reply.body['allowed_mentions']).toEqual({ parse: [], replied_user: false });
    expect(reply.body['message_reference']).toMatchObject({ message_id: asked.id, fail_if_not_exists: false });
    await expect.poll(() => harness.log.lines.some((line) => /^message mention latency=\d+ms answered$/.test(line))).toBe(true);
  });

  it('says in /help that it answers mentions, replies and DMs', async () => {
    const help = harness.emulator.chatInput('help');
    const reply = await harness.emulator.waitForReply(help.id);
    expect((reply.body['embeds'] as APIEmbed[])[0]?.description).toContain('**In the conversation:** mention me with a question');
  });

  it('points to /help when the mention comes with no question', async () => {
    const asked = harness.emulator.post(`${mention}`);
    const reply = await harness.emulator.waitForReplyTo(asked.id);
    expect(reply.message.content).toContain('/help');
    expect(reply.message.embeds).toEqual([]);
  });

  it('never answers a message that does not address it, nor its own messages', async () => {
    const before = harness.emulator.channelMessages.length;
    const ignored = harness.emulator.post('How many hostage-takers were killed?');
    // Discord showed the bot no text of it: it has neither the mention nor MessageContent.
    expect(harness.emulator.dispatchedMessages.find((message) => message['id'] === ignored.id)?.['content']).toBe('');
    const asked = harness.emulator.post(`${mention} Who seized the police station?`);
    await harness.emulator.waitForReplyTo(asked.id);
    // The gateway delivers in order, and the bot decides to leave a message alone before it awaits anything: once a
    // later mention is answered, the ignored message and the bot's own reply (echoed before it) have been passed over.
    const sentinel = harness.emulator.post(`${mention} When did the army take back the police station?`);
    await harness.emulator.waitForReplyTo(sentinel.id);
    expect(harness.emulator.channelMessages.length).toBe(before + 2);
    expect(harness.emulator.channelMessages.some((sent) => sent.message.message_reference?.message_id === ignored.id)).toBe(false);
  });

  it('lets no mention, markdown or invite in the question into its reply', async () => {
    const role = harness.emulator.moderatorRoleId;
    const asked = harness.emulator.post(`${mention} @everyone <@&${role}> @here what did the **militants** demand? https://discord.gg/abcdef <#123456789012345678>`);
    const reply = await harness.emulator.waitForReplyTo(asked.id);
    const footer = embedOfMessage(reply).footer?.text ?? '';
    expect(footer).not.toMatch(/@everyone|@here|<@|<#|discord\.gg|https?:/);
    expect(reply.body['allowed_mentions']).toEqual({ parse: [], replied_user: false });
    expect(JSON.stringify(reply.body)).not.toContain('@everyone');
  });

  it('answers a question in a DM, in that DM', async () => {
    const user = makeUser('dm-reader');
    const asked = harness.emulator.post('Who did the defence minister blame?', { dm: true, author: user });
    const reply = await harness.emulator.waitForReplyTo(asked.id);
    expect(reply.channelId).toBe(harness.emulator.dmChannelId(user));
    expect(embedOfMessage(reply).description).toContain('total collapse');
    await expect.poll(() => harness.log.lines.some((line) => /^message dm latency=\d+ms answered$/.test(line))).toBe(true);
  });

  it('refuses moderators\' commands in a DM, and runs the others', async () => {
    const user = makeUser('dm-moderator');
    const reload = harness.emulator.post('/reload', { dm: true, author: user });
    expect((await harness.emulator.waitForReplyTo(reload.id)).message.content).toMatch(/\/reload is for moderators: use it as a slash command in the server/);
    const source = harness.emulator.post('/source passage: bannu-siege#p5', { dm: true, author: user });
    expect(embedOfMessage(await harness.emulator.waitForReplyTo(source.id)).footer?.text).toMatch(/^bannu-siege#p5 · passage 5 of/);
  });

  it('reads replies to its answers as follow-ups, along a chain', async () => {
    const asked = harness.emulator.post(`${mention} How many hostage-takers were killed?`);
    const first = await harness.emulator.waitForReplyTo(asked.id);
    // Replying mentions the replied-to author by default: the bot is shown the text without any @ typed.
    const soldiers = harness.emulator.post('and how many soldiers?', { replyTo: first.message });
    const second = await harness.emulator.waitForReplyTo(soldiers.id);
    expect(embedOfMessage(second).footer?.text).toMatch(/ · Follow-up 1: and how many soldiers\? · Question: how many soldiers were killed\?$/);
    expect(embedOfMessage(second).description?.replaceAll('**', '')).toContain('two special forces killed');
    const injured = harness.emulator.post('how many were injured?', { replyTo: second.message });
    const third = await harness.emulator.waitForReplyTo(injured.id);
    expect(embedOfMessage(third).footer?.text).toMatch(/ · Follow-up 2: how many were injured\? · Question: how many soldiers were injured\?$/);
    expect(embedOfMessage(third).description?.replaceAll('**', '')).toContain('10 to 15 members of the military injured');
    await expect.poll(() => harness.log.lines.some((line) => /^message mention latency=\d+ms answered follow-up=2$/.test(line))).toBe(true);
  });

  it('answers a reply that stands on its own on its own', async () => {
    const asked = harness.emulator.post(`${mention} Who seized the police station?`);
    const first = await harness.emulator.waitForReplyTo(asked.id);
    const standalone = harness.emulator.post('How many special forces were killed?', { replyTo: first.message });
    const reply = await harness.emulator.waitForReplyTo(standalone.id);
    expect(embedOfMessage(reply).footer?.text).toMatch(/ · Question: How many special forces were killed\?$/);
    expect(embedOfMessage(reply).footer?.text).not.toContain('Follow-up');
  });

  it('follows up an /ask answer too, read from its message', async () => {
    const interaction = harness.emulator.chatInput('ask', { question: 'Which group was behind the attack?' });
    await harness.emulator.waitForReply(interaction.id);
    const answer = harness.emulator.originalMessage(interaction.id)!;
    const followUp = harness.emulator.post('when did it emerge?', { replyTo: answer });
    const reply = await harness.emulator.waitForReplyTo(followUp.id);
    expect(embedOfMessage(reply).footer?.text).toMatch(/Follow-up 1: when did it emerge\? · Question: when did the group emerge\?$/);
    expect(embedOfMessage(reply).description).toContain('2007');
  });

  it('records mention and DM questions for /gaps, as they were read', async () => {
    const asked = harness.emulator.post(`${mention} what is the capital of France?`);
    await harness.emulator.waitForReplyTo(asked.id);
    const gaps = harness.emulator.chatInput('gaps', {}, { permissions: MEMBER_PERMISSIONS | MANAGE_GUILD });
    const reply = await harness.emulator.waitForReply(gaps.id);
    expect(JSON.stringify(reply.body)).toContain('what is the capital of France?');
  });

  it('stays quiet where a moderator turned answers off, and answers only in the channels chosen', async () => {
    const moderator = { permissions: MEMBER_PERMISSIONS | MANAGE_GUILD };
    const member = makeUser('channel-member');
    try {
      const add = harness.emulator.chatInput('conversation', { answers: 'add-channel' }, moderator);
      expect(String((await harness.emulator.waitForReply(add.id)).body['content'])).toBe(
        `Saved. I answer @mentions and replies to my answers only in <#${harness.emulator.channelId}>. DMs to the bot are always answered, and slash commands work everywhere.`,
      );
      const elsewhere = harness.emulator.post(`${mention} Who seized the police station?`, { channelId: harness.emulator.otherChannelId, author: member });
      const here = harness.emulator.post(`${mention} Who seized the police station?`, { author: member });
      await harness.emulator.waitForReplyTo(here.id);
      await expect.poll(() => harness.log.lines.some((line) => /^message mention latency=\d+ms off-here$/.test(line))).toBe(true);
      expect(harness.emulator.channelMessages.some((sent) => sent.message.message_reference?.message_id === elsewhere.id)).toBe(false);

      const off = harness.emulator.chatInput('conversation', { answers: 'off' }, moderator);
      await harness.emulator.waitForReply(off.id);
      const silenced = harness.emulator.post(`${mention} Who seized the police station?`, { author: makeUser('another') });
      const dm = harness.emulator.post('Who seized the police station?', { dm: true, author: makeUser('dm-while-off') });
      await harness.emulator.waitForReplyTo(dm.id);
      expect(harness.emulator.channelMessages.some((sent) => sent.message.message_reference?.message_id === silenced.id)).toBe(false);
      const refused = harness.emulator.chatInput('conversation', { answers: 'everywhere' });
      expect(String((await harness.emulator.waitForReply(refused.id)).body['content'])).toMatch(/Only moderators/);
    } finally {
      await settings.setConversation(harness.emulator.guildId, { mode: 'everywhere' });
    }
  });
});

describe('the next quotes of a follow-up, with the sentence model', () => {
  let harness: Harness;
  let semantic: SemanticSearch;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'incident-desk-follow-up-'));
    semantic = SemanticSearch.start({ cacheDir, log: () => {} });
    // Further quotes are shown while their own chance is above the threshold; with the words alone, no question
    // about the bundled article has more than a page of them, with the sentence model "who was killed" has.
    harness = await startHarness({ corpusDir: REPO_CORPUS, semantic });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
    await semantic?.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('shows the next quotes of a follow-up for the question as it read it', async () => {
    const asked = harness.emulator.post(`<@${harness.emulator.botUser.id}> How many were killed?`);
    const first = await harness.emulator.waitForReplyTo(asked.id);
    const followUp = harness.emulator.post('who?', { replyTo: first.message });
    const reply = await harness.emulator.waitForReplyTo(followUp.id);
    const read = /Follow-up 1: who\? · Question: (.*)$/.exec(embedOfMessage(reply).footer?.text ?? '')?.[1];
    expect(read).toMatch(/^who .*killed\?$/i);
    const more = buttonIdsOf(reply.message).find((id) => id.startsWith('more:'));
    expect(more).toBeDefined();
    const click = harness.emulator.clickButton(reply.message, more!);
    const page = await harness.emulator.waitForReply(click.id);
    expect((page.body['embeds'] as APIEmbed[])[0]?.footer?.text).toMatch(/^Quotes? 4/);
    expect(((page.body['embeds'] as APIEmbed[])[0]?.footer?.text ?? '').endsWith(`Question: ${read!}`)).toBe(true);
  });

});

describe('a follow-up across a restart', () => {
  const bots: RunningBot[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop();
  });

  it('is read the same by a bot that never saw the answer it replies to', async () => {
    const harness = await startHarness({ corpusDir: REPO_CORPUS });
    try {
      const mention = `<@${harness.emulator.botUser.id}>`;
      const asked = harness.emulator.post(`${mention} How many policemen were killed in the separate attack?`);
      const answer = await harness.emulator.waitForReplyTo(asked.id);
      await harness.bot.stop();
      // A new process: an empty record of recent answers; only the answer's message remains.
      const log = captureLog();
      bots.push(
        await startBot(
          { token: harness.emulator.token, apiBase: harness.emulator.apiBase, moderatorRoleIds: [], askCooldownSeconds: 0, commands, messageCommands },
          harness.library,
          log,
        ),
      );
      await harness.emulator.waitForSession();
      const followUp = harness.emulator.post('where was it?', { replyTo: answer.message });
      const reply = await harness.emulator.waitForReplyTo(followUp.id);
      expect(embedOfMessage(reply).footer?.text).toMatch(/Follow-up 1: where was it\? · Question: where was the separate attack\?$/);
      expect(embedOfMessage(reply).description).toContain('elsewhere in Bannu');
    } finally {
      await harness.emulator.close();
    }
  });
});

describe('the cooldown of questions in the conversation', () => {
  it('is shared with /ask, and a member is told once per wait', async () => {
    const harness = await startHarness({ corpusDir: REPO_CORPUS, askCooldownSeconds: 60 });
    try {
      const mention = `<@${harness.emulator.botUser.id}>`;
      const user = makeUser('quick-asker');
      const slash = harness.emulator.chatInput('ask', { question: 'Who seized the police station?' }, { user });
      await harness.emulator.waitForReply(slash.id);
      const second = harness.emulator.post(`${mention} When did the army take back the police station?`, { author: user });
      expect((await harness.emulator.waitForReplyTo(second.id)).message.content).toMatch(/^You're asking quickly! Please wait \d+ more seconds? before the next question\.$/);
      const third = harness.emulator.post(`${mention} and when?`, { author: user });
      await expect.poll(() => harness.log.lines.some((line) => /^message mention latency=\d+ms cooldown-again$/.test(line))).toBe(true);
      expect(harness.emulator.channelMessages.some((sent) => sent.message.message_reference?.message_id === third.id)).toBe(false);
    } finally {
      await harness.close();
    }
  });
});
