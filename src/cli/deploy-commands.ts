// npm run deploy-commands — registers the slash commands (guild when
// DISCORD_GUILD_ID is set: instant; else global: may take up to an hour).
import { DiscordAPIError } from 'discord.js';
import { deployCommands } from '../bot/deploy.js';
import { ConfigError, loadConfig } from '../config.js';

try {
  const config = loadConfig();
  const result = await deployCommands(config);
  const where = result.scope === 'guild' ? `in guild ${result.guildId} (available now)` : 'globally (Discord may take up to an hour to show them)';
  console.log(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}`);
} catch (error) {
  process.exitCode = 1;
  if (error instanceof ConfigError) console.error(`error: ${error.message}`);
  else if (error instanceof DiscordAPIError) console.error(`error: Discord refused the commands (${error.status}, code ${String(error.code)}: ${error.message}). ${hint(error)}`);
  else console.error(`error: could not register the commands: ${(error as Error).message ?? String(error)}`);
}

function hint(error: DiscordAPIError): string {
  if (error.status === 401) return 'Check DISCORD_TOKEN in .env.';
  if (error.code === 10002 || error.status === 404) return 'Check DISCORD_CLIENT_ID (the application id, Developer Portal → General Information).';
  if (error.code === 50001 || error.status === 403) return 'Check DISCORD_GUILD_ID, and that the bot was invited to that server with the applications.commands scope.';
  return '';
}
