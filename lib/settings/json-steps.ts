/**
 * JSON.parse in steps, for settings documents of many megabytes: JSON.parse of one such document holds the event
 * loop for hundreds of milliseconds, and a worker thread does not help, since handing the parsed tree back is a
 * structured clone of the same size, rebuilt on the main thread. Instead the outer levels (the document, its
 * `features` and `campaigns` lists, one feature...) are split into their members by a scan that yields every
 * few thousand characters, and each member small enough is handed to JSON.parse whole. The result equals
 * JSON.parse's (same values, same key order, `__proto__` kept as a plain key); text JSON.parse rejects throws
 * a SyntaxError here too.
 */

/** A value whose text is shorter than this is parsed whole: JSON.parse takes well under a millisecond on it. */
const PARSE_WHOLE_BELOW = 32 * 1024;
/** Below this many levels everything is parsed whole, so that a deeply nested value is never scanned more than this often. */
const MAX_SPLIT_DEPTH = 4;
/** Characters scanned between two pauses. */
const CHARS_PER_STEP = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Parses `text` as JSON.parse does, pausing (yielding) between pieces; `parseWholeBelow` is for tests. */
export function* parseJsonSteps(text: string, parseWholeBelow = PARSE_WHOLE_BELOW): Generator<void, unknown> {
  if (text.length < parseWholeBelow) return JSON.parse(text) as unknown;
  const start = skipWhitespace(text, 0);
  let end = text.length;
  while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
  return yield* new SteppedParser(text, parseWholeBelow).value(start, end, 0);
}

class SteppedParser {
  constructor(
    private readonly text: string,
    private readonly parseWholeBelow: number,
  ) {}

  /** The value spanning exactly [start, end). */
  *value(start: number, end: number, depth: number): Generator<void, unknown> {
    const first = this.text.charCodeAt(start);
    if (end - start < this.parseWholeBelow || depth >= MAX_SPLIT_DEPTH || (first !== OPEN_OBJECT && first !== OPEN_ARRAY)) {
      const value = JSON.parse(this.text.slice(start, end)) as unknown;
      yield;
      return value;
    }
    return first === OPEN_ARRAY ? yield* this.array(start, end, depth) : yield* this.object(start, end, depth);
  }

  private *array(start: number, end: number, depth: number): Generator<void, unknown[]> {
    const out: unknown[] = [];
    let i = skipWhitespace(this.text, start + 1);
    if (this.text.charCodeAt(i) === CLOSE_ARRAY) return this.closed(out, i, end);
    for (;;) {
      const valueEnd = yield* this.skipValue(i, end);
      out.push(yield* this.value(i, valueEnd, depth + 1));
      i = skipWhitespace(this.text, valueEnd);
      const c = this.text.charCodeAt(i);
      if (c === CLOSE_ARRAY) return this.closed(out, i, end);
      if (c !== COMMA) throw unexpected(i);
      i = skipWhitespace(this.text, i + 1);
    }
  }

  private *object(start: number, end: number, depth: number): Generator<void, Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    let i = skipWhitespace(this.text, start + 1);
    if (this.text.charCodeAt(i) === CLOSE_OBJECT) return this.closed(out, i, end);
    for (;;) {
      if (this.text.charCodeAt(i) !== QUOTE) throw unexpected(i);
      const keyEnd = this.stringEnd(i, end);
      const key = JSON.parse(this.text.slice(i, keyEnd)) as string;
      i = skipWhitespace(this.text, keyEnd);
      if (this.text.charCodeAt(i) !== COLON) throw unexpected(i);
      i = skipWhitespace(this.text, i + 1);
      const valueEnd = yield* this.skipValue(i, end);
      const value = yield* this.value(i, valueEnd, depth + 1);
      // Assigning `__proto__` would set the prototype; JSON.parse makes it an ordinary own property.
      if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
      i = skipWhitespace(this.text, valueEnd);
      const c = this.text.charCodeAt(i);
      if (c === CLOSE_OBJECT) return this.closed(out, i, end);
      if (c !== COMMA) throw unexpected(i);
      i = skipWhitespace(this.text, i + 1);
    }
  }

  /** A container is done at its closing bracket, which must be the last character of its span. */
  private closed<T>(value: T, closeAt: number, end: number): T {
    if (closeAt + 1 !== end) throw unexpected(closeAt + 1);
    return value;
  }

  /**
   * Where the value starting at `start` ends: after its closing quote or bracket, or before the delimiter ending
   * a number or literal. Brackets are only counted here; what they enclose is checked when it is parsed.
   */
  private *skipValue(start: number, end: number): Generator<void, number> {
    const text = this.text;
    const first = text.charCodeAt(start);
    if (first === QUOTE) return this.stringEnd(start, end);
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      let i = start;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isWhitespace(c)) break;
        i++;
      }
      return i;
    }
    let open = 0;
    let pauseAt = start + CHARS_PER_STEP;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) i = this.stringEnd(i, end) - 1;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) open++;
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --open === 0) return i + 1;
      if (i >= pauseAt) {
        yield;
        pauseAt = i + CHARS_PER_STEP;
      }
    }
    throw unexpected(end);
  }

  /** Just after the closing quote of the string opening at `start`. */
  private stringEnd(start: number, end: number): number {
    for (let i = start + 1; ; i++) {
      i = this.text.indexOf('"', i);
      if (i < 0 || i >= end) throw unexpected(end);
      let backslashes = 0;
      while (this.text.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return i + 1;
    }
  }
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipWhitespace(text: string, i: number): number {
  while (isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

function unexpected(at: number): SyntaxError {
  return new SyntaxError(`Unexpected token or end of JSON at position ${at}`);
}
