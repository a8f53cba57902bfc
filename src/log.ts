// The logger: JSON lines in production, readable lines in a terminal.
// Secrets are redacted by key wherever they appear in logged objects.
import { createHmac, randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';

export const REDACTED_KEYS = ['token', 'DISCORD_TOKEN', 'authorization', 'Authorization', '*.token', '*.DISCORD_TOKEN', '*.authorization', '*.Authorization', 'headers.authorization', 'config.discord.token', 'discord.token', 'salt', '*.salt', 'config.stats.salt'];

export function createLogger(level: string, options: { pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY && !options.destination);
  const base = { level, redact: { paths: REDACTED_KEYS, censor: '[redacted]' } };
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return options.destination ? pino(base, options.destination as pino.DestinationStream) : pino(base);
}

// Logs never carry a raw Discord user id: a keyed hash, stable for the life of
// the process (so one user's lines can be followed) and meaningless after it.
const pseudonymKey = randomBytes(16);

/** A user id as it may appear in logs. */
export function pseudonym(userId: string): string {
  return createHmac('sha256', pseudonymKey).update(userId).digest('hex').slice(0, 12);
}
