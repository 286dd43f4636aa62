import type { APIEmbed } from 'discord-api-types/v10';
import type { SentMessage } from './discord-emulator.js';

/** The first embed of a message body the bot sent. */
export function embedOf(sent: SentMessage): APIEmbed {
  const embeds = sent.body['embeds'] as APIEmbed[] | undefined;
  const [embed] = embeds ?? [];
  if (!embed) throw new Error(`expected an embed, got ${JSON.stringify(sent.body)}`);
  return embed;
}

/** Characters Discord counts against an embed's 6,000 total. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** The custom ids of the buttons on a message body. */
export function buttonIds(sent: SentMessage): string[] {
  const rows = (sent.body['components'] ?? []) as { components: { custom_id?: string }[] }[];
  return rows.flatMap((row) => row.components.map((component) => component.custom_id ?? ''));
}
