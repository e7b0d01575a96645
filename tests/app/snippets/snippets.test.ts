import { describe, expect, it } from 'vitest';
import { buildCurlSnippet, buildPythonSnippet, CLASSIC_CALL, shellQuote } from '../../../src/app/snippets/snippets.ts';

const workspaceUrl = 'https://adb-5555555555555555.19.azuredatabricks.net';
const resourceId =
  '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourceGroups/explorer-sandbox/providers/Microsoft.Databricks/workspaces/sandbox-workspace';

describe('snippet generator', () => {
  it("writes the article's curl call with the token left in an environment variable", () => {
    expect(buildCurlSnippet(CLASSIC_CALL, { workspaceUrl })).toBe(
      `curl -X GET -H "Authorization: Bearer $DATABRICKS_TOKEN" \\\n  'https://adb-5555555555555555.19.azuredatabricks.net/api/2.0/clusters/list'`,
    );
  });

  it("writes the article's Python requests call reading the token from the environment", () => {
    expect(buildPythonSnippet(CLASSIC_CALL, { workspaceUrl })).toBe(
      [
        'import json',
        'import os',
        'import requests',
        '',
        'access_token = os.environ["DATABRICKS_TOKEN"]',
        'headers = {',
        "    'Authorization': 'Bearer ' + access_token,",
        '}',
        '',
        'response = requests.get(',
        '    "https://adb-5555555555555555.19.azuredatabricks.net/api/2.0/clusters/list",',
        '    headers=headers,',
        ')',
        'print(json.dumps(json.loads(response.text), indent=2))',
      ].join('\n'),
    );
  });

  it('adds the workspace resource ID header when configured', () => {
    const curl = buildCurlSnippet(CLASSIC_CALL, { workspaceUrl, workspaceResourceId: resourceId });
    expect(curl).toContain(`-H 'X-Databricks-Azure-Workspace-Resource-Id: ${resourceId}'`);
    const python = buildPythonSnippet(CLASSIC_CALL, { workspaceUrl, workspaceResourceId: resourceId });
    expect(python).toContain(`    'X-Databricks-Azure-Workspace-Resource-Id': "${resourceId}",`);
  });

  it('includes the token only when it is revealed', () => {
    const token = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln';
    expect(buildCurlSnippet(CLASSIC_CALL, { workspaceUrl })).not.toContain('eyJ');
    expect(buildCurlSnippet(CLASSIC_CALL, { workspaceUrl, token })).toContain(`-H 'Authorization: Bearer ${token}'`);
    const python = buildPythonSnippet(CLASSIC_CALL, { workspaceUrl, token });
    expect(python).toContain(`access_token = "${token}"`);
    expect(python).not.toContain('import os');
  });

  it('keeps the query of the last call and quotes it for the shell', () => {
    const curl = buildCurlSnippet({ method: 'GET', path: "/api/2.1/clusters/get?cluster_id=it's" }, { workspaceUrl });
    expect(curl).toContain(
      `'https://adb-5555555555555555.19.azuredatabricks.net/api/2.1/clusters/get?cluster_id=it'"'"'s'`,
    );
  });

  it('quotes hostile values so the shell cannot run them', () => {
    expect(shellQuote("$(rm -rf /)'; echo")).toBe(`'$(rm -rf /)'"'"'; echo'`);
  });
});

describe('snippets with the server CA bundle', () => {
  const caBundlePath = '/home/ana/explorer/.local/tls/ca.pem';

  it('makes curl trust the named CA bundle, quoted for the shell', () => {
    expect(buildCurlSnippet(CLASSIC_CALL, { workspaceUrl, caBundlePath })).toBe(
      [
        `curl -X GET -H "Authorization: Bearer $DATABRICKS_TOKEN"`,
        `  --cacert '/home/ana/explorer/.local/tls/ca.pem'`,
        `  'https://adb-5555555555555555.19.azuredatabricks.net/api/2.0/clusters/list'`,
      ].join(' \\\n'),
    );
    expect(buildCurlSnippet(CLASSIC_CALL, { workspaceUrl, caBundlePath: "/tmp/it's ca.pem" })).toContain(
      `--cacert '/tmp/it'"'"'s ca.pem'`,
    );
  });

  it('makes Python requests verify against the named CA bundle', () => {
    const python = buildPythonSnippet(CLASSIC_CALL, { workspaceUrl, caBundlePath });
    expect(python).toContain(
      [
        'response = requests.get(',
        '    "https://adb-5555555555555555.19.azuredatabricks.net/api/2.0/clusters/list",',
        '    headers=headers,',
        '    verify="/home/ana/explorer/.local/tls/ca.pem",',
        ')',
      ].join('\n'),
    );
    expect(buildPythonSnippet(CLASSIC_CALL, { workspaceUrl, caBundlePath: 'C:\\ca "x".pem' })).toContain(
      '    verify="C:\\\\ca \\"x\\".pem",',
    );
  });

  it('names no CA bundle when there is none, as against real Azure', () => {
    expect(buildCurlSnippet(CLASSIC_CALL, { workspaceUrl, caBundlePath: undefined })).not.toContain('--cacert');
    expect(buildPythonSnippet(CLASSIC_CALL, { workspaceUrl })).not.toContain('verify=');
  });
});
