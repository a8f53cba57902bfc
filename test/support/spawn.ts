// Running the project's commands as child processes in tests, with an explicit
// environment: DISCORD_* set to '' so a developer's .env cannot fill them in
// (dotenv never overrides a variable that is already set).
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

export const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

export interface Spawned {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** `stdin: 'pipe'` lets the test write to the child's stdin (and end it); by default it is closed. */
export function spawnClean(command: string, args: string[], env: Record<string, string>, timeoutMs: number, options: { stdin?: 'pipe' | 'ignore' } = {}): Spawned {
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: os.tmpdir(),
      DISCORD_TOKEN: '',
      DISCORD_CLIENT_ID: '',
      DISCORD_GUILD_ID: '',
      DISCORD_API_URL: '',
      LOG_LEVEL: 'info',
      // Tests record questions only where they say so, never into the project's embeddings/.
      STATS_DB: 'off',
      ...env,
    },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    // Its own process group, so a hung run can be killed with everything it started.
    detached: true,
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...output });
    });
  });
  return { child, output, done };
}

export function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
