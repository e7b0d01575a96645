/**
 * Snippets for the request on the API Explorer's screen: curl, Python `requests`, the Databricks
 * SDK for Python and for JavaScript, and the Databricks CLI's `api` command. Like "Show me how"
 * (src/app/snippets/snippets.ts, whose quoting and token variable they share), each takes the
 * token from `$DATABRICKS_TOKEN`, sends the admin resource-ID header when configured, and trusts
 * the server's CA bundle when there is one (the sandbox's local CA). Bodies are passed as written,
 * so 19-digit integers reach the workspace exactly.
 * @see https://docs.databricks.com/dev-tools/cli/commands.html (databricks api)
 * @see https://databricks-sdk-py.readthedocs.io/en/latest/clients/workspace.html (api_client.do)
 */
import { shellQuote, TOKEN_ENV_VAR } from '../snippets/snippets.ts';
import { RESOURCE_ID_HEADER } from '../well-known.ts';
import { hasBody, targetOf, type ExplorerRequest } from './request.ts';

export interface ExplorerSnippetOptions {
  workspaceUrl: string;
  workspaceResourceId?: string | undefined;
  caBundlePath?: string | undefined;
}

export type SnippetKind = 'curl' | 'python' | 'sdk-python' | 'sdk-js' | 'cli';

export const SNIPPET_KINDS: readonly { kind: SnippetKind; label: string }[] = [
  { kind: 'curl', label: 'curl' },
  { kind: 'python', label: 'Python requests' },
  { kind: 'sdk-python', label: 'Databricks SDK for Python' },
  { kind: 'sdk-js', label: 'Databricks SDK for JavaScript' },
  { kind: 'cli', label: 'Databricks CLI' },
];

const origin = (o: ExplorerSnippetOptions) => o.workspaceUrl.replace(/\/+$/, '');
const bodyOf = (r: ExplorerRequest) => (hasBody(r.method) && r.body.trim() !== '' ? r.body.trim() : undefined);
/** Extra headers a person added (Accept), besides the ones each snippet writes itself. */
const extraHeaders = (r: ExplorerRequest) => r.headers.filter(([name, value]) => name !== '' && value !== '');
/** A Python triple-quoted raw string; JSON never holds three quotes in a row outside a string, where they are escaped. */
const pyRaw = (text: string) => `r'''${text.replace(/'''/g, "''\\'")}'''`;

function curl(r: ExplorerRequest, o: ExplorerSnippetOptions): string {
  const lines = [`curl -X ${r.method} -H "Authorization: Bearer $${TOKEN_ENV_VAR}"`];
  if (o.caBundlePath) lines.push(`  --cacert ${shellQuote(o.caBundlePath)}`);
  if (o.workspaceResourceId) lines.push(`  -H ${shellQuote(`${RESOURCE_ID_HEADER}: ${o.workspaceResourceId}`)}`);
  for (const [name, value] of extraHeaders(r)) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  const body = bodyOf(r);
  if (body !== undefined) lines.push(`  -H 'Content-Type: application/json' --data ${shellQuote(body)}`);
  lines.push(`  ${shellQuote(origin(o) + targetOf(r))}`);
  return lines.join(' \\\n');
}

