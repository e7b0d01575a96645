import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyText } from '../json-response.ts';
import { CONSOLE_PATH } from '../well-known.ts';
import { EventLog } from './events.ts';
import { consoleRefusal } from './guard.ts';
import { CONSOLE_CSP, consolePage } from './page.ts';
import { ConsoleError, type ConsoleTargets, Scenarios } from './scenarios.ts';

/** Where the console lives on the identity provider's origin. */
export { CONSOLE_PATH };

/** The running console: the handler to mount, its event log and scenarios (for tests), and a stop. */
export interface SandboxConsole {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  events: EventLog;
  scenarios: Scenarios;
  /** Stops listening to both servers and ends every open event stream. */
  close(): void;
}

const ASSETS = {
  'console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  'console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
} as const;
const MAX_BODY = 4096;
const HEARTBEAT_MS = 15_000;
/** How many kept events a new page receives first. */
const BACKLOG = 200;

/** Options of {@link createConsole}. */
export interface ConsoleOptions {
  /** A team demo's LAN address: requests arriving there are other machines', and refused. */
  lanAddress?: string;
}

/**
 * The presenter console: a page on the identity provider's origin (`/_sandbox/console`) with its
 * script and stylesheet, a JSON API for its scenarios and the "at a glance" view, and a stream of
 * server-sent events with every request both services saw. It reaches the workspace in-process
 * (`RunningWorkspace.controls`), never over HTTP, so the page talks to its own origin only.
 */
