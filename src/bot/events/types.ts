// An event module (discord.js guide convention), with the bot context passed last.
import type { ClientEvents } from 'discord.js';
import type { BotContext } from '../context.js';

export interface BotEvent<K extends keyof ClientEvents> {
  name: K;
  once?: boolean;
  execute(...args: [...ClientEvents[K], BotContext]): void | Promise<void>;
}
