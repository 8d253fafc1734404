import { parseJsonSteps } from './json-steps';

/** Runs the stepped parse to its end, counting the pauses. */
function parse(text: string, parseWholeBelow?: number): { value: unknown; pauses: number } {
  const steps = parseJsonSteps(text, parseWholeBelow);
  for (let pauses = 0; ; pauses++) {
    const step = steps.next();
    if (step.done) return { value: step.value, pauses };
  }
}

/** A small deterministic generator (mulberry32), so that a failure can be replayed from its seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AWKWARD_STRINGS = ['', 'plain', 'quote " inside', 'back\\slash', 'ends with \\', '{[brackets]}', 'comma, colon:', 'ünïcødé ✓ 😀', '\u0000\u001f', '\\"', '__proto__'];

function randomValue(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 5 ? 4 : 7));
  if (kind === 0) return AWKWARD_STRINGS[Math.floor(next() * AWKWARD_STRINGS.length)];
  if (kind === 1) return [0, -1, 3.25, 1e21, -0.5e-7, 123456789012][Math.floor(next() * 6)];
  if (kind === 2) return [true, false, null][Math.floor(next() * 3)];
  if (kind === 3) return `s${Math.floor(next() * 1000)}`;
  if (kind === 4) return Array.from({ length: Math.floor(next() * 6) }, () => randomValue(next, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) {
    const key = next() < 0.2 ? AWKWARD_STRINGS[Math.floor(next() * AWKWARD_STRINGS.length)]! : next() < 0.1 ? String(Math.floor(next() * 20)) : `k${Math.floor(next() * 8)}`;
    out[key] = randomValue(next, depth + 1);
  }
  return out;
}

/** JSON text of a random value, with random (valid) whitespace between tokens. */
function randomText(next: () => number): string {
  const compact = JSON.stringify(randomValue(next, 0));
  return compact.replace(/([,:[\]{}])(?=(?:[^"\\]|\\.|"(?:[^"\\]|\\.)*")*$)/g, (token) => (next() < 0.3 ? [' ', '\n', '\t ', '\r\n'][Math.floor(next() * 4)]! : '') + token);
}

function throwsOn(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    expect(err).toBeInstanceOf(SyntaxError);
    return true;
  }
}

describe('parseJsonSteps', () => {
  it('returns what JSON.parse returns, key order included, when every container is split', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const text = randomText(random(seed));
      const { value } = parse(text, 0);
      expect({ seed, json: JSON.stringify(value) }).toEqual({ seed, json: JSON.stringify(JSON.parse(text)) });
      expect(value).toEqual(JSON.parse(text));
    }
  });

  it('keeps `__proto__` as an own key, as JSON.parse does, instead of setting the prototype', () => {
    const text = '{"__proto__": {"polluted": true}, "a": [{"__proto__": 1}]}';
    const value = parse(text, 0).value as Record<string, any>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(value.polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(value.a[0], '__proto__')?.value).toBe(1);
  });

  it('throws a SyntaxError exactly where JSON.parse does (texts with one character removed, changed or added)', () => {
    const junk = ['', ' ', ',', ':', '"', '\\', '{', '}', '[', ']', 'x', '1', '\u0001'];
    let rejected = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const text = randomText(next);
      const at = Math.floor(next() * (text.length + 1));
      const broken = text.slice(0, at) + junk[Math.floor(next() * junk.length)] + text.slice(at + (next() < 0.5 ? 1 : 0));
      const expected = throwsOn(() => JSON.parse(broken));
      expect({ seed, broken, throws: throwsOn(() => parse(broken, 0)) }).toEqual({ seed, broken, throws: expected });
      if (expected) rejected++;
    }
    expect(rejected).toBeGreaterThan(100);
    for (const text of ['', '   ', '{"a":1} x', '[1 2]', '{"a" 1}', '{"a":}', '[,1]', '[1,]', '{"a":1,}', '[1}', '{"a":[1}', '"open']) {
      expect({ text, throws: throwsOn(() => parse(text, 0)) }).toEqual({ text, throws: true });
    }
  });

  it('pauses between the members of a large document; a small one is parsed at once', () => {
    const doc = { version: 1, features: Array.from({ length: 2000 }, (_, i) => ({ key: `f${i}`, rules: [{ id: i, type: 'FLAG_ROLLOUT' }] })) };
    const large = parse(JSON.stringify(doc));
    expect(large.value).toEqual(doc);
    expect(large.pauses).toBeGreaterThan(1);
    expect(parse('{"small": true}').pauses).toBe(0);
  });
});
