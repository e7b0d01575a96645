/**
 * Benchmark of the Databricks proxy: `npx tsx tests/bench/proxy.bench.ts` (or `npm run bench -- proxy`).
 *
 * Three processes, as in `npm start`: the workspace (the sandbox workspace when it is available,
 * otherwise a plain HTTPS server answering clusters/list), the proxy (the same middleware the
 * Vite plugin installs, behind an HTTP/2 + HTTP/1.1 TLS server like Vite's), and this process as
 * the client. In the same run it measures, directly against the workspace and through the proxy:
 *
 * - latency p50/p99 and throughput at 1, 10 and 50 concurrent requests (HTTP/1.1 keep-alive,
 *   one connection per concurrent request);
 * - the proxy process's peak memory (RSS, heap and buffers above its idle level) while streaming
 *   5, 50 and 100 MB responses;
 * - CPU time per request of the proxy and of the workspace (for reading the throughput ratio:
 *   client, proxy and workspace share the machine's cores).
 *
 * Budgets: p50 overhead < 1 ms at concurrency 1; throughput through the proxy ≥ 90 % of direct at
 * each level; memory flat in response size (peak RSS growth under one constant, 32 MB, for every
 * size, so a proxy that buffers a 50 or 100 MB response fails). Prints
 * a table and exits 1 when a budget is missed. Loopback only; bounded loops; about 25 s.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';

const ROOT = join(import.meta.dirname, '..', '..');
const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length) ?? 'main';

const LATENCY_REQUESTS = 2000;
const LATENCY_SECONDS_CAP = 4;
const THROUGHPUT_SECONDS = 3;
const CONCURRENCY = [1, 10, 50] as const;
const STREAM_SIZES_MB = [5, 50, 100] as const;
const MB = 1024 * 1024;
/** Peak RSS growth allowed while streaming any of the sizes: below the 50 and 100 MB responses, so buffering fails. */
const MEMORY_BUDGET_MB = 32;

interface UpstreamReady {
  kind: 'ready';
  workspaceHost: string;
  streamHost: string;
  token: string;
  ca: string;
  description: string;
}

// ---------------------------------------------------------------------------------------------
// Child: the workspace and a streaming server.

async function runUpstream(): Promise<void> {
  const { ensureLocalTls } = await import('../../src/sandbox/tls.ts');
  const tls = await ensureLocalTls(join(process.env.EXPLORER_STATE_DIR ?? '', 'tls'));

  const streamServer = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => streamBytes(req, res));
  await listen(streamServer);
  const streamHost = `127.0.0.1:${(streamServer.address() as AddressInfo).port}`;

  let workspaceHost: string;
  let token = 'benchmark-token';
  let description: string;
  if (existsSync(join(ROOT, 'src', 'sandbox', 'databricks', 'index.ts'))) {
    const jose = await import('jose');
    const ws = await import('../../src/sandbox/databricks/index.ts');
    const { privateKey, publicKey } = await jose.generateKeyPair('RS256');
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
    const tenantId = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
    const running = await ws.startWorkspace({
      config: ws.workspaceConfigSchema.parse({ ...ws.DEFAULT_WORKSPACE_CONFIG, rateLimit: false }),
      tls,
      host: '127.0.0.1',
      port: 0,
      tokenKeys: jose.createLocalJWKSet({ keys: [jwk] }),
      tenantId,
      authorizeUrl: `https://localhost:1/${tenantId}/oauth2/v2.0/authorize`,
    });
    const now = Math.floor(Date.now() / 1000);
    token = await new jose.SignJWT({
      aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d',
      iss: `https://sts.windows.net/${tenantId}/`,
      tid: tenantId,
      oid: '0b0b0000-0000-4000-8000-000000000002',
      upn: 'ben@contoso.example',
      unique_name: 'ben@contoso.example',
      name: 'Ben Admin',
      scp: 'user_impersonation',
      appid: '12a34b56-789c-0d12-e3fa-b456789c0123',
      ver: '1.0',
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'bench' })
      .sign(privateKey);
    workspaceHost = new URL(running.url).host;
    description = `the sandbox workspace (GET /api/2.0/clusters/list as a workspace admin, JWT checked per request)`;
  } else {
    const body = JSON.stringify({ clusters: Array.from({ length: 12 }, (_, i) => fakeCluster(i)) });
    const plain = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    await listen(plain);
    workspaceHost = `127.0.0.1:${(plain.address() as AddressInfo).port}`;
    description =
      'a plain HTTPS server answering clusters/list with 12 clusters (the sandbox workspace is not available)';
  }
  answerCpuQueries();
  send({ kind: 'ready', workspaceHost, streamHost, token, ca: tls.ca, description } satisfies UpstreamReady);
}

