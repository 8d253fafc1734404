import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { VWO_SCHEDULER_REGISTRY, VWO_SETTINGS_POLL_INTERVAL } from '../../lib/vwo.internal-constants';
import { FakeVwoServer } from '../support/fake-vwo-server';
import { bootVWO, fakeServerOptions } from './helpers/boot';

/**
 * "Promptly": close() and exit are bounded by this, far below what the tests' hanging requests, 30 s
 * settings timeout and 10 s retry delay would take, and generous for a busy CI machine.
 */
const PROMPTLY_MS = 5_000;
/** A child that has not exited by itself this long after printing its marker is killed and the test fails. */
const CHILD_KILLED_AFTER_MS = 15_000;
/** How long a child may take to compile and boot before printing its marker (minutes on a busy CI machine). */
const CHILD_BOOT_MS = 90_000;

/** Resources keeping the event loop alive, by type (unref'd timers are not listed). */
function activeResources(type: string): number {
  return process.getActiveResourcesInfo().filter((t) => t === type).length;
}

/** Runs helpers/shutdown-child.ts; resolves its output and how long it lived after printing `marker`. */
function runChild(env: Record<string, string>, marker: string): Promise<{ output: string; exitAfterMarkerMs: number; code: number | null }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'helpers', 'shutdown-child.ts')], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
  let output = '';
  let markerAt = 0;
  return new Promise((resolve, reject) => {
    const kill = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`${why}:\n${output}`));
    };
    // Booting is not the subject: the clock that matters starts at the marker.
    let timer = setTimeout(() => kill(`the process did not print "${marker}" within ${CHILD_BOOT_MS} ms`), CHILD_BOOT_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (markerAt || !output.includes(marker)) return;
      markerAt = Date.now();
      clearTimeout(timer);
      timer = setTimeout(() => kill('the process did not exit by itself'), CHILD_KILLED_AFTER_MS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, exitAfterMarkerMs: markerAt ? Date.now() - markerAt : -1, code });
    });
  });
}

describe('shutdown', () => {
  let server: FakeVwoServer;

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
  });
  afterEach(() => server.stop());

  it('removes the poll interval and leaves no timer behind', async () => {
    server.settings = (await import('./helpers/shop-settings.fixture')).shopSettings();
    const { app, vwo } = await bootVWO(fakeServerOptions(server.url, { pollInterval: 1000 }));
    expect(vwo.isReady()).toBe(true);
    const registry = app.get<SchedulerRegistry>(VWO_SCHEDULER_REGISTRY);
    const pollTimer = registry.getInterval(VWO_SETTINGS_POLL_INTERVAL) as NodeJS.Timeout;
    // The poll timer is unref'd: it never keeps the process alive, even before shutdown.
    expect(pollTimer.hasRef()).toBe(false);
    const clearInterval = jest.spyOn(globalThis, 'clearInterval');
    try {
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(PROMPTLY_MS);
      expect(registry.doesExist('interval', VWO_SETTINGS_POLL_INTERVAL)).toBe(false);
      expect(clearInterval).toHaveBeenCalledWith(pollTimer); // stopped, not merely forgotten
    } finally {
      clearInterval.mockRestore();
    }
  });

  it('completes promptly with a settings request hanging and retries pending', async () => {
    server.on('/server-side/v2-settings', { hang: true });
    const { app, vwo } = await bootVWO(
      fakeServerOptions(server.url, { waitForSettings: 100, settingsTimeout: 30_000, retryConfig: { maxRetries: 3, initialDelay: 10 } }),
    );
    expect(vwo.isReady()).toBe(false);
    const timersBefore = activeResources('Timeout');
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(PROMPTLY_MS);
    expect(activeResources('Timeout')).toBeLessThanOrEqual(timersBefore);
  });

  it('a process exits by itself right after app.close(): no timer or socket keeps it alive', async () => {
    server.settings = (await import('./helpers/shop-settings.fixture')).shopSettings();
    const run = await runChild({ VWO_FAKE_URL: server.url, CLOSE: '1' }, 'closed');
    expect(run.output).toContain('ready=true');
    expect(run.code).toBe(0);
    expect(run.exitAfterMarkerMs).toBeGreaterThanOrEqual(0);
    expect(run.exitAfterMarkerMs).toBeLessThan(PROMPTLY_MS);
  }, CHILD_BOOT_MS + CHILD_KILLED_AFTER_MS);

  it('the poll interval alone never keeps a process alive (even without app.close())', async () => {
    server.settings = (await import('./helpers/shop-settings.fixture')).shopSettings();
    const run = await runChild({ VWO_FAKE_URL: server.url }, 'ready=true');
    expect(run.code).toBe(0);
    // A ref'd 1 s poll interval would keep it alive until killed; idle keep-alive sockets may hold it a few seconds.
    expect(run.exitAfterMarkerMs).toBeGreaterThanOrEqual(0);
    expect(run.exitAfterMarkerMs).toBeLessThan(CHILD_KILLED_AFTER_MS - PROMPTLY_MS);
  }, CHILD_BOOT_MS + CHILD_KILLED_AFTER_MS);
});
