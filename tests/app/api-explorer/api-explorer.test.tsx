import { render, screen, waitFor, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiExplorer } from '../../../src/app/api-explorer/api-explorer.tsx';
import { HISTORY_KEY } from '../../../src/app/api-explorer/history.ts';
import { shareLink } from '../../../src/app/api-explorer/request.ts';
import type { AppConfig } from '../../../src/app/config/types.ts';
import { ErrorPanel } from '../../../src/app/errors/error-panel.tsx';
import { createWorkspaceClient } from '../../../src/app/databricks/client.ts';
import { SANDBOX_CONFIG } from '../support/fakes.ts';

/** The workspace at the HTTP level: each request is recorded and answered by `answer`. */
function workspace(answer: (url: URL, request: Request) => Response | Promise<Response>) {
  const sent: { method: string; url: URL; body: string; authorization: string | null }[] = [];
  const client = createWorkspaceClient({
    workspaceHost: 'localhost:5175',
    origin: 'https://localhost:5173',
    getAccessToken: async () => 'secret-token',
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      sent.push({
        method: request.method,
        url,
        body: await request.clone().text(),
        authorization: request.headers.get('authorization'),
      });
      return answer(url, request);
    },
  });
  return { client, sent };
}

const json = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(text, { status, headers: { 'Content-Type': 'application/json', ...headers } });

const POST_CONFIG: AppConfig = { ...SANDBOX_CONFIG, proxyMethods: ['GET', 'POST'], caBundlePath: '/srv/ca.pem' };

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, '', '/#/explorer');
});

const send = () => userEvent.click(screen.getByRole('button', { name: 'Send' }));
const sample = (name: string) =>
  userEvent.click(within(screen.getByRole('navigation', { name: 'Sample requests' })).getByRole('button', { name }));

