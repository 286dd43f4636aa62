import { once } from 'node:events';
import { Events, MessageFlags, type Client, type Interaction } from 'discord.js';
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../src/discord/client.js';
import { DiscordEmulator, snowflake } from '../support/discord-emulator.js';

/**
 * The emulator itself, driven by a real discord.js client with a throwaway handler: if these pass, the bot's own
 * end-to-end tests fail only for the bot's reasons.
 */
describe('the Discord emulator, with a real discord.js client', () => {
  let emulator: DiscordEmulator;
  let client: Client;
  const failures: unknown[] = [];

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    client = createClient({ apiBase: emulator.apiBase });
    client.on(Events.InteractionCreate, (interaction) => {
      handle(interaction).catch((error: unknown) => failures.push(error));
    });
    const ready = once(client, Events.ClientReady);
    await client.login(emulator.token);
    await ready;
  });

  afterAll(async () => {
    await client?.destroy();
    await emulator?.close();
  });

  async function handle(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      await interaction.respond([{ name: `you typed ${interaction.options.getFocused()}`, value: 'x' }]);
      return;
    }
    if (interaction.isButton()) {
      await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
      return;
    }
    // `silent` is left unanswered so a test can answer it by hand.
    if (!interaction.isChatInputCommand() || interaction.commandName === 'silent') return;
    if (interaction.commandName === 'slow') {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: 'done slowly' });
      await interaction.followUp({ content: 'and a follow-up' });
      return;
    }
    await interaction.reply({
      content: `pong ${interaction.options.getString('word') ?? ''}`.trim(),
      components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'again', label: 'Again' }] }],
    });
  }

  it('logs a real client in over REST and the gateway, identifying with Guilds, GuildMessages and DirectMessages, never MessageContent', () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(emulator.applicationId);
    expect(client.guilds.cache.get(emulator.guildId)?.name).toBe('Bannu Desk');
    const identify = emulator.gatewayReceived.find((payload) => payload.op === 2);
    // Guilds (1 << 0), GuildMessages (1 << 9), DirectMessages (1 << 12); MessageContent (1 << 15) is privileged.
    expect((identify?.d as { intents: number }).intents).toBe((1 << 0) | (1 << 9) | (1 << 12));
    expect(emulator.requests.some((request) => request.path === '/gateway/bot' && request.status === 200)).toBe(true);
  });

  it('delivers a slash command and records the reply the client sent', async () => {
    const interaction = emulator.chatInput('ping', { word: 'hello' });
    const callback = await emulator.waitForCallback(interaction.id);
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(callback.data?.['content']).toBe('pong hello');
    expect(emulator.originalMessage(interaction.id)?.content).toBe('pong hello');
    expect(failures).toEqual([]);
  });

  it('follows a deferral with edits of the original response and follow-ups', async () => {
    const interaction = emulator.chatInput('slow');
    const reply = await emulator.waitForReply(interaction.id);
    expect(reply.body['content']).toBe('done slowly');
    expect(emulator.callbacks.find((c) => c.interactionId === interaction.id)?.data?.['flags']).toBe(MessageFlags.Ephemeral);
    await emulator.waitForRequest((request) => request.method === 'POST' && request.path.startsWith('/webhooks/'));
    expect(emulator.sentMessages.filter((sent) => sent.interactionId === interaction.id).map((sent) => sent.route)).toEqual([
      'edit-original',
      'followup',
    ]);
    expect(failures).toEqual([]);
  });

  it('answers autocomplete and button clicks on a message the bot sent', async () => {
    const typing = emulator.autocomplete('ping', 'word', 'hel');
    const choices = await emulator.waitForCallback(typing.id);
    expect(choices.data?.['choices']).toEqual([{ name: 'you typed hel', value: 'x' }]);

    const asked = emulator.chatInput('ping');
    await emulator.waitForCallback(asked.id);
    const message = emulator.originalMessage(asked.id)!;
    const click = emulator.clickButton(message, 'again');
    const update = await emulator.waitForCallback(click.id);
    expect(update.type).toBe(InteractionResponseType.UpdateMessage);
    expect(emulator.message(message.id)?.content).toBe('clicked again');
    expect(failures).toEqual([]);
  });

  it('rate limits a callback with the headers discord.js obeys, and the client retries after retry_after', async () => {
    emulator.rateLimitNext('callback', { retryAfterSeconds: 0.1 });
    const interaction = emulator.chatInput('ping');
    const callback = await emulator.waitForCallback(interaction.id);
    const attempts = emulator.requests.filter((request) => request.path.startsWith(`/interactions/${interaction.id}/`));
    expect(attempts.map((attempt) => attempt.status)).toEqual([429, 204]);
    expect(callback.latencyMs).toBeGreaterThanOrEqual(100);
  });

  it('fails callbacks with a server error until the client gives up', async () => {
    emulator.failNext('callback', { count: 4 });
    const interaction = emulator.chatInput('ping');
    await vi.waitFor(() => expect(failures).toHaveLength(1));
    expect(emulator.callbacks.some((callback) => callback.interactionId === interaction.id)).toBe(false);
    const attempts = emulator.requests.filter((request) => request.path.startsWith(`/interactions/${interaction.id}/`));
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 500, 500, 500]);
    failures.splice(0);
  });

  it('refuses a second acknowledgement of one interaction, as Discord does', async () => {
    const interaction = emulator.chatInput('ping');
    await emulator.waitForCallback(interaction.id);
    await expect(
      fetch(`${emulator.apiBase}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: 'twice' } }),
      }).then(async (response) => [response.status, ((await response.json()) as { code: number }).code]),
    ).resolves.toEqual([400, 40060]);
  });

  it('rejects a message over Discord limits with an Invalid Form Body error', async () => {
    const interaction = emulator.chatInput('silent');
    const response = await fetch(`${emulator.apiBase}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { embeds: [{ description: 'x'.repeat(4097) }] } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 50035, errors: { data: { embeds: { 0: { description: {} } } } } });
  });

  it('fills in realistic defaults around a raw interaction payload', async () => {
    const interaction = emulator.dispatchRawInteraction({ type: 2, data: { id: snowflake(), name: 'ping', type: 1 } });
    expect(interaction.payload).toMatchObject({ guild_id: emulator.guildId, member: { permissions: expect.any(String) }, entitlements: [] });
    expect((await emulator.waitForCallback(interaction.id)).data?.['content']).toBe('pong');
  });

  it('forgets an interaction not answered within the response window, as Discord does after 3 seconds', async () => {
    const hasty = await DiscordEmulator.start({ responseWindowMs: 50 });
    try {
      const interaction = hasty.chatInput('silent');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await fetch(`${hasty.apiBase}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: 'late' } }),
      });
      expect([response.status, ((await response.json()) as { code: number }).code]).toEqual([404, 10062]);
    } finally {
      await hasty.close();
    }
  });

  it('resumes the session after a dropped gateway connection and replays what was dispatched meanwhile', async () => {
    emulator.dropGateway();
    const interaction = emulator.chatInput('ping', { word: 'again' });
    const callback = await emulator.waitForCallback(interaction.id, 10_000);
    expect(callback.data?.['content']).toBe('pong again');
    expect(emulator.gatewayReceived.some((payload) => payload.op === 6)).toBe(true);
  });
});
