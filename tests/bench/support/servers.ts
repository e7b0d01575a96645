/**
 * The pages under test, served from a process of their own: the app with the sandbox, and on
 * request the sample-style peer and the bare page. A real server does not share its event loop
 * with the browser driver; in one process, Playwright's traffic delays the servers' later
 * event-loop turns (an HTTP/2 response's end of stream is sent in a turn after its body), which
 * on a busy machine held the app's runtime configuration up by tens of milliseconds.
 *
 * The parent (the benchmark) talks to the child over IPC: `ready` with the served app's
 * addresses, then `peer` / `bare` requests, then `close`. The child removes its temporary
 * folders when it exits.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { type ServedApp, sandboxControl, startServedApp } from './app-server.ts';
import { type ServedPage, startBarePage, startPeer } from './pages.ts';

type Served = Omit<ServedApp, 'control' | 'close'>;
type PageInfo = Omit<ServedPage, 'close'>;

type RequestBody = { type: 'peer' } | { type: 'bare'; token: string } | { type: 'close' };
type Request = RequestBody & { id: number };
type Reply =
  | { type: 'ready'; app: Served; stateDir: string }
  | { type: 'page'; id: number; page: PageInfo }
  | { type: 'closed'; id: number }
  | { type: 'error'; id?: number; message: string };

export interface Servers {
  app: ServedApp;
  startPeer(): Promise<ServedPage>;
  /** The bare page, with `token` written into its script (never into a URL or a log). */
  startBarePage(token: string): Promise<ServedPage>;
}

/** Forks the server process and resolves once the app and the sandbox answer. */
export async function startServers(): Promise<Servers> {
  const child: ChildProcess = fork(import.meta.filename, ['--role=servers'], { stdio: 'inherit' });
  const pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  let nextId = 1;
  let exited = false;
  const ready = new Promise<Extract<Reply, { type: 'ready' }>>((resolve, reject) => {
    child.on('message', (message: Reply) => {
      if (message.type === 'ready') return resolve(message);
      if (message.type === 'error' && message.id === undefined)
        return reject(new Error(`The server process did not start: ${message.message}`));
      const waiting = 'id' in message && message.id !== undefined ? pending.get(message.id) : undefined;
      if (!waiting || !('id' in message) || message.id === undefined) return;
      pending.delete(message.id);
      if (message.type === 'error') waiting.reject(new Error(message.message));
      else waiting.resolve(message);
    });
    child.on('exit', (code) => {
      exited = true;
      const error = new Error(`The server process exited (code ${code}).`);
      reject(error);
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
  });
  const ask = (request: RequestBody): Promise<Reply> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error('The server process has exited.'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
  const { app: served, stateDir } = await ready;
  // Chromium trusts the child's local certificate by key pin (support/browser.ts reads it here).
  process.env.EXPLORER_STATE_DIR = stateDir;
  const { control, agent } = sandboxControl(served.entraUrl, served.workspaceUrl, served.ca);
  const page = async (request: RequestBody): Promise<ServedPage> => {
    const reply = await ask(request);
    if (reply.type !== 'page') throw new Error(`Unexpected answer from the server process: ${reply.type}`);
    return { ...reply.page, close: async () => {} }; // stopped with the process
  };
  const app: ServedApp = {
    ...served,
    control,
    async close() {
      await agent.close();
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await Promise.race([ask({ type: 'close' }).catch(() => undefined), gone]);
      const timer = setTimeout(() => child.kill('SIGTERM'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
  return {
    app,
    startPeer: () => page({ type: 'peer' }),
    startBarePage: (token) => page({ type: 'bare', token }),
  };
}

/** The child: serves, answers requests, closes everything on `close`. */
async function serve(): Promise<void> {
  const send = (reply: Reply) => process.send?.(reply);
  let app: ServedApp;
  try {
    app = await startServedApp();
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(2);
  }
  const closers: (() => Promise<unknown>)[] = [() => app.close()];
  const { control: _control, close: _close, ...served } = app;
  send({ type: 'ready', app: served, stateDir: process.env.EXPLORER_STATE_DIR ?? '' });
  process.on('message', async (request: Request) => {
    try {
      if (request.type === 'close') {
        for (const close of closers.reverse()) await close().catch((error: unknown) => console.error(error));
        send({ type: 'closed', id: request.id });
        process.exit(0);
      }
      const started = request.type === 'peer' ? await startPeer(app) : await startBarePage(app, request.token);
      closers.push(() => started.close());
      send({ type: 'page', id: request.id, page: { url: started.url, outDir: started.outDir } });
    } catch (error) {
      send({
        type: 'error',
        id: request.id,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
  // The parent went away without saying close: stop too.
  process.on('disconnect', () => {
    void Promise.allSettled(closers.map((close) => close())).then(() => process.exit(1));
  });
}

if (process.argv.includes('--role=servers')) await serve();
