import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../..');
const FIXTURES = join(__dirname, 'fixtures/typed-flags');
const MARKER = /^\s*\/\/ @ts-expect-error (TS\d+)/;

interface Diagnostic {
  line: number;
  code: string;
}

/**
 * Type-checks a fixture as a user's file that imports 'nestjs-vwo' (mapped to the library's source), with the
 * user's other files (`companions`, by name), and returns the diagnostics reported in the fixture itself.
 */
async function typeCheck(source: string, companions: Record<string, string> = {}): Promise<Diagnostic[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vwo-typed-flags-'));
  try {
    writeFileSync(join(dir, 'main.ts'), source);
    for (const [name, text] of Object.entries(companions)) writeFileSync(join(dir, name), text);
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'commonjs',
        moduleResolution: 'node',
        target: 'ES2022',
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
        skipLibCheck: true,
        baseUrl: ROOT,
        // The user's own dependencies (Nest) resolve from the repository's node_modules.
        paths: { 'nestjs-vwo': ['lib/index.ts'], 'nestjs-vwo/testing': ['lib/testing/index.ts'], '*': ['node_modules/*'] },
        typeRoots: [join(ROOT, 'node_modules/@types')],
        types: ['node'],
      },
      files: [...Object.keys(companions), 'main.ts'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    const output = await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['-p', dir, '--pretty', 'false'], { cwd: dir }).then(
      (result) => result.stdout,
      (error: { stdout: string }) => error.stdout,
    );
    return [...output.matchAll(/^main\.ts\((\d+),\d+\): error (TS\d+)/gm)].map((m) => ({ line: Number(m[1]), code: m[2]! }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fixture with its markers blanked (line numbers kept), and the error each marker announces for the next line. */
function withoutMarkers(source: string): { source: string; expected: Diagnostic[] } {
  const expected: Diagnostic[] = [];
  const lines = source.split('\n').map((line, index) => {
    const marker = MARKER.exec(line);
    if (!marker) return line;
    expected.push({ line: index + 2, code: marker[1]! });
    return '';
  });
  return { source: lines.join('\n'), expected };
}

/** The README's declaration file, exactly as a user copies it (the ```ts block that starts with its name). */
function readmeDeclarationFile(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```ts\n(\/\/ src\/vwo-flags\.d\.ts[^\n]*\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```ts block starting with "// src/vwo-flags.d.ts"');
  return block[1]!;
}

/** Each fixture and the user files compiled with it (the augmented one with the README's vwo-flags.d.ts). */
const FIXTURES_WITH_COMPANIONS: Record<string, () => Record<string, string>> = {
  'augmented-registry.ts.fixture': () => ({ 'vwo-flags.d.ts': readmeDeclarationFile() }),
  'plain-registry.ts.fixture': () => ({}),
};
const FIXTURE_NAMES = Object.keys(FIXTURES_WITH_COMPANIONS);

// Two full tsc programs (one per fixture): seconds when idle, minutes on a busy 2-core CI.
jest.setTimeout(240_000);

/**
 * Each fixture marks the lines that must not compile with `// @ts-expect-error TSxxxx why`. Checking the
 * fixture with the markers blanked must report exactly those errors, on exactly those lines: so each
 * rejected line fails for the announced reason, and every other line compiles. (One program per fixture:
 * a module augmentation is global to its program.)
 */
describe('typed flags (VWOFlagRegistry), checked by tsc on user-like fixtures', () => {
  const results = new Map<string, { expected: Diagnostic[]; actual: Diagnostic[] }>();

  beforeAll(async () => {
    await Promise.all(
      FIXTURE_NAMES.map(async (name) => {
        const { source, expected } = withoutMarkers(readFileSync(join(FIXTURES, name), 'utf8'));
        results.set(name, { expected, actual: await typeCheck(source, FIXTURES_WITH_COMPANIONS[name]!()) });
      }),
    );
  });

  it("with the README's declaration file: typos in flag keys, unknown variables and wrong variable types fail to compile, in getFlag and in @FeatureFlag / @Flag / @FlagVariable", () => {
    const { expected, actual } = results.get('augmented-registry.ts.fixture')!;
    expect(expected.length).toBeGreaterThanOrEqual(12);
    expect(actual).toEqual(expected);
  });

  it('without a declaration (opt-in): any key and variable compile, only non-strings are rejected', () => {
    const { expected, actual } = results.get('plain-registry.ts.fixture')!;
    expect(expected).toHaveLength(1);
    expect(actual).toEqual(expected);
  });
});
