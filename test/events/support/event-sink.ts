import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { SinkStats } from './event-sink.process';

export type { SinkStats } from './event-sink.process';

/** Parent side of event-sink.process.ts: start, read counters, stop. */
export class EventSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** countOnly: events are counted without parsing bodies (distinctVisitors stays 0); see event-sink.process.ts. */
  static async start(options: { countOnly?: boolean } = {}): Promise<EventSink> {
    const child = fork(join(__dirname, 'event-sink.process.ts'), options.countOnly ? ['count-only'] : [], {
      execArgv: ['-r', '@swc-node/register'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('message', (m) => resolve((m as { port: number }).port));
    });
    return new EventSink(child, `http://127.0.0.1:${port}`);
  }

  stats(): Promise<SinkStats> {
    return this.ask<{ stats: SinkStats }>('stats').then((m) => m.stats);
  }

  async reset(): Promise<void> {
    await this.ask('reset');
  }

  async stop(): Promise<void> {
    if (!this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    await exited;
  }

  private ask<T>(message: string): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as T));
      this.child.send(message);
    });
  }
}