function fakeCluster(i: number) {
  return {
    cluster_id: `0612-081530-bench${String(i).padStart(3, '0')}`,
    cluster_name: `bench-${i}`,
    spark_version: '15.4.x-scala2.12',
    node_type_id: 'Standard_DS3_v2',
    state: 'RUNNING',
    num_workers: 2,
  };
}

/** `GET /api/stream?mb=N`: N MiB in 64 KiB chunks, honouring backpressure. */
async function streamBytes(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const mb = Number(new URL(req.url ?? '/', 'https://x').searchParams.get('mb') ?? '1');
  const chunk = Buffer.alloc(64 * 1024, 'd');
  const chunks = Math.min(mb, 1024) * 16;
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': chunks * chunk.length });
  for (let i = 0; i < chunks && !res.destroyed; i += 1) {
    if (!res.write(chunk)) await writable(res);
  }
  res.end();
}

/** Resolves on 'drain' or 'close', whichever comes first, leaving no listener behind. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

// ---------------------------------------------------------------------------------------------
// Child: the proxy, with a memory sampler driven over IPC.

async function runProxy(): Promise<void> {
  const [{ createProxyMiddleware }, { createSecurityHeadersMiddleware }, { ensureLocalTls }] = await Promise.all([
    import('../../src/proxy/middleware.ts'),
    import('../../src/proxy/security-headers.ts'),
    import('../../src/sandbox/tls.ts'),
  ]);
  const tls = await ensureLocalTls(join(process.env.EXPLORER_STATE_DIR ?? '', 'tls'));
  const hosts = JSON.parse(process.env.BENCH_HOSTS ?? '[]') as string[];
  const proxy = createProxyMiddleware({ extraHosts: hosts, extraCa: tls.ca, log: () => {} });
  const headers = createSecurityHeadersMiddleware({ identityOrigins: [], dev: false });
  const server = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, (req, res) => {
    const request = req as unknown as IncomingMessage;
    const response = res as unknown as ServerResponse;
    headers(request, response, () =>
      proxy(request, response, () => {
        response.statusCode = 404;
        response.end();
      }),
    );
  });
  await listen(server);

  let sampler: NodeJS.Timeout | undefined;
  let base = { rss: 0, heap: 0, buffers: 0 };
  let peak = { rss: 0, heap: 0, buffers: 0 };
  answerCpuQueries();
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'mem-start') {
      global.gc?.();
      const now = process.memoryUsage();
      base = { rss: now.rss, heap: now.heapUsed, buffers: now.arrayBuffers };
      peak = { ...base };
      const sample = () => {
        const m = process.memoryUsage();
        peak = {
          rss: Math.max(peak.rss, m.rss),
          heap: Math.max(peak.heap, m.heapUsed),
          buffers: Math.max(peak.buffers, m.arrayBuffers),
        };
      };
      sampler = setInterval(sample, 5);
    } else if (message.kind === 'mem-stop') {
      clearInterval(sampler);
      const m = process.memoryUsage();
      peak = {
        rss: Math.max(peak.rss, m.rss),
        heap: Math.max(peak.heap, m.heapUsed),
        buffers: Math.max(peak.buffers, m.arrayBuffers),
      };
      send({
        kind: 'mem',
        rss: peak.rss - base.rss,
        heap: peak.heap - base.heap,
        buffers: peak.buffers - base.buffers,
      });
    }
  });
  send({ kind: 'ready', origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

// ---------------------------------------------------------------------------------------------
// Main: the client, the measurements and the verdict.

interface Measurement {
  latencies: number[];
  requests: number;
  seconds: number;
}

async function runMain(): Promise<number> {
  const stateDir = mkdtempSync(join(tmpdir(), 'explorer-proxy-bench-'));
  const children: ChildProcess[] = [];
  try {
    const env = { ...process.env, EXPLORER_STATE_DIR: stateDir, NODE_ENV: 'production' };
    // Generate the TLS material once, before two processes race to create it.
    const { ensureLocalTls } = await import('../../src/sandbox/tls.ts');
    await ensureLocalTls(join(stateDir, 'tls'));

    const upstreamChild = spawnRole('upstream', env);
    children.push(upstreamChild);
    const upstream = await nextMessage<UpstreamReady>(upstreamChild, 'ready');
    const proxyChild = spawnRole('proxy', {
      ...env,
      BENCH_HOSTS: JSON.stringify([upstream.workspaceHost, upstream.streamHost]),
    });
    children.push(proxyChild);
    const { origin: proxyOrigin } = await nextMessage<{ origin: string }>(proxyChild, 'ready');

    console.log(`Upstream: ${upstream.description}.`);
    console.log('Client → proxy: HTTPS HTTP/1.1 keep-alive; proxy → workspace: HTTPS via undici keep-alive pool.\n');

    const directUrl = `https://${upstream.workspaceHost}/api/2.0/clusters/list`;
    const proxyUrl = `${proxyOrigin}/databricks/${upstream.workspaceHost}/api/2.0/clusters/list`;
    const headers = { authorization: `Bearer ${upstream.token}`, accept: 'application/json' };

    // Sanity: both paths answer 200 with the same body before anything is measured.
    const agent = new Agent({ connect: { ca: upstream.ca }, connections: 1 });
    const [a, b] = await Promise.all([fetchOnce(agent, directUrl, headers), fetchOnce(agent, proxyUrl, headers)]);
    if (a.status !== 200 || b.status !== 200 || a.body !== b.body) {
      throw new Error(
        `direct answered ${a.status}, proxy ${b.status}; bodies ${a.body === b.body ? 'equal' : 'differ'}: ${b.body.slice(0, 300)}`,
      );
    }
    await agent.close();

    const rows: string[][] = [];
    const verdicts: boolean[] = [];
    const cpu: Array<{ client: number; workspace: number; proxy: number }> = [];
    const ms = (n: number) => `${n.toFixed(3)} ms`;

    for (const concurrency of CONCURRENCY) {
      const directAgent = new Agent({ connect: { ca: upstream.ca }, connections: concurrency });
      const proxyAgent = new Agent({
        connect: { ca: upstream.ca },
        connections: concurrency,
        allowH2: process.argv.includes('--h2'),
      });
      await load(directAgent, directUrl, headers, concurrency, { requests: 300 });
      await load(proxyAgent, proxyUrl, headers, concurrency, { requests: 300 });
      // Alternate the two paths in slices so drift (CPU frequency, GC) hits both alike.
      const direct: Measurement = { latencies: [], requests: 0, seconds: 0 };
      const viaProxy: Measurement = { latencies: [], requests: 0, seconds: 0 };
      let proxyCpu = 0;
      let upstreamCpu = 0;
      let clientCpuDirect = 0;
      let clientCpuProxy = 0;
      const slices = 4;
      for (let i = 0; i < slices; i += 1) {
        const limit =
          concurrency === 1
            ? { requests: LATENCY_REQUESTS / slices, seconds: LATENCY_SECONDS_CAP / slices }
            : { seconds: THROUGHPUT_SECONDS / slices };
        const u0 = await cpuOf(upstreamChild);
        let c0 = ownCpu();
        merge(direct, await load(directAgent, directUrl, headers, concurrency, limit));
        clientCpuDirect += ownCpu() - c0;
        upstreamCpu += (await cpuOf(upstreamChild)) - u0;
        const p0 = await cpuOf(proxyChild);
        c0 = ownCpu();
        merge(viaProxy, await load(proxyAgent, proxyUrl, headers, concurrency, limit));
        clientCpuProxy += ownCpu() - c0;
        proxyCpu += (await cpuOf(proxyChild)) - p0;
      }
      await directAgent.close();
      await proxyAgent.close();

      const d = summarize(direct);
      const p = summarize(viaProxy);
      const ratio = p.throughput / d.throughput;
      rows.push([
        `c=${concurrency} p50 latency`,
        ms(d.p50),
        ms(p.p50),
        `+${ms(p.p50 - d.p50)}`,
        concurrency === 1 ? '< +1 ms' : '—',
      ]);
      rows.push([`c=${concurrency} p99 latency`, ms(d.p99), ms(p.p99), `+${ms(p.p99 - d.p99)}`, '—']);
      rows.push([
        `c=${concurrency} throughput`,
        `${d.throughput.toFixed(0)} req/s`,
        `${p.throughput.toFixed(0)} req/s`,
        `${(ratio * 100).toFixed(1)} %`,
        '≥ 90 %',
      ]);
      const perRequest = (micros: number, m: Measurement) => `${(micros / m.requests).toFixed(0)} µs`;
      rows.push([
        `c=${concurrency} CPU per request`,
        `client ${perRequest(clientCpuDirect, direct)}, workspace ${perRequest(upstreamCpu, direct)}`,
        `client ${perRequest(clientCpuProxy, viaProxy)}, proxy ${perRequest(proxyCpu, viaProxy)}`,
        '',
        '(information)',
      ]);
      cpu.push({
        client: clientCpuDirect / direct.requests,
        workspace: upstreamCpu / direct.requests,
        proxy: proxyCpu / viaProxy.requests,
      });
      if (concurrency === 1) verdicts.push(p.p50 - d.p50 < 1);
      verdicts.push(ratio >= 0.9);
    }

    const memory: Record<number, { rss: number; heap: number; buffers: number }> = {};
    const streamAgent = new Agent({ connect: { ca: upstream.ca }, connections: 1 });
    for (const size of STREAM_SIZES_MB) {
      proxyChild.send({ kind: 'mem-start' });
      const started = performance.now();
      const received = await drain(
        streamAgent,
        `${proxyOrigin}/databricks/${upstream.streamHost}/api/stream?mb=${size}`,
      );
      const seconds = (performance.now() - started) / 1000;
      proxyChild.send({ kind: 'mem-stop' });
      const mem = await nextMessage<{ rss: number; heap: number; buffers: number }>(proxyChild, 'mem');
      if (received !== size * MB) throw new Error(`streamed ${received} bytes instead of ${size * MB}`);
      memory[size] = mem;
      rows.push([
        `stream ${size} MB: proxy peak memory`,
        `${(size / seconds).toFixed(0)} MB/s`,
        `RSS +${(mem.rss / MB).toFixed(1)} MB, heap +${(mem.heap / MB).toFixed(1)} MB, buffers +${(mem.buffers / MB).toFixed(1)} MB`,
        '',
        `RSS ≤ +${MEMORY_BUDGET_MB} MB`,
      ]);
    }
    await streamAgent.close();
    // Buffering would cost at least the response size; streaming stays under a constant (socket
    // and TLS buffers awaiting garbage collection), whatever the size.
    verdicts.push(
      STREAM_SIZES_MB.every((size) => (memory[size]?.rss ?? Number.POSITIVE_INFINITY) <= MEMORY_BUDGET_MB * MB),
    );
    printTable(['measure', 'direct', 'through proxy', 'overhead / ratio', 'budget'], rows);
    // Client, proxy and workspace share this machine's cores, so when the run is CPU-bound the
    // ratio cannot exceed (client + workspace) / (client + proxy + workspace) CPU per request.
    const last = cpu[cpu.length - 1];
    if (last) {
      const bound = (last.client + last.workspace) / (last.client + last.proxy + last.workspace);
      console.log(
        `\nCPU-bound ceiling for the throughput ratio on this machine (c=50): ${(bound * 100).toFixed(0)} %. ` +
          `One core runs the proxy at about ${(1e6 / last.proxy).toFixed(0)} req/s; ${os.availableParallelism()} cores, load average ${os.loadavg()[0]?.toFixed(1)}.`,
      );
    }
    const ok = verdicts.every(Boolean);
    console.log(`\n${ok ? 'Proxy benchmark: every budget met.' : 'Proxy benchmark: BUDGET MISSED (see the table).'}`);
    return ok ? 0 : 1;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function fetchOnce(agent: Agent, url: string, headers: Record<string, string>) {
  const response = await request(url, { dispatcher: agent, headers });
  return { status: response.statusCode, body: await response.body.text() };
}

/** `concurrency` loops sending requests back to back, until `requests` in total or `seconds` have passed. */
async function load(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  concurrency: number,
  limit: { requests?: number; seconds?: number },
): Promise<Measurement> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = limit.seconds === undefined ? Number.POSITIVE_INFINITY : started + limit.seconds * 1000;
  const budget = limit.requests ?? 1_000_000;
  let issued = 0;
  const worker = async () => {
    while (issued < budget && performance.now() < deadline) {
      issued += 1;
      const t0 = performance.now();
      const response = await request(url, { dispatcher: agent, headers });
      await response.body.dump({ limit: Number.POSITIVE_INFINITY });
      if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, requests: latencies.length, seconds: (performance.now() - started) / 1000 };
}

