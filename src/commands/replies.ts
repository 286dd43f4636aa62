/** Words the bot says the same way on every transport. */

import type { ConversationSetting } from '../store/server-settings.js';

/** When the articles do not answer a question. */
export const NOT_IN_THE_ARTICLES = "The articles I have don't say. I only answer with quotes from them, and none answers that.";

/** When someone says hello or thanks rather than asking (see `src/semantic/small-talk.ts`). */
export const SMALL_TALK_REPLY =
  'Hello! I answer questions about the December 2022 siege in Bannu, only with quotes from the articles I have. Ask me something about it, or try /help.';

/** When a question in the conversation is empty: only the mention, or "help". */
export const CONVERSATION_HELP =
  'Ask me about the December 2022 siege in Bannu right after the mention, e.g. "@incident-desk who seized the police station?", and reply to my answer to follow up. /help shows what I know.';

/** A server's conversation setting in words; `channel` writes a channel id the transport's way (a mention on Discord). */
export function describeSetting(setting: ConversationSetting, saved: boolean, channel: (id: string) => string): string {
  const prefix = saved ? 'Saved. ' : '';
  const dms = ' DMs to the bot are always answered, and slash commands work everywhere.';
  if (setting.mode === 'everywhere') return `${prefix}I answer @mentions and replies to my answers in every channel of this server.${dms}`;
  if (setting.mode === 'off') return `${prefix}I do not answer @mentions or replies in this server.${dms}`;
  if (setting.channelIds.length === 0) return `${prefix}I answer @mentions and replies in no channel yet: add one with /conversation answers: add-channel.${dms}`;
  return `${prefix}I answer @mentions and replies to my answers only in ${setting.channelIds.map(channel).join(', ')}.${dms}`;
}

/** A count with its noun, singular for one: "1 passage", "20 passages", "0 documents". */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
