import { Logger } from '@nestjs/common';
import { logLevelRank } from './log-level';
import type { VWOLogger, VWOLogLevel } from './vwo-logger.interface';

/**
 * The default VWOLogger: drops messages below `level`, then writes through Nest's Logger (context = prefix)
 * or through a custom transport. A transport that throws never breaks the caller.
 */
export class VWODefaultLogger implements Required<VWOLogger> {
  private readonly minRank: number;
  private readonly nest: Logger;

  constructor(
    readonly level: VWOLogLevel,
    readonly prefix: string,
    private readonly transport?: VWOLogger,
  ) {
    this.minRank = logLevelRank(level);
    this.nest = new Logger(prefix);
  }

  /** True when a message of this level would be written (callers skip building costly messages otherwise). */
  isLevelEnabled(level: VWOLogLevel): boolean {
    return logLevelRank(level) >= this.minRank;
  }

  trace(message: string): void {
    this.write('TRACE', message);
  }

  debug(message: string): void {
    this.write('DEBUG', message);
  }

  info(message: string): void {
    this.write('INFO', message);
  }

  warn(message: string): void {
    this.write('WARN', message);
  }

  error(message: string): void {
    this.write('ERROR', message);
  }

  private write(level: VWOLogLevel, message: string): void {
    if (!this.isLevelEnabled(level)) return;
    try {
      if (this.transport) this.toTransport(level, message);
      else this.toNest(level, message);
    } catch {
      // A logger must never fail the operation it reports on.
    }
  }

  private toTransport(level: VWOLogLevel, message: string): void {
    const t = this.transport!;
    if (level === 'TRACE') (t.trace ?? t.debug).call(t, message);
    else if (level === 'DEBUG') t.debug(message);
    else if (level === 'INFO') t.info(message);
    else if (level === 'WARN') t.warn(message);
    else t.error(message);
  }

  private toNest(level: VWOLogLevel, message: string): void {
    if (level === 'TRACE') this.nest.verbose(message);
    else if (level === 'DEBUG') this.nest.debug(message);
    else if (level === 'INFO') this.nest.log(message);
    else if (level === 'WARN') this.nest.warn(message);
    else this.nest.error(message);
  }
}