describe('API Explorer', () => {
  it('lists samples by area, each with a description and a link to the API reference', () => {
    const { client } = workspace(() => json(200, '{}'));
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    const nav = screen.getByRole('navigation', { name: 'Sample requests' });
    for (const area of [
      'Clusters',
      'Jobs',
      'SQL warehouses',
      'Unity Catalog',
      'Workspace objects',
      'Repos',
      'Secrets',
      'Instance pools',
      'Cluster policies',
      'Tokens',
      'SCIM',
      'Permissions',
    ]) {
      expect(within(nav).getByRole('region', { name: area })).toBeTruthy();
    }
    const link = within(nav).getByRole('link', { name: 'Reference for Start a cluster' });
    expect(link.getAttribute('href')).toBe('https://docs.databricks.com/api/azure/workspace/clusters/start');
    expect(within(nav).getByText('Starts a terminated cluster (needs Can Restart).')).toBeTruthy();
  });

  it('sends the built request and shows status, support headers and 19-digit integers exactly', async () => {
    const { client, sent } = workspace(() =>
      json(200, '{"clusters":[{"cluster_id":"c1","spark_context_id":9007199254740993123}]}', {
        'x-request-id': 'req-1',
      }),
    );
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    await userEvent.clear(screen.getByRole('textbox', { name: 'Value of query parameter 1' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Value of query parameter 1' }), '5');
    await send();
    const response = await screen.findByRole('region', { name: 'Response' });
    expect(within(response).getByText(/^HTTP 200/)).toBeTruthy();
    expect(within(response).getByText('req-1')).toBeTruthy();
    expect(sent[0]?.url.pathname + sent[0]!.url.search).toBe(
      '/databricks/localhost:5175/api/2.1/clusters/list?page_size=5',
    );
    await userEvent.click(within(response).getByText('{…} 2 keys'));
    expect(await within(response).findByText('9007199254740993123')).toBeTruthy();
    await userEvent.click(within(response).getByRole('button', { name: 'Table' }));
    const table = within(response).getByRole('table', { name: /clusters: 1 row/ });
    expect(within(table).getByRole('cell', { name: '9007199254740993123' })).toBeTruthy();
  });

  it('offers GET only when the server forwards GET only', async () => {
    const { client, sent } = workspace(() => json(200, '{}'));
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['GET']);
    await sample('POST Start a cluster');
    expect(screen.getByText(/forwards GET only; start it with EXPLORER_PROXY_ALLOW_POST=1 to send POST/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    expect(sent).toHaveLength(0);
  });

  it('shows a state-changing request in full and sends it only once confirmed', async () => {
    const { client, sent } = workspace(() => json(200, '{}'));
    render(<ApiExplorer client={client} config={POST_CONFIG} ErrorView={ErrorPanel} />);
    await sample('POST Start a cluster');
    await userEvent.type(screen.getByRole('combobox', { name: 'cluster_id' }), 'c-1');
    await send();
    const dialog = screen.getByRole('alertdialog', { name: 'Send this POST request?' });
    expect(dialog.textContent).toContain('POST https://localhost:5175/api/2.1/clusters/start');
    expect(dialog.textContent).toContain('"cluster_id": "c-1"');
    expect(dialog.textContent).not.toContain('secret-token');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.tab();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Send POST' }));
    await userEvent.tab();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Send' }));
    expect(sent).toHaveLength(0);

    await send();
    await userEvent.click(screen.getByRole('button', { name: 'Send POST' }));
    await screen.findByText(/^HTTP 200/);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', body: '{\n  "cluster_id": "c-1"\n}' });
  });

  it("shows Databricks' error_code and message, and the error doctor's explanation", async () => {
    const { client } = workspace(() =>
      json(
        403,
        '{"error_code":"PERMISSION_DENIED","message":"ana@contoso.example does not have Can Restart permission"}',
      ),
    );
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    await send();
    const said = await screen.findByText(/^Databricks answered/);
    expect(said.textContent).toBe(
      'Databricks answered PERMISSION_DENIED: ana@contoso.example does not have Can Restart permission',
    );
    expect(await screen.findByRole('alert')).toBeTruthy(); // the error doctor loads on first use
  });

  it('shows a failed answer in full: status, support headers and the raw body, collapsible and copyable, never a token', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJl';
    const body = `{"error_code":"PERMISSION_DENIED","message":"ana@contoso.example may not restart c-1 (sent ${jwt})"}`;
    const { client } = workspace(() =>
      json(403, body, {
        'x-request-id': '7f3c2a9e-1b4d-4e8f-9a6b-0c1d2e3f4a5b',
        'x-databricks-org-id': '5555555555555555',
        date: 'Sun, 29 Nov 2026 12:00:00 GMT',
      }),
    );
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void copied.push(text) },
    });
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    await send();
    const response = await screen.findByRole('region', { name: 'Response' });
    expect(within(response).getByText('HTTP 403', { selector: '.ax-status strong' })).toBeTruthy();
    expect(within(response).getByText(/^Databricks answered/).textContent).toContain('PERMISSION_DENIED');
    expect(within(response).getByRole('alert')).toBeTruthy();
    const headers = within(response).getByLabelText('Response headers');
    expect(headers.textContent).toContain('x-request-id7f3c2a9e-1b4d-4e8f-9a6b-0c1d2e3f4a5b');
    expect(headers.textContent).toContain('x-databricks-org-id5555555555555555');
    expect(headers.textContent).toContain('dateSun, 29 Nov 2026 12:00:00 GMT');

    const summary = within(response).getByText('Raw response body');
    const details = summary.closest('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    await userEvent.click(summary);
    expect(details.open).toBe(true);
    const raw = within(response).getByRole('figure', { name: 'Error response body as received' });
    expect(raw.textContent).toContain('"error_code":"PERMISSION_DENIED"');
    expect(raw.textContent).toContain('(sent [token])');
    await userEvent.click(within(response).getByRole('button', { name: 'Copy response body' }));
    await screen.findByText('Response body copied.');
    expect(copied).toEqual([body.replace(jwt, '[token]')]);
    expect(document.body.textContent).not.toContain(jwt);
    expect(document.body.textContent).not.toContain('secret-token');
  });

  it('follows next_page_token to the last page', async () => {
    const { client, sent } = workspace((url) =>
      url.searchParams.get('page_token') === 't2'
        ? json(200, '{"jobs":[{"job_id":2}],"has_more":false}')
        : json(200, '{"jobs":[{"job_id":1}],"has_more":true,"next_page_token":"t2"}'),
    );
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    await sample('GET List jobs');
    await send();
    await userEvent.click(await screen.findByRole('button', { name: 'Next page' }));
    await within(screen.getByRole('region', { name: 'Response' })).findByText(/page_token=t2/);
    expect(screen.queryByRole('button', { name: 'Next page' })).toBeNull();
    expect(sent.map((s) => s.url.search)).toEqual(['?limit=20', '?limit=20&page_token=t2']);
  });

  it('keeps history without tokens, re-runs from it, and fills IDs from earlier answers', async () => {
    const { client, sent } = workspace((url) =>
      url.pathname.endsWith('/clusters/list') ? json(200, '{"clusters":[{"cluster_id":"c-42"}]}') : json(200, '{}'),
    );
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    await send();
    await screen.findByText(/^HTTP 200/);
    await sample('GET Get a cluster');
    const field = screen.getByRole('combobox', { name: 'cluster_id' }) as HTMLInputElement;
    expect(field.value).toBe('c-42');
    const offered = document.getElementById(field.getAttribute('list') ?? '');
    expect([...(offered?.querySelectorAll('option') ?? [])].map((o) => o.getAttribute('value'))).toEqual(['c-42']);
    const history = screen.getByRole('region', { name: 'History' });
    await userEvent.click(within(history).getByRole('button', { name: 'Run GET /api/2.1/clusters/list again' }));
    await waitFor(() => expect(sent).toHaveLength(2));
    await waitFor(() => expect(within(history).getAllByRole('listitem')).toHaveLength(2));
    const stored = localStorage.getItem(HISTORY_KEY) ?? '';
    expect(stored).toContain('/api/2.1/clusters/list');
    expect(stored).not.toContain('secret-token');
    expect(sent[0]?.authorization).toBe('Bearer secret-token');
  });

  it('opens with the request of a shared link', () => {
    const link = shareLink(
      { method: 'GET', path: '/api/2.2/jobs/get', query: [['job_id', '1234567890123456789']], body: '', headers: [] },
      location.href,
    );
    history.replaceState(null, '', new URL(link).hash);
    const { client } = workspace(() => json(200, '{}'));
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    expect((screen.getByRole('textbox', { name: 'Path' }) as HTMLInputElement).value).toBe('/api/2.2/jobs/get');
    expect((screen.getByRole('textbox', { name: 'Value of query parameter 1' }) as HTMLInputElement).value).toBe(
      '1234567890123456789',
    );
  });

  it('writes each snippet for the request on screen', async () => {
    const { client } = workspace(() => json(200, '{}'));
    render(<ApiExplorer client={client} config={POST_CONFIG} ErrorView={ErrorPanel} />);
    const snippets = screen.getByRole('region', { name: 'Snippets' });
    for (const [label, expected] of [
      ['curl', 'curl -X GET'],
      ['Python requests', 'requests.request('],
      ['Databricks SDK for Python', 'w.api_client.do('],
      ['Databricks SDK for JavaScript', 'w.apiClient.request({'],
      ['Databricks CLI', "databricks api get '/api/2.1/clusters/list?page_size=20'"],
    ] as const) {
      await userEvent.click(within(snippets).getByRole('button', { name: label }));
      expect(within(snippets).getByRole('figure', { name: `${label} snippet` }).textContent).toContain(expected);
    }
    // The CA file is named by its path on the server's machine; colleagues are told where to download it.
    expect(within(snippets).getByText(/a file on the computer that runs the app/).textContent).toContain('/srv/ca.pem');
    expect(within(snippets).getByRole('link', { name: 'download the local CA certificate' }).getAttribute('href')).toBe(
      '/local-ca.pem',
    );
  });
});

describe('API Explorer without storage', () => {
  it('works when the browser refuses localStorage and sessionStorage (privacy settings), remembering nothing', async () => {
    const refuse = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    const local = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    const session = Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage');
    Object.defineProperty(globalThis, 'localStorage', { get: refuse, configurable: true });
    Object.defineProperty(globalThis, 'sessionStorage', { get: refuse, configurable: true });
    try {
      const { client } = workspace(() => json(200, '{"clusters":[{"cluster_id":"1123-231500-ana5cr4t"}]}'));
      render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
      await send();
      expect(await screen.findByText(/HTTP 200/)).toBeTruthy();
    } finally {
      if (local) Object.defineProperty(globalThis, 'localStorage', local);
      if (session) Object.defineProperty(globalThis, 'sessionStorage', session);
    }
  });
});

describe('API Explorer tree', () => {
  it('starts a long array folded, so 10,000 clusters cost nothing until opened', async () => {
    const clusters = Array.from({ length: 1000 }, (_, i) => `{"cluster_id":"c${i}","state":"RUNNING"}`).join(',');
    const { client } = workspace(() => json(200, `{"clusters":[${clusters}]}`));
    render(<ApiExplorer client={client} config={SANDBOX_CONFIG} ErrorView={ErrorPanel} />);
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const tree = await screen.findByRole('region', { name: 'Response body as a tree' });
    expect(within(tree).getByText('[…] 1000 items')).toBeTruthy();
    expect(within(tree).queryAllByText('{…} 2 keys')).toHaveLength(0);
  });
});