function headerLines(r: ExplorerRequest, o: ExplorerSnippetOptions, withContentType: boolean): string[] {
  const lines: string[] = [];
  if (o.workspaceResourceId)
    lines.push(`    ${JSON.stringify(RESOURCE_ID_HEADER)}: ${JSON.stringify(o.workspaceResourceId)},`);
  for (const [name, value] of extraHeaders(r)) lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(value)},`);
  if (withContentType) lines.push(`    "Content-Type": "application/json",`);
  return lines;
}

function queryDict(r: ExplorerRequest): string {
  const pairs = r.query.filter(([name]) => name !== '');
  return `[${pairs.map(([n, v]) => `(${JSON.stringify(n)}, ${JSON.stringify(v)})`).join(', ')}]`;
}

function python(r: ExplorerRequest, o: ExplorerSnippetOptions): string {
  const body = bodyOf(r);
  const lines = ['import os', '', 'import requests', ''];
  lines.push('headers = {', `    "Authorization": "Bearer " + os.environ[${JSON.stringify(TOKEN_ENV_VAR)}],`);
  lines.push(...headerLines(r, o, body !== undefined), '}');
  lines.push(
    'response = requests.request(',
    `    ${JSON.stringify(r.method)},`,
    `    ${JSON.stringify(origin(o) + r.path)},`,
    '    headers=headers,',
  );
  if (r.query.some(([n]) => n !== '')) lines.push(`    params=${queryDict(r)},`);
  if (body !== undefined) lines.push(`    data=${pyRaw(body)},`);
  if (o.caBundlePath) lines.push(`    verify=${JSON.stringify(o.caBundlePath)},`);
  lines.push(')', 'print(response.status_code, response.headers.get("x-request-id"))', 'print(response.text)');
  return lines.join('\n');
}

function sdkPython(r: ExplorerRequest, o: ExplorerSnippetOptions): string {
  const body = bodyOf(r);
  const lines = ['import json', 'import os', ''];
  // The SDK talks through requests, which reads its CA bundle from this variable.
  if (o.caBundlePath) lines.push(`os.environ["REQUESTS_CA_BUNDLE"] = ${JSON.stringify(o.caBundlePath)}`, '');
  lines.push(
    'from databricks.sdk import WorkspaceClient',
    '',
    `w = WorkspaceClient(host=${JSON.stringify(origin(o))}, token=os.environ[${JSON.stringify(TOKEN_ENV_VAR)}])`,
    'answer = w.api_client.do(',
    `    ${JSON.stringify(r.method)},`,
    `    ${JSON.stringify(r.path)},`,
  );
  if (r.query.some(([n]) => n !== ''))
    lines.push(
      `    query={${r.query
        .filter(([n]) => n !== '')
        .map(([n, v]) => `${JSON.stringify(n)}: ${JSON.stringify(v)}`)
        .join(', ')}},`,
    );
  if (body !== undefined) lines.push(`    body=json.loads(${pyRaw(body)}),`);
  const headers = headerLines(r, o, false);
  if (headers.length) lines.push('    headers={', ...headers.map((h) => `    ${h}`), '    },');
  lines.push(')', 'print(json.dumps(answer, indent=2))');
  return lines.join('\n');
}

function sdkJs(r: ExplorerRequest, o: ExplorerSnippetOptions): string {
  const body = bodyOf(r);
  const lines: string[] = [];
  if (o.caBundlePath) lines.push(`// Run with NODE_EXTRA_CA_CERTS=${shellQuote(o.caBundlePath)} node explorer.mjs`);
  lines.push(
    "import { WorkspaceClient } from '@databricks/sdk-experimental';",
    '',
    `const w = new WorkspaceClient({ host: ${JSON.stringify(origin(o))}, token: process.env.${TOKEN_ENV_VAR} });`,
    'const headers = new Headers();',
  );
  if (o.workspaceResourceId)
    lines.push(`headers.set(${JSON.stringify(RESOURCE_ID_HEADER)}, ${JSON.stringify(o.workspaceResourceId)});`);
  for (const [name, value] of extraHeaders(r))
    lines.push(`headers.set(${JSON.stringify(name)}, ${JSON.stringify(value)});`);
  lines.push(
    'const answer = await w.apiClient.request({',
    `  path: ${JSON.stringify(r.path)},`,
    `  method: ${JSON.stringify(r.method)},`,
    '  headers,',
    '  raw: false,',
  );
  if (r.query.some(([n]) => n !== ''))
    lines.push(
      `  query: { ${r.query
        .filter(([n]) => n !== '')
        .map(([n, v]) => `${JSON.stringify(n)}: ${JSON.stringify(v)}`)
        .join(', ')} },`,
    );
  // The SDK serialises with JSON.stringify, so the body goes in as parsed JSON (integers beyond 2^53 would round).
  if (body !== undefined) lines.push(`  payload: ${body.replace(/\n/g, '\n  ')},`);
  lines.push('});', 'console.log(JSON.stringify(answer, null, 2));');
  return lines.join('\n');
}

function cli(r: ExplorerRequest, o: ExplorerSnippetOptions): string {
  const lines = [`export DATABRICKS_HOST=${shellQuote(origin(o))}`];
  lines.push(`# The CLI reads the token from $${TOKEN_ENV_VAR}.`);
  // The CLI is written in Go, whose TLS reads extra CAs from SSL_CERT_FILE.
  if (o.caBundlePath) lines.push(`export SSL_CERT_FILE=${shellQuote(o.caBundlePath)}`);
  if (o.workspaceResourceId) {
    lines.push(
      `export DATABRICKS_AZURE_RESOURCE_ID=${shellQuote(o.workspaceResourceId)}`,
      '# (the CLI sends the resource-ID header only with Azure sign-in, not with a bare token)',
    );
  }
  const body = bodyOf(r);
  lines.push(
    `databricks api ${r.method.toLowerCase()} ${shellQuote(targetOf(r))}${body !== undefined ? ` --json ${shellQuote(body)}` : ''}`,
  );
  return lines.join('\n');
}

/** The snippet of the given kind for a request whose parameters are filled in. */
export function buildExplorerSnippet(
  kind: SnippetKind,
  request: ExplorerRequest,
  options: ExplorerSnippetOptions,
): string {
  switch (kind) {
    case 'curl':
      return curl(request, options);
    case 'python':
      return python(request, options);
    case 'sdk-python':
      return sdkPython(request, options);
    case 'sdk-js':
      return sdkJs(request, options);
    case 'cli':
      return cli(request, options);
  }
}
