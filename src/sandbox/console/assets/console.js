// @ts-check
/**
 * The presenter console's script, served by the sandbox as it is (no build step; type-checked
 * with JSDoc by assets/tsconfig.json). Everything it shows is written as text, never as HTML.
 * Every change it asks for is a same-origin POST with Content-Type: application/json, which a
 * web page on another origin cannot send without a CORS preflight, and the sandbox grants none.
 */

const BASE = '/_sandbox/console';
const MAX_ROWS = 400;

/**
 * @typedef {{ id: string, title: string, effect: string, kind: 'toggle' | 'action', on: boolean,
 *   perUser: boolean, user?: string, status?: string }} Scenario
 * @typedef {{ upn: string, name: string, password: string, workspace: string, provisioned: boolean,
 *   azureRole: string | null, mfa: string, consent: string, sessions: number, refreshTokens: number }} User
 * @typedef {{ url: string, workspaceId: string, azureResourceId: string, subscriptionId: string,
 *   resourceGroup: string, workspaceName: string, clusterCount: number, now: number, clockOffsetMs: number }} Workspace
 * @typedef {{ scenarios: Scenario[], users: User[], workspace: Workspace, tenantId: string, entraUrl: string,
 *   apps: { clientId: string, displayName: string, adminConsent: boolean }[] }} State
 * @typedef {{ id: number, service: 'entra' | 'workspace', time: string, method: string, path: string,
 *   query: string, status: number, durationMs: number, user?: string, clientId?: string, detail?: string }} LogEvent
 */

/** @type {State | undefined} */
let current;
let paused = false;
/** @type {LogEvent[]} */
const held = [];

/** @param {string} id */
function byId(id) {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The console page has no #${id}.`);
  return element;
}

/**
 * @param {string} tag
 * @param {{ className?: string, text?: string }} [options]
 * @param {(Node | string)[]} [children]
 */
function el(tag, options = {}, children = []) {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  for (const child of children) element.append(child);
  return element;
}

/** @param {string} message */
function announce(message) {
  byId('status').textContent = message;
}

/**
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<State>}
 */
async function call(path, body) {
  const response = await fetch(`${BASE}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers:
      body === undefined
        ? { Accept: 'application/json' }
        : { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Sandbox-Control': '1' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data?.error?.message ?? `The sandbox answered ${response.status}.`);
  return data;
}

/** @param {State} state */
function render(state) {
  current = state;
  renderScenarios(state);
  renderUsers(state);
  renderWorkspace(state);
}

/** @param {State} state */
function renderScenarios(state) {
  const list = byId('scenario-list');
  for (const scenario of state.scenarios) {
    let item = document.getElementById(`scenario-${scenario.id}`);
    if (item === null) {
      item = buildScenario(scenario, state.users);
      list.append(item);
    }
    const button = /** @type {HTMLButtonElement} */ (item.querySelector('button.switch'));
    if (scenario.kind === 'toggle') button.setAttribute('aria-pressed', String(scenario.on));
    item.classList.toggle('on', scenario.on);
    const badge = item.querySelector('.badge');
    if (badge) badge.textContent = scenario.kind === 'toggle' ? (scenario.on ? 'On' : 'Off') : '';
    const effect = item.querySelector('.effect');
    if (effect) effect.textContent = scenario.effect;
    const status = item.querySelector('.scenario-status');
    if (status) status.textContent = scenario.status ?? '';
    const select = /** @type {HTMLSelectElement | null} */ (item.querySelector('select'));
    if (select && scenario.user) {
      select.value = scenario.user;
      select.disabled = scenario.on;
    }
  }
}

/**
 * @param {Scenario} scenario
 * @param {User[]} users
 */
function buildScenario(scenario, users) {
  const item = el('li', { className: 'scenario' });
  item.id = `scenario-${scenario.id}`;
  const headingId = `scenario-${scenario.id}-title`;
  const effectId = `scenario-${scenario.id}-effect`;
  const heading = el('h3', { text: scenario.title });
  heading.id = headingId;
  const badge = el('span', { className: 'badge' });
  badge.setAttribute('aria-hidden', 'true');
  const effect = el('p', { className: 'effect' });
  effect.id = effectId;
  const controls = el('div', { className: 'scenario-controls' });
  /** @type {HTMLSelectElement | undefined} */
  let select;
  if (scenario.perUser) {
    select = /** @type {HTMLSelectElement} */ (el('select'));
    select.id = `scenario-${scenario.id}-user`;
    for (const user of users) {
      const option = /** @type {HTMLOptionElement} */ (el('option', { text: `${user.name} (${user.upn})` }));
      option.value = user.upn;
      select.append(option);
    }
    const label = el('label', { text: 'User' });
    label.setAttribute('for', select.id);
    controls.append(label, select);
  }
  const button = /** @type {HTMLButtonElement} */ (
    el('button', { className: 'switch', text: scenario.kind === 'toggle' ? scenario.title : 'Reset everything' })
  );
  button.type = 'button';
  button.setAttribute('aria-describedby', effectId);
  button.addEventListener('click', () => {
    const on = scenario.kind === 'action' ? true : button.getAttribute('aria-pressed') !== 'true';
    void switchScenario(scenario.id, on, select?.value, button);
  });
  controls.append(button);
  if (scenario.id === 'cluster-lifecycle') {
    const skip = /** @type {HTMLButtonElement} */ (el('button', { className: 'secondary', text: 'Skip ahead 15 s' }));
    skip.type = 'button';
    skip.addEventListener('click', () => void skipAhead(skip));
    controls.append(skip);
  }
  item.append(el('div', { className: 'scenario-head' }, [heading, badge]), effect, controls);
  item.append(el('p', { className: 'scenario-status' }));
  return item;
}

/**
 * @param {string} id
 * @param {boolean} on
 * @param {string | undefined} user
 * @param {HTMLButtonElement} button
 */
async function switchScenario(id, on, user, button) {
  button.disabled = true;
  try {
    const state = await call(`/scenarios/${encodeURIComponent(id)}`, user === undefined ? { on } : { on, user });
    render(state);
    const scenario = state.scenarios.find((candidate) => candidate.id === id);
    announce(
      scenario?.kind === 'action' ? `${scenario.title}: done.` : `${scenario?.title ?? id}: ${on ? 'on' : 'off'}.`,
    );
  } catch (error) {
    announce(`Could not switch ${id}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    button.disabled = false;
    button.focus();
  }
}

