import 'dotenv/config';
import { ApplicationCommandType, REST, Routes, type APIApplicationCommand } from 'discord.js';
import { commands, messageCommands } from '../../commands/index.js';
import { ConfigError, parseConfig } from '../config/env.js';
import { oneLine } from './log.js';

/**
 * `npm run deploy-commands`: registers the definitions in `commands/` with Discord, replacing whatever was
 * registered before. With `DISCORD_GUILD_ID`, in that server only (instant, for development); otherwise for
 * every server the bot is in.
 */
async function deploy(): Promise<string> {
  const config = parseConfig(process.env);
  if (config.DISCORD_TOKEN === undefined) throw new ConfigError('config: DISCORD_TOKEN is not set (see .env.example)');
  if (config.DISCORD_APPLICATION_ID === undefined) {
    throw new ConfigError('config: DISCORD_APPLICATION_ID is not set: copy the Application ID from the Developer Portal (General Information)');
  }
  const rest = new REST(config.DISCORD_API_BASE === undefined ? {} : { api: config.DISCORD_API_BASE }).setToken(config.DISCORD_TOKEN);
  const guildId = config.DISCORD_GUILD_ID;
  const route =
    guildId === undefined
      ? Routes.applicationCommands(config.DISCORD_APPLICATION_ID)
      : Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, guildId);
  const registered = (await rest.put(route, { body: [...commands, ...messageCommands].map((command) => command.definition) })) as APIApplicationCommand[];
  const names = registered.map((command) => (command.type === ApplicationCommandType.ChatInput ? `/${command.name}` : `"${command.name}"`)).join(', ');
  return guildId === undefined
    ? `deploy-commands: registered ${registered.length} commands globally: ${names}`
    : `deploy-commands: registered ${registered.length} commands in server ${guildId}: ${names}`;
}

deploy().then(
  (summary) => console.log(summary),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? oneLine(error) : `deploy-commands: failed: ${oneLine(error)}`);
    process.exitCode = 1;
  },
);
