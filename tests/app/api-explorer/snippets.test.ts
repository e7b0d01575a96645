import { describe, expect, it } from 'vitest';
import { buildExplorerSnippet, SNIPPET_KINDS } from '../../../src/app/api-explorer/snippets.ts';

const START = {
  method: 'POST',
  path: '/api/2.1/clusters/start',
  query: [] as [string, string][],
  body: '{"cluster_id": "1123-231500-ana5cr4t", "n": 9007199254740993123}',
  headers: [] as [string, string][],
};
const GET = {
  method: 'GET',
  path: '/api/2.1/clusters/get',
  query: [['cluster_id', 'a b']] as [string, string][],
  body: '',
  headers: [] as [string, string][],
};
const RESOURCE =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/providers/microsoft.databricks/workspaces/ws';
const SANDBOX = { workspaceUrl: 'https://localhost:5175', caBundlePath: '/srv/app/.local/tls/ca.pem' };

describe('API Explorer snippets', () => {
  it.each(SNIPPET_KINDS.map((k) => [k.kind]))(
    '%s: the token from $DATABRICKS_TOKEN, the body exactly, the local CA',
    (kind) => {
      const text = buildExplorerSnippet(kind, START, SANDBOX);
      expect(text).toContain('DATABRICKS_TOKEN');
      expect(text).toContain('9007199254740993123');
      expect(text).toContain('/api/2.1/clusters/start');
      expect(text).toContain('/srv/app/.local/tls/ca.pem');
      expect(text).not.toContain('Resource-Id');
    },
  );

  it.each(SNIPPET_KINDS.filter((k) => k.kind !== 'cli').map((k) => [k.kind]))(
    '%s sends the resource-ID header when configured',
    (kind) => {
      const text = buildExplorerSnippet(kind, GET, {
        workspaceUrl: 'https://adb-1.2.azuredatabricks.net',
        workspaceResourceId: RESOURCE,
      });
      expect(text).toContain('X-Databricks-Azure-Workspace-Resource-Id');
      expect(text).toContain(RESOURCE);
      expect(text).not.toContain('ca.pem');
    },
  );

  it('writes curl and the CLI as a shell would run them', () => {
    expect(buildExplorerSnippet('curl', GET, SANDBOX)).toBe(
      [
        'curl -X GET -H "Authorization: Bearer $DATABRICKS_TOKEN"',
        "  --cacert '/srv/app/.local/tls/ca.pem'",
        "  'https://localhost:5175/api/2.1/clusters/get?cluster_id=a+b'",
      ].join(' \\\n'),
    );
    expect(buildExplorerSnippet('cli', START, SANDBOX)).toBe(
      [
        "export DATABRICKS_HOST='https://localhost:5175'",
        '# The CLI reads the token from $DATABRICKS_TOKEN.',
        "export SSL_CERT_FILE='/srv/app/.local/tls/ca.pem'",
        `databricks api post '/api/2.1/clusters/start' --json '${START.body}'`,
      ].join('\n'),
    );
  });
});
