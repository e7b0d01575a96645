import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { removeTestTls, startTestWorkspace, type TestWorkspace } from './helpers.ts';

let t: TestWorkspace | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
afterAll(removeTestTls);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LIST = '/api/2.0/clusters/list';

/** Each case: what to send, and the status the workspace answers it with. */
const ANSWERS: [string, number, (ws: TestWorkspace) => Promise<Response>][] = [
  ['a listing', 200, (ws) => ws.get(LIST, 'ben')],
  ['SCIM Me', 200, (ws) => ws.get('/api/2.0/preview/scim/v2/Me', 'ana')],
  ['the Azure sign-in redirect', 302, (ws) => ws.call('/aad/auth')],
  ['an unknown cluster', 400, (ws) => ws.get('/api/2.1/clusters/get?cluster_id=nope', 'ben')],
  [
    "a token for another audience (Databricks' HTML error page)",
    400,
    async (ws) =>
      ws.call(LIST, {
        headers: { Authorization: `Bearer ${await ws.token('ben', { claims: { aud: 'api://other' } })}` },
      }),
  ],
  ['no token', 401, (ws) => ws.get(LIST, null)],
  ['a user who is not a member', 403, (ws) => ws.get(LIST, 'carl')],
  ['an unknown route', 404, (ws) => ws.get('/api/2.0/no-such-api', 'ben')],
  ['a wrong method', 405, (ws) => ws.post('/api/2.0/clusters/spark-versions', 'ben')],
  [
    'a 503 fault',
    503,
    async (ws) => {
      await ws.call('/_sandbox/faults', { method: 'PUT', body: { unavailable: { status: 503 } } });
      return ws.get(LIST, 'ben');
    },
  ],
];

describe('support headers', () => {
  it.each(ANSWERS)(
    'answers %s (%i) with a fresh x-request-id and the workspace ID in x-databricks-org-id',
    async (_what, status, send) => {
      t = await startTestWorkspace({ workspaceId: '7405619133357210' });
      const first = await send(t);
      expect(first.status).toBe(status);
      expect(first.headers.get('x-request-id')).toMatch(UUID);
      expect(first.headers.get('x-databricks-org-id')).toBe('7405619133357210');
      const second = await send(t);
      expect(second.headers.get('x-request-id')).toMatch(UUID);
      expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    },
  );

  it("keeps them off the control API, which is the sandbox's own and no Databricks endpoint", async () => {
    t = await startTestWorkspace();
    const res = await t.call('/_sandbox/faults');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBeNull();
    expect(res.headers.get('x-databricks-org-id')).toBeNull();
  });

  it('sends the default workspace ID, the digits of the adb- host name it stands for', async () => {
    t = await startTestWorkspace();
    const res = await t.get(LIST, 'ben');
    expect(res.headers.get('x-databricks-org-id')).toBe('5555555555555555');
  });
});
