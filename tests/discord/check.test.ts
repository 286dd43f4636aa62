import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_CORPUS, startHarness, type Harness } from '../support/bot-harness.js';
import type { SentMessage } from '../support/discord-emulator.js';
import { embedOf } from '../support/messages.js';

const CHECK = 'Check against the articles';

describe('"Check against the articles", the message context-menu command, end to end', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ corpusDir: REPO_CORPUS });
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** Uses the command on a member's message; every answer must be private and ping no one. */
  const check = async (content: string, attachments = 0): Promise<SentMessage> => {
    const target = harness.emulator.memberMessage(content, { attachments });
    const interaction = harness.emulator.messageCommand(CHECK, target);
    const callback = await harness.emulator.waitForCallback(interaction.id);
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(Number(callback.data?.['flags']) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(callback.data?.['allowed_mentions']).toEqual({ parse: [] });
    return harness.emulator.waitForReply(interaction.id);
  };

  it('is registered as a message command, with no description', () => {
    const registered = harness.emulator.registeredCommands().find((command) => command.name === CHECK);
    expect(registered?.type).toBe(3);
  });

  it('answers a claim the articles support with their passages, verbatim and cited, under "The articles say:"', async () => {
    const embed = embedOf(await check('Militants from the Pakistani Taliban seized the centre in Bannu, apparently.'));
    expect(embed.title).toBe('The articles say:');
    expect(embed.description).toMatch(/^> Islamist \*\*militants\*\* from the \*\*Pakistani Taliban\*\* \*\*seized\*\* the \*\*centre\*\* in the remote/);
    expect(embed.description).toContain('`bannu-siege#p3`');
    expect(JSON.stringify(embed)).not.toMatch(/\b(true|false|correct|incorrect)\b/i);
  });

  it('says "The articles don\'t mention this." for a claim they never mention', async () => {
    const reply = await check('The siege was filmed by a famous movie director.');
    expect(reply.body['content']).toBe("The articles don't mention this.");
  });

  it('reads past mentions without pinging anyone, and says how many sentences of a long message were left out', async () => {
    const sentences = Array.from({ length: 8 }, (_, i) => `Sentence number ${i} is about nothing.`);
    const embed = embedOf(await check(`<@123456789012345678> @everyone the Pakistani Taliban seized the centre in Bannu. ${sentences.join(' ')}`));
    expect(embed.title).toBe('The articles say:');
    expect(embed.footer?.text).toContain("The message's other 4 sentence(s) were not checked.");
  });

  it('explains that an attachment-only, empty or code-only message has nothing to check', async () => {
    expect((await check('', 2)).body['content']).toBe('That message has no text to check: I only read the words of a message, not its attachments or images.');
    expect((await check('')).body['content']).toBe('That message has no text to check against the articles.');
    expect((await check('```\nkill -9 1\n```')).body['content']).toBe('That message is only code, so there is no claim to check against the articles.');
  });
});
