import { describe, expect, it } from 'vitest';
import {
  type CallRecord,
  createWorkspaceClient,
  type WorkspaceClientOptions,
} from '../../../src/app/databricks/client.ts';
import { getClusterText } from '../../../src/app/databricks/clusters.ts';
import { DatabricksApiError, WorkspaceBadResponseError } from '../../../src/app/databricks/errors.ts';
import { createTextReader } from '../../../src/app/databricks/text-reader.ts';

const BODY = '{"cluster_id":"c1","spark_context_id":4020997813441462123}';

function reader(responses: (() => Response)[], calls: CallRecord[] = []) {
  let n = 0;
  const options: WorkspaceClientOptions = {
    workspaceHost: 'adb-1.2.azuredatabricks.net',
    origin: 'https://localhost:5173',
    getAccessToken: async () => 'token',
    fetch: async () => responses[n++]!(),
    onCall: (record) => calls.push(record),
  };
  return createTextReader(createWorkspaceClient(options));
}

describe('text reader', () => {
  it('returns the clusters/get body exactly as sent, through the same client path', async () => {
    const calls: CallRecord[] = [];
    expect(await getClusterText(reader([() => new Response(BODY, { status: 200 })], calls), 'c1')).toBe(BODY);
    expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual(['/api/2.1/clusters/get?cluster_id=c1 200']);
  });

  it('fails with the client typed errors, and says so when the body is not JSON', async () => {
    const refused = reader([() => new Response('{"error_code":"PERMISSION_DENIED","message":"no"}', { status: 403 })]);
    await expect(getClusterText(refused, 'c1')).rejects.toBeInstanceOf(DatabricksApiError);
    const html = reader([() => new Response('<html>login</html>', { status: 200 })]);
    await expect(getClusterText(html, 'c1')).rejects.toBeInstanceOf(WorkspaceBadResponseError);
  });
});