/** @param {HTMLButtonElement} button */
async function skipAhead(button) {
  button.disabled = true;
  try {
    render(await call('/clock', { advanceMs: 15_000 }));
    announce('The workspace clock moved on 15 seconds.');
  } catch (error) {
    announce(`Could not move the clock: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    button.disabled = false;
  }
}

/** @param {State} state */
function renderUsers(state) {
  const rows = state.users.map((user) =>
    el('tr', {}, [
      el('th', { className: 'user' }, [
        el('span', { text: user.name }),
        el('span', { className: 'sub', text: user.upn }),
      ]),
      el('td', {}, [el('code', { text: user.password })]),
      el('td', { text: user.provisioned ? `${user.workspace} (through the resource ID)` : user.workspace }),
      el('td', { text: user.azureRole ?? '—' }),
      el('td', { text: user.mfa === 'always' ? 'always' : user.mfa === 'scenario' ? 'required now' : '—' }),
      el('td', { text: user.consent }),
      el('td', {
        text:
          user.sessions === 0 && user.refreshTokens === 0
            ? '—'
            : `${user.sessions} session${user.sessions === 1 ? '' : 's'}, ${user.refreshTokens} refresh token${user.refreshTokens === 1 ? '' : 's'}`,
      }),
    ]),
  );
  for (const row of rows) row.firstElementChild?.setAttribute('scope', 'row');
  byId('user-rows').replaceChildren(...rows);
}

/**
 * @param {string} label
 * @param {string} value
 */
function copyFact(label, value) {
  const button = /** @type {HTMLButtonElement} */ (
    el('button', { className: 'copy', text: `Copy ${label.toLowerCase()}` })
  );
  button.type = 'button';
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
      announce(`${label} copied.`);
    } catch {
      announce(`Could not copy; select the ${label.toLowerCase()} and copy it by hand.`);
    }
  });
  return [el('dt', { text: label }), el('dd', {}, [el('code', { text: value }), button])];
}

/** @param {State} state */
function renderWorkspace(state) {
  const ws = state.workspace;
  const offset = ws.clockOffsetMs > 0 ? ` (moved on ${Math.round(ws.clockOffsetMs / 1000)} s)` : '';
  byId('workspace-facts').replaceChildren(
    el('dt', { text: 'URL' }),
    el('dd', {}, [el('code', { text: ws.url })]),
    el('dt', { text: 'Clusters' }),
    el('dd', { text: ws.clusterCount.toLocaleString('en') }),
    el('dt', { text: 'Workspace clock' }),
    el('dd', { text: `${new Date(ws.now).toISOString().slice(11, 19)} UTC${offset}` }),
    ...copyFact('Resource ID', ws.azureResourceId),
    ...copyFact('Subscription ID', ws.subscriptionId),
    ...copyFact('Resource group', ws.resourceGroup),
    ...copyFact('Workspace name', ws.workspaceName),
  );
  byId('app-list').replaceChildren(
    ...state.apps.map((app) =>
      el('li', {}, [
        el('span', { text: app.displayName }),
        ' ',
        el('code', { text: app.clientId }),
        app.adminConsent ? el('span', { className: 'sub', text: ' admin consent' }) : '',
      ]),
    ),
  );
}

/** @param {LogEvent} event */
function logRow(event) {
  const status = event.status === 0 ? 'dropped' : String(event.status);
  const kind = event.status === 0 || event.status >= 500 ? 'bad' : event.status >= 400 ? 'warn' : 'ok';
  const app = current?.apps.find((candidate) => candidate.clientId === event.clientId);
  const request = el('td', { className: 'request' }, [
    el('span', { className: 'method', text: event.method }),
    ' ',
    el('span', { className: 'path', text: event.path }),
  ]);
  if (event.detail) request.append(' ', el('span', { className: 'detail', text: event.detail }));
  if (event.query) request.append(el('span', { className: 'query', text: `?${event.query}` }));
  const row = el('tr', { className: `status-${kind}` }, [
    el('td', { className: 'nowrap', text: event.time.slice(11, 23) }),
    el('td', { text: event.service === 'entra' ? 'Entra ID' : 'Workspace' }),
    request,
    el('td', { className: 'status', text: status }),
    el('td', { className: 'nowrap', text: `${event.durationMs} ms` }),
    el('td', { text: event.user ?? '—' }),
    el('td', {}, event.clientId ? [app ? app.displayName : el('code', { text: event.clientId })] : ['—']),
  ]);
  row.dataset.id = String(event.id);
  return row;
}

/** @param {LogEvent} event */
function addEvent(event) {
  if (paused) {
    held.push(event);
    return;
  }
  const body = byId('log-rows');
  body.prepend(logRow(event));
  while (body.childElementCount > MAX_ROWS) body.lastElementChild?.remove();
  scheduleRefresh();
}

let refreshTimer = 0;
/** Sign-ins change sessions and consents: refresh the "at a glance" view shortly after activity. */
function scheduleRefresh() {
  if (refreshTimer !== 0) return;
  refreshTimer = window.setTimeout(async () => {
    refreshTimer = 0;
    try {
      render(await call('/state'));
    } catch {
      // The next event tries again; the stream's own state says when the sandbox is gone.
    }
  }, 700);
}

function connect() {
  const source = new EventSource(`${BASE}/events`);
  const state = byId('stream-state');
  source.addEventListener('open', () => {
    state.textContent = 'Live: every request to the sandbox Entra ID and workspace.';
  });
  source.addEventListener('error', () => {
    state.textContent = 'The live log lost the sandbox; reconnecting…';
  });
  source.addEventListener('clear', () => {
    byId('log-rows').replaceChildren();
    held.length = 0;
  });
  source.addEventListener('request', (message) => {
    addEvent(/** @type {LogEvent} */ (JSON.parse(/** @type {MessageEvent<string>} */ (message).data)));
  });
}

function wireLogTools() {
  const pause = /** @type {HTMLButtonElement} */ (byId('pause-log'));
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused) for (const event of held.splice(0)) addEvent(event);
    announce(paused ? 'Live log paused.' : 'Live log resumed.');
  });
  byId('clear-log').addEventListener('click', () => {
    byId('log-rows').replaceChildren();
    held.length = 0;
    announce('Live log cleared.');
  });
}

async function start() {
  wireLogTools();
  try {
    render(await call('/state'));
  } catch (error) {
    announce(`The console could not load: ${error instanceof Error ? error.message : String(error)}`);
  }
  connect();
}

void start();
