import type { LoggerService } from '@nestjs/common';
import { currentUserContext } from '../../../lib/context/request-context';
import type { VWOLogger } from '../../../lib/logger/vwo-logger.interface';
import type { VWOService } from '../../../lib/vwo.service';
import { EVENTUALLY_MS } from '../../module/helpers/wait-until';

/** Users of the inline settings: "checkout" is enabled for alice and ann only, "beta" for bob only. */
export const CHECKOUT_USERS = ['alice', 'ann'];

/** 40 users for the concurrency tests, some with "checkout", most without. */
export const MANY_USERS: string[] = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? CHECKOUT_USERS[(i / 5) % 2] : `user-${i}`));

/** What a handler reports of VWOService used without a context: who it decided for, and a flag that depends on the user. */
export interface WhoAmI {
  id: string | null;
  checkout: boolean;
}

/**
 * Asks VWOService without a context after a random pause, so concurrent requests interleave: the user
 * found must still be the request's own.
 */
export async function whoAmI(vwo: VWOService): Promise<WhoAmI> {
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
  const [user, checkout] = await Promise.all([currentUserContext(), vwo.getFlag('checkout')]);
  return { id: user?.id === undefined ? null : String(user.id), checkout: checkout.isEnabled() };
}

export function expectedWhoAmI(userId: string): WhoAmI {
  return { id: userId, checkout: CHECKOUT_USERS.includes(userId) };
}

/** Collects the module's log lines (VWO logger) and Nest's own (app logger), to assert what a denial logs. */
export class LogCollector implements VWOLogger, LoggerService {
  readonly lines: Array<{ level: string; message: string }> = [];

  debug = (message: unknown): void => this.push('debug', message);
  info = (message: unknown): void => this.push('info', message);
  log = (message: unknown): void => this.push('log', message);
  warn = (message: unknown): void => this.push('warn', message);
  error = (message: unknown): void => this.push('error', message);
  verbose = (message: unknown): void => this.push('verbose', message);
  fatal = (message: unknown): void => this.push('fatal', message);

  of(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }

  clear(): void {
    this.lines.length = 0;
  }

  private push(level: string, message: unknown): void {
    this.lines.push({ level, message: message instanceof Error ? `${message.name}: ${message.message}` : String(message) });
  }
}

/** Polls `condition` until it holds (no fixed sleeps); fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = EVENTUALLY_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
