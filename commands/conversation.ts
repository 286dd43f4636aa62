import { ApplicationCommandOptionType, ApplicationCommandType, ChannelType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/payloads/v10';
import * as z from 'zod';
import type { Command, Reply } from '../src/commands/command.js';
import { MAX_CONVERSATION_CHANNELS, type ConversationSetting } from '../src/store/server-settings.js';

const conversationOptions = z.object({
  answers: z.enum(['everywhere', 'off', 'add-channel', 'remove-channel'], { error: 'answers must be everywhere, off, add-channel or remove-channel.' }).optional(),
  channel: z.string().regex(/^\d{17,20}$/, 'channel must be a channel of this server.').optional(),
});

/**
 * `/conversation` (moderators): where the bot answers questions that mention it, and replies to its answers, in this
 * server: everywhere, nowhere, or only in chosen channels (`add-channel`, `remove-channel`, for the channel given or
 * this one). Without options, says what the setting is. Stored per server; `CONVERSATION_ANSWERS` is the default.
 */
export const conversation: Command<z.infer<typeof conversationOptions>> = {
  name: 'conversation',
  definition: {
    name: 'conversation',
    type: ApplicationCommandType.ChatInput,
    description: 'Moderators: where the bot answers @mentions and replies in this server',
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'answers',
        description: 'everywhere, off, or only in chosen channels (add or remove one); leave out to see the setting',
        required: false,
        choices: [
          { name: 'everywhere', value: 'everywhere' },
          { name: 'off: only slash commands', value: 'off' },
          { name: 'add a channel to the list it answers in', value: 'add-channel' },
          { name: 'remove a channel from that list', value: 'remove-channel' },
        ],
      },
      {
        type: ApplicationCommandOptionType.Channel,
        name: 'channel',
        description: 'For add-channel and remove-channel: the channel (this one if left out)',
        required: false,
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
      },
    ],
  },
  options: conversationOptions,
  moderatorOnly: true,
  async execute({ answers, channel }, { settings, guildId, channelId, readsMessages }): Promise<Reply> {
    const notice = (text: string, tone: 'info' | 'error' = 'info'): Reply => ({ kind: 'notice', tone, text, private: true });
    if (guildId === undefined) return notice('Where the bot answers in the conversation is set per server: use /conversation in a server.');
    if (!settings || !readsMessages) {
      return notice('This process cannot read messages (HTTP interactions mode), so it answers no @mentions or replies: there is nothing to set here.');
    }
    const current = await settings.conversation(guildId);
    if (answers === undefined) return { kind: 'setting', setting: current, saved: false, private: true };
    const target = channel ?? channelId;
    let next: ConversationSetting;
    if (answers === 'everywhere' || answers === 'off') next = { mode: answers };
    else if (target === undefined) return notice('Name a channel with the channel option.', 'error');
    else {
      const listed = current.mode === 'channels' ? current.channelIds : [];
      const channelIds = answers === 'add-channel' ? [...new Set([...listed, target])] : listed.filter((id) => id !== target);
      if (channelIds.length > MAX_CONVERSATION_CHANNELS) return notice(`At most ${MAX_CONVERSATION_CHANNELS} channels can be listed; remove one first.`, 'error');
      next = { mode: 'channels', channelIds };
    }
    if (!(await settings.setConversation(guildId, next))) {
      return notice(`Sorry, the setting could not be saved (${settings.unavailable ?? 'the error has been logged'}). Nothing was changed.`, 'error');
    }
    return { kind: 'setting', setting: next, saved: true, private: true };
  },
};
