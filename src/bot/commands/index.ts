// Every slash command, for the interaction handler and for deploy-commands.
import type { Command } from '../command.js';
import * as ask from './ask.js';
import * as help from './help.js';
import * as region from './region.js';
import * as regions from './regions.js';
import * as reindex from './reindex.js';
import * as source from './source.js';
import * as stats from './stats.js';

export const commands: readonly Command[] = [ask, region, regions, source, help, reindex, stats];

export const commandsByName: ReadonlyMap<string, Command> = new Map(commands.map((c) => [c.data.name, c]));

/** The JSON Discord receives when the commands are registered. */
export function commandsJson() {
  return commands.map((c) => c.data.toJSON());
}