export function createConsole(targets: ConsoleTargets, options: ConsoleOptions = {}): SandboxConsole {
  const publicHost = new URL(targets.entra.url).host;
  const passwords = () => targets.config.users.map((user) => user.password);
  const events = new EventLog(2000, passwords);
  const scenarios = new Scenarios(targets);
  const streams = new Set<ServerResponse>();
  const unsubscribe = [
    targets.entra.onRequest((served) => events.publish(served)),
    targets.workspace.controls.onRequest((served) => events.publish(served)),
  ];
  const assets = new Map(
    Object.entries(ASSETS).map(([name, asset]) => [
      `${CONSOLE_PATH}/${name}`,
      { text: readFileSync(new URL(`./assets/${asset.file}`, import.meta.url), 'utf8'), type: asset.type },
    ]),
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://console.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    try {
      const refusal = consoleRefusal(req, publicHost, options.lanAddress);
      if (refusal !== undefined) throw new ConsoleError('CONSOLE_REFUSED', 403, refusal);
      if (path === CONSOLE_PATH || path === `${CONSOLE_PATH}/`) {
        allow(method, 'GET');
        return sendText(res, 200, consolePage(), 'text/html; charset=utf-8', {
          'Content-Security-Policy': CONSOLE_CSP,
          'Cross-Origin-Opener-Policy': 'same-origin',
        });
      }
      const asset = assets.get(path);
      if (asset !== undefined) {
        allow(method, 'GET');
        return sendText(res, 200, asset.text, asset.type);
      }
      if (path === `${CONSOLE_PATH}/state`) {
        allow(method, 'GET');
        return sendJson(res, 200, state());
      }
      if (path === `${CONSOLE_PATH}/events`) {
        allow(method, 'GET');
        return stream(req, res, url);
      }
      if (path === `${CONSOLE_PATH}/clock`) {
        allow(method, 'POST');
        const body = await readJsonObject(req);
        const advanceMs = body.advanceMs;
        if (typeof advanceMs !== 'number' || !Number.isInteger(advanceMs) || advanceMs < 0 || advanceMs > 86_400_000)
          throw new ConsoleError(
            'CONSOLE_BAD_REQUEST',
            400,
            'Send {"advanceMs": N} with N a whole number of milliseconds up to 86400000.',
          );
        targets.workspace.controls.advanceClock(advanceMs);
        return sendJson(res, 200, state());
      }
      const scenario = path.startsWith(`${CONSOLE_PATH}/scenarios/`)
        ? path.slice(`${CONSOLE_PATH}/scenarios/`.length)
        : undefined;
      if (scenario !== undefined) {
        allow(method, 'POST');
        const body = await readJsonObject(req);
        if (typeof body.on !== 'boolean')
          throw new ConsoleError(
            'CONSOLE_BAD_REQUEST',
            400,
            'Send {"on": true} or {"on": false}, and "user" for a scenario that applies to one user.',
          );
        if (body.user !== undefined && typeof body.user !== 'string')
          throw new ConsoleError('CONSOLE_BAD_REQUEST', 400, '"user" must be a user name such as ana@contoso.example.');
        await scenarios.set(decodeURIComponent(scenario), body.on, body.user as string | undefined);
        // Reset everything takes the console's own log with the servers' request logs.
        if (scenario === 'reset') events.clear();
        return sendJson(res, 200, state());
      }
      throw new ConsoleError(
        'CONSOLE_NOT_FOUND',
        404,
        `The sandbox console has no route ${method} ${path.slice(0, 200)}. It serves ${CONSOLE_PATH}, ${CONSOLE_PATH}/state, ${CONSOLE_PATH}/events, POST ${CONSOLE_PATH}/scenarios/{id} and POST ${CONSOLE_PATH}/clock.`,
      );
    } catch (error) {
      if (!(error instanceof ConsoleError)) throw error;
      return sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
    }
  }

  function allow(method: string, allowed: 'GET' | 'POST'): void {
    if (method !== allowed)
      throw new ConsoleError('CONSOLE_BAD_REQUEST', 405, `Use ${allowed} here, not ${method.slice(0, 16)}.`, {
        Allow: allowed,
      });
  }

  function state() {
    const { config } = targets;
    const ws = targets.workspace.controls.inspect();
    const entra = targets.entra.inspect();
    const app = config.apps.find((candidate) => candidate.clientId === targets.clientId);
    const members = new Map(ws.members.map((member) => [member.upn, member]));
    const roles = new Map(ws.resourceRoles.map((role) => [role.upn, role.role]));
    const faults = targets.entra.faults();
    const listed = (value: string | string[] | undefined, upn: string) =>
      value !== undefined && (Array.isArray(value) ? value : [value]).includes(upn);
    return {
      scenarios: scenarios.list(),
      tenantId: targets.tenantId,
      entraUrl: targets.entra.url,
      apps: config.apps.map((candidate) => ({
        clientId: candidate.clientId,
        displayName: candidate.displayName,
        adminConsent: candidate.adminConsent,
      })),
      users: config.users.map((user) => {
        const member = members.get(user.upn);
        const consentWithdrawn = listed(faults.withdrawConsentFor, user.upn);
        const configuredConsent =
          app !== undefined && (app.adminConsent || app.consentedUsers.includes(user.upn)) && !consentWithdrawn;
        const pageConsent = entra.consents.some(
          (entry) => entry.upn === user.upn && entry.clientId === targets.clientId,
        );
        return {
          upn: user.upn,
          name: user.name,
          password: user.password,
          workspace: member === undefined ? 'not a member' : member.admin ? 'admin' : 'user',
          provisioned: member?.provisioned ?? false,
          azureRole: roles.get(user.upn) ?? null,
          mfa: user.mfa ? 'always' : listed(faults.requireMfaFor, user.upn) ? 'scenario' : 'no',
          consent:
            consentWithdrawn && !pageConsent
              ? 'withdrawn'
              : configuredConsent
                ? app?.adminConsent
                  ? 'admin consent'
                  : 'consented'
                : pageConsent
                  ? 'on the consent page'
                  : 'not yet',
          sessions: entra.sessions.filter((session) => session.accounts.some((account) => account.upn === user.upn))
            .length,
          refreshTokens: entra.refreshTokens
            .filter((entry) => entry.upn === user.upn)
            .reduce((sum, entry) => sum + entry.count, 0),
        };
      }),
      workspace: { ...ws, ...splitResourceId(ws.azureResourceId) },
    };
  }

  function stream(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const lastId = Number(req.headers['last-event-id'] ?? url.searchParams.get('after') ?? Number.NaN);
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    // The whole backlog after a known ID (a reconnect), otherwise the latest events.
    const backlog = Number.isInteger(lastId) && lastId >= 0 ? events.since(lastId) : events.since(0).slice(-BACKLOG);
    res.write(`retry: 2000\n\n`);
    for (const event of backlog) res.write(frame(event.id, event));
    const stopEvents = events.subscribe((event) => res.write(frame(event.id, event)));
    const stopClear = events.onClear(() => res.write('event: clear\ndata: {}\n\n'));
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    streams.add(res);
    res.once('close', () => {
      stopEvents();
      stopClear();
      clearInterval(heartbeat);
      streams.delete(res);
    });
  }

  return {
    handle,
    events,
    scenarios,
    close() {
      for (const stop of unsubscribe) stop();
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}

/** Subscription, resource group and workspace name, as the app's settings ask for them. */
function splitResourceId(id: string): { subscriptionId: string; resourceGroup: string; workspaceName: string } {
  const parts = id.split('/');
  const after = (name: string) => parts[parts.findIndex((part) => part.toLowerCase() === name) + 1] ?? '';
  return {
    subscriptionId: after('subscriptions'),
    resourceGroup: after('resourcegroups'),
    workspaceName: after('workspaces'),
  };
}

function frame(id: number, data: unknown): string {
  return `id: ${id}\nevent: request\ndata: ${JSON.stringify(data)}\n\n`;
}

const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  // Every answer, errors included: no other page may frame any of it.
  'X-Frame-Options': 'DENY',
};

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBodyText(
    req,
    MAX_BODY,
    () => new ConsoleError('CONSOLE_BAD_REQUEST', 413, `The body is larger than ${MAX_BODY} bytes.`),
  );
  let value: unknown;
  try {
    value = JSON.parse(text || '{}');
  } catch {
    throw new ConsoleError('CONSOLE_BAD_REQUEST', 400, 'The body is not JSON; send an object such as {"on": true}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConsoleError('CONSOLE_BAD_REQUEST', 400, 'The body must be a JSON object such as {"on": true}.');
  return value as Record<string, unknown>;
}
