import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Loads the library the way a user does: packed (scripts/pack.sh = build + npm pack), installed from the
 * tarball into a fresh project, compiled against its .d.ts files and run with plain node on Nest 11.
 * Peers come from the repository's node_modules (symlinked, as a user's app has its own).
 */
const ROOT = join(__dirname, '../..');
const PEERS = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/schedule',
  '@nestjs/axios',
  // The app's own test tooling, for the Jest e2e test consumer-check.sh runs.
  '@nestjs/testing',
  'axios',
  'rxjs',
  'reflect-metadata',
  'class-validator',
  'class-transformer',
  // Optional peers: linked so optional entry points can load; the main entry must still not load them.
  '@openfeature/server-sdk',
  '@openfeature/core',
];
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; exports: Record<string, { types: string; default: string } | string> };

// Pack, install, three tsc runs, a boot and a Jest run: minutes on a busy 2-core CI.
jest.setTimeout(360_000);

describe('the packed package, installed in a user project (Nest 11)', () => {
  let work: string;
  let project: string;
  let tarball: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vwo-package-'));
    tarball = (await run('bash', [join(ROOT, 'scripts/pack.sh'), work], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
    project = join(work, 'app');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // Peers are linked afterwards: npm prunes what its package.json does not list.
    // --prefer-offline, not --offline: on a fresh machine npm ci caches tarballs but not the registry metadata npm install needs.
    await run('npm', ['install', tarball, '--prefer-offline', '--no-save', '--no-package-lock', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: project });
    for (const peer of PEERS) {
      const link = join(project, 'node_modules', peer);
      mkdirSync(join(link, '..'), { recursive: true });
      if (!existsSync(link)) symlinkSync(join(ROOT, 'node_modules', peer), link, 'dir');
    }
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the built entries and their types, and no sources or tests', async () => {
    const files = (await run('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/testing/index.js', 'package/dist/testing/index.d.ts']));
    expect(files.filter((file) => /^package\/(lib|test|scripts|bench|sample)\//.test(file) || /\.spec\.(js|d\.ts)$/.test(file))).toEqual([]);
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const targets = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const file of targets) expect({ subpath, file, shipped: files.includes(join('package', file)) }).toEqual({ subpath, file, shipped: true });
    }
  });

  it('installs with its runtime dependencies', () => {
    const installed = JSON.parse(readFileSync(join(project, 'node_modules/nestjs-vwo/package.json'), 'utf8'));
    expect(installed).toMatchObject({ name: pkg.name, version: pkg.version });
    for (const dependency of ['murmurhash', 'uuid']) expect(existsSync(join(project, 'node_modules', dependency, 'package.json'))).toBe(true);
  });

  it('type-checks a user app (node10 and node16 resolution), boots it (flags read, a gated route hidden), and passes its Jest e2e test with the testing module', async () => {
    const { stdout } = await run('bash', [join(ROOT, 'scripts/consumer-check.sh'), project, 'node10', 'node16'], { cwd: project }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`consumer app failed:\n${error.stderr}\n${error.stdout}`);
    });
    const report = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(report.nest).toMatch(/^11\./);
    expect(report.checkout).toEqual({ enabled: true, title: 'New checkout' });
    expect(report.beta).toBe(404);
    expect(report.mainExports).toEqual(
      expect.arrayContaining(['VWOModule', 'VWOService', 'FeatureFlag', 'FeatureFlagGuard', 'SkipFeatureFlag', 'Flag', 'FlagVariable', 'VWOHealthIndicator', 'typedVWO', 'InjectTypedVWO']),
    );
    expect(report.testingExports).toEqual(expect.arrayContaining(['VWOTestingModule', 'VWOTestingService', 'SettingsBuilder']));
    expect(report.optionalPeersLoaded).toEqual([]);
  });

  it('the testing entry loads neither @nestjs/axios nor @nestjs/schedule (ESM-only from Nest 12 on; a test double needs neither)', async () => {
    const loadedBy = async (entry: string): Promise<string[]> => {
      const script = `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache)));`;
      const files = JSON.parse((await run('node', ['-e', script], { cwd: project })).stdout) as string[];
      return [...new Set(files.map((file) => /[\\/]node_modules[\\/](@nestjs[\\/](?:axios|schedule))[\\/]/.exec(file)?.[1]).filter(Boolean))] as string[];
    };
    expect(await loadedBy('nestjs-vwo/testing')).toEqual([]);
    // The same probe sees them through the main entry (VWOModule imports both).
    expect((await loadedBy('nestjs-vwo')).map((name) => name.replace('\\', '/')).sort()).toEqual(['@nestjs/axios', '@nestjs/schedule']);
  });

  it('loads every entry point of the exports map with plain require()', async () => {
    const entries = Object.keys(pkg.exports).filter((subpath) => subpath !== './package.json').map((subpath) => join(pkg.name, subpath));
    const script = `for (const e of ${JSON.stringify(entries)}) console.log(e, Object.keys(require(e)).length);`;
    const { stdout } = await run('node', ['-e', script], { cwd: project });
    const counts = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(' ')));
    expect(Object.keys(counts).sort()).toEqual([...entries].sort());
    for (const count of Object.values(counts)) expect(Number(count)).toBeGreaterThan(0);
  });
});
