/** Runs the project's real entry points (console, bot) as child processes and collects everything they wrote. */
import { spawn, type ChildProcessWithoutNullStreams, type SpawnOptionsWithoutStdio } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './corpora.js';

export const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
export const CONSOLE_MAIN = path.join(REPO_ROOT, 'src', 'console', 'main.ts');
export const BOT_MAIN = path.join(REPO_ROOT, 'src', 'discord', 'main.ts');

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A child process whose output is collected as it comes. */
export class Child {
  readonly process: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly finished: Promise<Finished>;
  private waiters: (() => void)[] = [];

  constructor(command: string, args: readonly string[], options: SpawnOptionsWithoutStdio) {
    this.process = spawn(command, args, { cwd: REPO_ROOT, ...options, stdio: 'pipe' });
    this.process.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.finished = new Promise((resolve, reject) => {
      this.process.on('error', reject);
      this.process.on('close', (code, signal) => {
        this.notify();
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
    this.finished.catch(() => undefined);
  }

  /** Waits until stdout + stderr match `pattern`. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.stdout + this.stderr)) {
      if (this.process.exitCode !== null || this.process.signalCode !== null) {
        throw new Error(`process ended before ${pattern}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends SIGTERM (then SIGKILL after `graceMs`) and waits for the end. */
  async stop(graceMs = 10_000): Promise<Finished> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
      const result = await this.finished;
      clearTimeout(timer);
      return result;
    }
    return this.finished;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** Runs a process to its end with `input` on standard input; kills it after `timeoutMs`. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: SpawnOptionsWithoutStdio & { input?: string; timeoutMs?: number },
): Promise<Finished> {
  const child = new Child(command, args, options);
  child.process.stdin.on('error', () => undefined);
  child.process.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  try {
    return await child.finished;
  } finally {
    clearTimeout(timer);
  }
}
