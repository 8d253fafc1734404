import type { VWOLogger } from '../../logger/vwo-logger.interface';
import type { VWOSettingsChange, VWOSettingsChangeHandlers, VWOSettingsSubscription } from '../vwo-settings-channel.interface';
import type { VWORedisSubscriberClient } from './redis-storage.options';

/**
 * One pub/sub subscription on its own connection (a subscribed Redis connection can do nothing else).
 * The connection reconnects by itself; on every `ready` the channel is subscribed again, and when the
 * subscription had been lost (or never made), the handlers hear `onResubscribed` once it is back, so the
 * replica can catch up on announcements it missed.
 */
export class RedisSettingsSubscriber implements VWOSettingsSubscription {
  private subscribed = false;
  /** Announcements may have been missed: lost subscription, or none yet. */
  private missed = false;
  private closed = false;
  private resolveFirst!: () => void;
  private readonly firstSubscription = new Promise<void>((resolve) => (this.resolveFirst = resolve));

  constructor(
    private readonly connection: VWORedisSubscriberClient,
    private readonly channel: string,
    private readonly handlers: VWOSettingsChangeHandlers,
    private readonly logger: VWOLogger,
  ) {
    connection.on('message', (from: string, message: string) => this.onMessage(from, message));
    connection.on('ready', () => void this.subscribe());
    connection.on('close', () => this.onLost('connection closed'));
    connection.on('error', (error: Error) => this.onLost(error.message));
  }

  /** Connects and subscribes, waiting at most `boundMs`; a Redis that is down is retried in the background. */
  async start(boundMs: number): Promise<void> {
    const { status } = this.connection;
    if (status === 'ready') void this.subscribe();
    else if (status === 'wait' && this.connection.connect) this.connection.connect().catch((error: Error) => this.onLost(error.message));
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs);
      timer.unref();
    });
    await Promise.race([this.firstSubscription, bound]);
    clearTimeout(timer);
    if (!this.subscribed) this.missed = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const connection = this.connection;
    if (connection.status !== 'ready') {
      connection.disconnect();
      return;
    }
    await connection.quit().catch(() => connection.disconnect());
  }

  private async subscribe(): Promise<void> {
    if (this.closed) return;
    try {
      await this.connection.subscribe(this.channel);
    } catch (error) {
      this.onLost((error as Error).message);
      return;
    }
    this.subscribed = true;
    this.resolveFirst();
    if (!this.missed) return;
    this.missed = false;
    this.logger.info('Settings fan-out subscription is back; refreshing once for what was missed');
    this.handlers.onResubscribed();
  }

  private onLost(reason: string): void {
    if (this.closed) return;
    if (this.subscribed) {
      this.logger.warn(`Settings fan-out subscription lost (${reason}); this replica hears no other replica's refresh until Redis returns`);
    }
    this.subscribed = false;
    this.missed = true;
  }

  private onMessage(from: string, message: string): void {
    if (from !== this.channel || this.closed) return;
    const change = parseChange(message);
    if (!change) {
      this.logger.warn('Ignored a settings fan-out message that is not a settings change');
      return;
    }
    this.handlers.onChange(change);
  }
}

function parseChange(message: string): VWOSettingsChange | undefined {
  try {
    const value = JSON.parse(message) as Partial<VWOSettingsChange>;
    return typeof value?.origin === 'string' && typeof value.timestamp === 'number' ? { origin: value.origin, timestamp: value.timestamp } : undefined;
  } catch {
    return undefined;
  }
}
