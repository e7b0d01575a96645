import { describe, expect, it } from 'vitest';
import type { CallRecord, WorkspaceClientOptions } from '../../../src/app/databricks/client.ts';
import { getClusterText } from '../../../src/app/databricks/clusters.ts';
import { DatabricksApiError, WorkspaceBadResponseError } from '../../../src/app/databricks/errors.ts';
import { createTextReader } from '../../../src/app/databricks/text-reader.ts';

const BODY = '{"cluster_id":"c1","spark_context_id":4020997813441462123}';

function options(responses: (() => Response)[], calls: CallRecord[] = []): WorkspaceClientOptions {
  let n = 0;
  return {
    workspaceHost: 'adb-1.2.azuredatabricks.net',
    origin: 'https://localhost:5173',
    getAccessToken: async () => 'token',
    fetch: async () => responses[n++]!(),
    sleep: async () => {},
    onCall: (record) => calls.push(record),
  };
}

describe('text reader', () => {
  it('returns the clusters/get body exactly as sent, through the same client path', async () => {
    const calls: CallRecord[] = [];
    const reader = createTextReader(options([() => new Response(BODY, { status: 200 })], calls));
    expect(await getClusterText(reader, 'c1')).toBe(BODY);
    expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual(['/api/2.1/clusters/get?cluster_id=c1 200']);
  });

  it('returns the body of the answer that ends a retried call', async () => {
    const reader = createTextReader(
      options([
        () => new Response('{"error_code":"TEMPORARILY_UNAVAILABLE"}', { status: 503 }),
        () => new Response(BODY, { status: 200 }),
      ]),
    );
    expect(await getClusterText(reader, 'c1')).toBe(BODY);
  });

  it('fails with the client typed errors', async () => {
    const refused = createTextReader(
      options([() => new Response('{"error_code":"PERMISSION_DENIED","message":"no"}', { status: 403 })]),
    );
    await expect(getClusterText(refused, 'c1')).rejects.toBeInstanceOf(DatabricksApiError);
    const html = createTextReader(options([() => new Response('<html>login</html>', { status: 200 })]));
    await expect(getClusterText(html, 'c1')).rejects.toBeInstanceOf(WorkspaceBadResponseError);
  });
});
