// Registers the slash commands with Discord: in one guild (instant) when
// DISCORD_GUILD_ID is set, else globally (Discord may take up to an hour).
import { REST, Routes } from 'discord.js';
import { ConfigError, type Config } from '../config.js';
import { commandsJson } from './commands/index.js';

export interface DeployResult {
  scope: 'guild' | 'global';
  guildId: string | null;
  names: string[];
}

export async function deployCommands(config: Config): Promise<DeployResult> {
  const { token, clientId, guildId, apiUrl } = config.discord;
  const missing = [!token && 'DISCORD_TOKEN', !clientId && 'DISCORD_CLIENT_ID'].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set. Put them in .env (see .env.example): ` +
        'the bot token (Developer Portal → your app → Bot) and the application id (→ General Information).',
    );
  }
  const rest = new REST({ version: '10', ...(apiUrl ? { api: apiUrl } : {}) }).setToken(token!);
  const body = commandsJson();
  const route = guildId ? Routes.applicationGuildCommands(clientId!, guildId) : Routes.applicationCommands(clientId!);
  const registered = (await rest.put(route, { body })) as Array<{ name: string }>;
  return { scope: guildId ? 'guild' : 'global', guildId, names: registered.map((c) => c.name) };
}
