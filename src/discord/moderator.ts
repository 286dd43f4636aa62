import { GuildMember, PermissionFlagsBits, type BaseInteraction } from 'discord.js';
import type { Invoker } from '../commands/command.js';

/**
 * Who is acting, as the commands see them. A moderator has Manage Server in the channel (Discord computes the
 * member's permissions, Administrator included, and sends them with the interaction) or holds one of
 * `moderatorRoleIds`. Checked on every interaction: the command's default permissions only hide it in Discord's
 * menu, and server admins can change those.
 */
export function invokerOf(interaction: BaseInteraction, moderatorRoleIds: readonly string[]): Invoker {
  const byPermission = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
  return { id: interaction.user.id, isModerator: byPermission || holdsRole(interaction.member, moderatorRoleIds) };
}

function holdsRole(member: BaseInteraction['member'], roleIds: readonly string[]): boolean {
  if (!member || roleIds.length === 0) return false;
  // A cached guild gives a GuildMember; otherwise discord.js hands over the raw member with role ids.
  const held = member instanceof GuildMember ? [...member.roles.cache.keys()] : member.roles;
  return roleIds.some((id) => held.includes(id));
}
