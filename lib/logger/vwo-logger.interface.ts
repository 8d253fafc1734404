export type VWOLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** What the module logs through. The default bridges to Nest's Logger; any object with these methods works. */
export interface VWOLogger {
  trace?(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Configuration of the default logger (a bridge to Nest's Logger). */
export interface VWOLoggerOptions {
  /** Lowest level written. @default 'ERROR' (as VWO's SDKs) */
  level?: VWOLogLevel;
  /** Text that starts every line. @default 'VWO-SDK' */
  prefix?: string;
  /** Receives the (level-filtered) messages instead of Nest's Logger. */
  transport?: VWOLogger;
}
