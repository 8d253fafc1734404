/**
 * Run as a child process: posts once through WorkerThreadTransport (answered), then starts a request the server
 * never answers and returns without calling destroy(). A ref'd interval stands for the app's own life: it holds
 * the process until the hanging request has had time to reach the server, then stops. From there the process
 * must exit on its own: neither the worker nor the request in flight may keep it alive.
 */
import { WorkerThreadTransport } from '../../../lib/events/worker-thread.transport';

const port = Number(process.argv[2]);
const transport = new WorkerThreadTransport();
const signal = new AbortController().signal;
const post = (path: string, timeoutMs: number) =>
  transport.post({ url: `http://127.0.0.1:${port}${path}`, body: '{}', headers: { 'Content-Type': 'application/json' } }, timeoutMs, signal);

const appLife = setInterval(() => undefined, 1_000);
void post('/status/200', 30_000).then((first) => {
  process.stdout.write(`first=${JSON.stringify(first)}\n`);
  void post('/hang', 60_000).then((late) => process.stdout.write(`hang settled=${JSON.stringify(late)}\n`));
  setTimeout(() => {
    clearInterval(appLife);
    process.stdout.write('app done\n');
  }, 300);
});
process.on('exit', () => process.stdout.write('exited\n'));