async function drain(agent: Agent, url: string): Promise<number> {
  const response = await request(url, { dispatcher: agent });
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Buffer).length;
  return bytes;
}

function ownCpu(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function merge(into: Measurement, from: Measurement): void {
  into.latencies.push(...from.latencies);
  into.requests += from.requests;
  into.seconds += from.seconds;
}

function summarize(m: Measurement) {
  const sorted = [...m.latencies].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), throughput: m.requests / m.seconds };
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

// ---------------------------------------------------------------------------------------------
// Plumbing.

function spawnRole(name: string, env: NodeJS.ProcessEnv): ChildProcess {
  return fork(import.meta.filename, [`--role=${name}`], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

const inboxes = new WeakMap<
  ChildProcess,
  { queue: Array<{ kind: string }>; waiters: Array<() => void>; exit?: number | null }
>();

/** The next message of `kind` from `child` (messages of other kinds are skipped). */
async function nextMessage<T>(child: ChildProcess, kind: string): Promise<T> {
  let inbox = inboxes.get(child);
  if (!inbox) {
    const box: { queue: Array<{ kind: string }>; waiters: Array<() => void>; exit?: number | null } = {
      queue: [],
      waiters: [],
    };
    child.on('message', (message: { kind: string }) => {
      box.queue.push(message);
      for (const wake of box.waiters.splice(0)) wake();
    });
    child.once('exit', (code) => {
      box.exit = code;
      for (const wake of box.waiters.splice(0)) wake();
    });
    inboxes.set(child, box);
    inbox = box;
  }
  for (;;) {
    const index = inbox.queue.findIndex((m) => m.kind === kind);
    if (index !== -1) return inbox.queue.splice(index, 1)[0] as T;
    inbox.queue.length = 0;
    if (inbox.exit !== undefined)
      throw new Error(`a benchmark process exited (code ${inbox.exit}) before sending '${kind}'`);
    await new Promise<void>((resolve) => inbox.waiters.push(resolve));
  }
}

/** Asks a child to exit (so a --cpu-prof profile gets written), killing it if it does not. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.send({ kind: 'exit' });
  const timer = setTimeout(() => child.kill(), 2000);
  await exited;
  clearTimeout(timer);
}

/** Answers `{ kind: 'cpu' }` with this process's CPU time so far, in microseconds; exits on `{ kind: 'exit' }`. */
function answerCpuQueries(): void {
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'exit') process.exit(0);
    if (message.kind !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    send({ kind: 'cpu', micros: user + system });
  });
}

async function cpuOf(child: ChildProcess): Promise<number> {
  child.send({ kind: 'cpu' });
  return (await nextMessage<{ micros: number }>(child, 'cpu')).micros;
}

function send(message: object): void {
  process.send?.(message);
}

function listen(server: {
  listen: (port: number, host: string, cb: () => void) => unknown;
  once: (e: string, cb: (err: Error) => void) => unknown;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

if (role === 'upstream') {
  runUpstream().catch((error) => {
    console.error('[bench upstream]', error);
    process.exit(1);
  });
} else if (role === 'proxy') {
  runProxy().catch((error) => {
    console.error('[bench proxy]', error);
    process.exit(1);
  });
} else {
  runMain().then(
    (code) => process.exit(code),
    (error) => {
      console.error('Proxy benchmark failed to run:', error);
      process.exit(2);
    },
  );
}
