import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** One line the child printed, with when the parent read it. */
export interface ChildLine {
  text: string;
  at: number;
}

/**
 * A child process running a TypeScript entry under @swc-node/register, read line by line. It records how
 * and when the process ended, so a test can assert that it did not.
 */
export class ChildApp {
  readonly lines: ChildLine[] = [];
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  private readonly child: ChildProcess;
  private stderr = '';
  private partial = '';
  private readonly waiters = new Set<() => void>();

  constructor(entry: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.read(chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.once('exit', (code, signal) => {
      this.exit = { code, signal, at: Date.now() };
      this.notify();
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Everything the child wrote, for failure messages. */
  get output(): string {
    return `${this.lines.map((l) => l.text).join('\n')}\n--- stderr ---\n${this.stderr}`;
  }

  matching(pattern: RegExp, since = 0): ChildLine[] {
    return this.lines.filter((l) => l.at >= since && pattern.test(l.text));
  }

  /** Resolves the first line matching `pattern` (from `since`); rejects if the child exits first or after timeoutMs. */
  waitForLine(pattern: RegExp, timeoutMs: number, since = 0): Promise<ChildLine> {
    return this.waitFor(() => this.matching(pattern, since)[0], `a line matching ${pattern}`, timeoutMs);
  }

  /** Resolves once `count` lines match `pattern` (from `since`). */
  waitForLines(pattern: RegExp, count: number, timeoutMs: number, since = 0): Promise<ChildLine[]> {
    return this.waitFor(() => {
      const found = this.matching(pattern, since);
      return found.length >= count ? found : undefined;
    }, `${count} lines matching ${pattern}`, timeoutMs);
  }

  /** Resolves once the child has exited by itself; rejects after timeoutMs. */
  waitForExit(timeoutMs: number): Promise<void> {
    return this.waitFor(() => (this.running ? undefined : true), 'an exit', timeoutMs, true).then(() => undefined);
  }

  /** Ends the child (SIGTERM, then SIGKILL) and resolves once it has exited. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await new Promise<void>((resolve) => {
      if (!this.running) return resolve();
      this.child.once('exit', () => resolve());
    });
    clearTimeout(killer);
  }

  private waitFor<T>(probe: () => T | undefined, what: string, timeoutMs: number, exitExpected = false): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) return done(() => resolve(found));
        if (!this.running && !exitExpected) return done(() => reject(new Error(`the child exited (${JSON.stringify(this.exit)}) before ${what}:\n${this.output}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${what} within ${timeoutMs} ms:\n${this.output}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  private read(chunk: string): void {
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    const at = Date.now();
    for (const part of parts) this.lines.push({ text: part, at });
    this.notify();
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}
