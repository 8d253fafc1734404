import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * SIGTERM flushes the sample's queued events and stops its settings polling: it exits within this, far below
 * what a timer or socket keeping it alive would take (forever), and generous for a busy CI machine.
 */
const EXITS_AFTER_SIGTERM_MS = 15_000;

/** Starts `npm run sample`'s command on a port the OS picks (PORT=0); resolves with its base URL once it listens. */
function startSample(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete env.VWO_SDK_KEY;
  delete env.VWO_ACCOUNT_ID;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'sample/src/main.ts'], { cwd: ROOT, env, stdio: 'pipe' });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sample did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Shop listening on (http:\/\/[^\s]+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve({ child, base: listening[1], output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sample exited with ${code}:\n${output}`));
    });
  });
}

describe('sample app (npm run sample)', () => {
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('starts offline on its embedded settings and answers from the flag', async () => {
    const started = await startSample();
    child = started.child;
    const { base } = started;
    const checkout = await fetch(`${base}/checkout`, { headers: { 'x-vwo-user-id': 'alice' } });
    expect(checkout.status).toBe(200);
    expect(await checkout.json()).toEqual({ checkout: 'new', headline: 'Check out in one click', buttonText: 'Buy now', reason: 'ROLLOUT' });
    const purchase = await fetch(`${base}/checkout/purchase`, {
      method: 'POST',
      headers: { 'x-vwo-user-id': 'alice', 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 42 }),
    });
    expect(await purchase.json()).toEqual({ tracked: true });

    // The guard: one-click exists for users with the new checkout (everyone); the 50% wishlist hides itself from the rest.
    const oneClick = await fetch(`${base}/checkout/one-click`, { headers: { 'x-vwo-user-id': 'alice' } });
    expect(await oneClick.json()).toEqual({ oneClick: true, buttonText: 'Buy now' });
    expect((await fetch(`${base}/checkout/one-click`)).status).toBe(404);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${base}/wishlist`, { headers: { 'x-vwo-user-id': `shopper-${i}` } });
      statuses.push(res.status);
      if (res.status === 200) expect(await res.json()).toEqual({ items: [], maxItems: 25 });
      else await res.text();
    }
    const inBeta = statuses.filter((s) => s === 200).length;
    expect(statuses.every((s) => s === 200 || s === 404)).toBe(true);
    expect(inBeta).toBeGreaterThan(8);
    expect(inBeta).toBeLessThan(32);
    const again = await fetch(`${base}/wishlist`, { headers: { 'x-vwo-user-id': 'shopper-0' } });
    expect(again.status).toBe(statuses[0]);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    const stopping = Date.now();
    child.kill('SIGTERM');
    await exited;
    expect(Date.now() - stopping).toBeLessThan(EXITS_AFTER_SIGTERM_MS);
  }, 90_000);
});
