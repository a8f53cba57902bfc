// clientReady: the gateway session is up.
import { Events, type Client } from 'discord.js';
import type { BotContext } from '../context.js';
import type { BotEvent } from './types.js';

export const event: BotEvent<Events.ClientReady> = {
  name: Events.ClientReady,
  once: true,
  execute(client: Client<true>, context: BotContext) {
    context.logger.info({ event: 'ready', user: client.user.tag, id: client.user.id, guilds: client.guilds.cache.size }, 'logged in to Discord');
  },
};
