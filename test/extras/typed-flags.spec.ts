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
 * Type-checks a fixture as a user's file that imports 'nestjs-vwo' (mapped to the library's source), and
 * returns the diagnostics reported in the fixture itself.
 */
async function typeCheck(source: string): Promise<Diagnostic[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vwo-typed-flags-'));
  try {
    writeFileSync(join(dir, 'main.ts'), source);
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
      files: ['main.ts'],
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

const FIXTURE_NAMES = ['augmented-registry.ts.fixture', 'plain-registry.ts.fixture'];

jest.setTimeout(60_000);

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
        results.set(name, { expected, actual: await typeCheck(source) });
      }),
    );
  });

  it('with a declared registry: typos in flag keys, unknown variables and wrong variable types fail to compile', () => {
    const { expected, actual } = results.get('augmented-registry.ts.fixture')!;
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(actual).toEqual(expected);
  });

  it('without a declaration (opt-in): any key and variable compile, only non-strings are rejected', () => {
    const { expected, actual } = results.get('plain-registry.ts.fixture')!;
    expect(expected).toHaveLength(1);
    expect(actual).toEqual(expected);
  });
});
