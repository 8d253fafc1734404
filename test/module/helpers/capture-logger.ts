import type { VWOLogger, VWOLogLevel } from '../../../lib/logger/vwo-logger.interface';

export interface LogLine {
  level: VWOLogLevel;
  message: string;
}

/** A VWOLogger transport that keeps every line, for assertions. */
export class CaptureLogger implements Required<VWOLogger> {
  readonly lines: LogLine[] = [];

  trace(message: string): void {
    this.lines.push({ level: 'TRACE', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'DEBUG', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'INFO', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'WARN', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'ERROR', message });
  }

  matching(pattern: RegExp, level?: VWOLogLevel): LogLine[] {
    return this.lines.filter((l) => pattern.test(l.message) && (!level || l.level === level));
  }

  get all(): string {
    return this.lines.map((l) => `${l.level} ${l.message}`).join('\n');
  }
}
