/**
 * "Show me how": the same call as curl and as Python `requests`, in the shapes of the
 * Databricks article the project grew from, against the real workspace URL (not the proxy).
 * The token stays `$DATABRICKS_TOKEN` / `os.environ["DATABRICKS_TOKEN"]` unless revealed. When
 * the server names a CA bundle for its workspace (the sandbox's local CA), the commands trust it
 * (`--cacert`, `verify=`), so they work as pasted on the machine that runs the server; against
 * real Azure there is none and the system's trust applies.
 * @see https://learn.microsoft.com/azure/databricks/dev-tools/auth/user-aad-token
 * @see https://curl.se/docs/manpage.html#--cacert
 * @see https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification
 */
import { RESOURCE_ID_HEADER } from '../well-known.ts';

export interface SnippetCall {
  method: string;
  /** Path and query below the workspace origin, e.g. `/api/2.0/clusters/list`. */
  path: string;
}

export interface SnippetOptions {
  /** `https://adb-….azuredatabricks.net` */
  workspaceUrl: string;
  /** Adds `X-Databricks-Azure-Workspace-Resource-Id` when set. */
  workspaceResourceId?: string | undefined;
  /** The real token, only when the person chose to reveal it. */
  token?: string | undefined;
  /** Absolute path of a CA bundle on the server's machine that the workspace's certificate chains to. */
  caBundlePath?: string | undefined;
}

/** The first call of the article: list clusters with the 2.0 API. */
export const CLASSIC_CALL: SnippetCall = { method: 'GET', path: '/api/2.0/clusters/list' };

export const TOKEN_ENV_VAR = 'DATABRICKS_TOKEN';

/** Quotes a value for a POSIX shell: single quotes, with embedded ones closed and escaped. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/** A Python string literal (JSON string syntax is valid Python for these characters). */
function pyString(value: string): string {
  return JSON.stringify(value);
}

function url(call: SnippetCall, options: SnippetOptions): string {
  return `${options.workspaceUrl.replace(/\/+$/, '')}${call.path}`;
}

export function buildCurlSnippet(call: SnippetCall, options: SnippetOptions): string {
  const auth = options.token
    ? shellQuote(`Authorization: Bearer ${options.token}`)
    : `"Authorization: Bearer $${TOKEN_ENV_VAR}"`;
  const lines = [`curl -X ${call.method} -H ${auth}`];
  if (options.caBundlePath) lines.push(`  --cacert ${shellQuote(options.caBundlePath)}`);
  if (options.workspaceResourceId) {
    lines.push(`  -H ${shellQuote(`${RESOURCE_ID_HEADER}: ${options.workspaceResourceId}`)}`);
  }
  lines.push(`  ${shellQuote(url(call, options))}`);
  return lines.join(' \\\n');
}

export function buildPythonSnippet(call: SnippetCall, options: SnippetOptions): string {
  const lines: string[] = ['import json', ...(options.token ? [] : ['import os']), 'import requests', ''];
  lines.push(
    options.token
      ? `access_token = ${pyString(options.token)}`
      : `access_token = os.environ[${pyString(TOKEN_ENV_VAR)}]`,
  );
  lines.push('headers = {', "    'Authorization': 'Bearer ' + access_token,");
  if (options.workspaceResourceId) {
    lines.push(`    '${RESOURCE_ID_HEADER}': ${pyString(options.workspaceResourceId)},`);
  }
  lines.push('}', '');
  lines.push(
    `response = requests.${call.method.toLowerCase()}(`,
    `    ${pyString(url(call, options))},`,
    '    headers=headers,',
    ...(options.caBundlePath ? [`    verify=${pyString(options.caBundlePath)},`] : []),
    ')',
  );
  lines.push('print(json.dumps(json.loads(response.text), indent=2))');
  return lines.join('\n');
}
