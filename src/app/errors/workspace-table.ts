import type { DatabricksApiError, ProxyRefusedError } from '../databricks/errors.ts';
import type { ProxyRefusalCode } from '../databricks/proxy-codes.ts';
import type { TokenRejection } from '../databricks/token-rejection.ts';
import type { DoctorContext, Explanation } from './diagnosis.ts';
import { DATABRICKS_RESOURCE_APP_ID } from '../well-known.ts';

/** Workspace and proxy failures explained by data: token rejections, statuses, proxy codes. */

const where = (ctx: DoctorContext) => ctx.workspaceUrl ?? 'the workspace';

/** `HTTP 401`, or `HTTP 403 PERMISSION_DENIED`: the code only when it says more than the status. */
export function statusLine(error: DatabricksApiError): string {
  const code = error.errorCode !== undefined && error.errorCode !== String(error.status) ? ` ${error.errorCode}` : '';
  return `HTTP ${error.status}${code}`;
}

/** `: "Token is expired"` when the workspace gave a message, so the person reads its own words. */
function saidQuoted(error: DatabricksApiError): string {
  return error.apiMessage ? ` with "${error.apiMessage}"` : '';
}

/** "refused the access token (HTTP 401) with "…". The app fetched a new token…" */
function refused(error: DatabricksApiError, ctx: DoctorContext): string {
  return `${where(ctx)} refused the access token (${statusLine(error)})${saidQuoted(error)}. The app got a new token and tried once more; that one was refused too.`;
}

const TITLE = 'The workspace does not accept your token';

type ExplainApi = (error: DatabricksApiError, ctx: DoctorContext) => Explanation;

/**
 * One explanation per kind of token rejection (see `databricks/token-rejection.ts` for how the
 * kind is read from the workspace's answer).
 */
export const TOKEN_REJECTION_EXPLANATIONS: Readonly<Record<TokenRejection, ExplainApi>> = {
  expired: (error, ctx) => ({
    title: TITLE,
    whatHappened: refused(error, ctx),
    likelyCause:
      'The workspace judged even a newly issued token expired: access tokens in your tenant may be set to live only minutes (a token lifetime policy), or the clocks of Microsoft Entra ID and the workspace disagree.',
    fix: "Sign in again. If the next call fails the same way, check your tenant's token lifetime policies, or contact Azure Databricks support with the request ID below.",
    action: 'sign-in',
  }),
  expiring: (error, ctx) => ({
    title: TITLE,
    whatHappened: refused(error, ctx),
    likelyCause:
      'Azure Databricks refuses tokens with less than 30 seconds left, and the new token was already that close to its end: your tenant issues access tokens with a very short lifetime, or the clocks of Microsoft Entra ID and the workspace disagree.',
    fix: 'Sign in again. If it persists, give access tokens a lifetime of at least a few minutes (token lifetime policies in the Entra admin center).',
    action: 'sign-in',
  }),
  'not-yet-valid': (error, ctx) => ({
    title: TITLE,
    whatHappened: refused(error, ctx),
    likelyCause:
      'The token\'s "not before" time is still in the future for the workspace: the clocks of Microsoft Entra ID and the workspace disagree. It usually passes within minutes.',
    fix: 'Wait a minute, then try again.',
    action: 'retry',
  }),
  'invalid-token': (error, ctx) => ({
    title: TITLE,
    whatHappened: refused(error, ctx),
    likelyCause:
      "The workspace could not verify the token's signature: it was issued by the Microsoft Entra ID of another cloud than the workspace's, or it was altered on the way.",
    fix: "Check the cloud and tenant in the settings against the workspace's, then sign in again.",
    action: 'settings',
  }),
  'no-credential': (error, ctx) => ({
    title: TITLE,
    whatHappened: `${where(ctx)} received no access token (${statusLine(error)})${saidQuoted(error)}. The app sent one with each of its two attempts.`,
    likelyCause:
      "Something between the app's server and the workspace removed the Authorization header, such as a corporate proxy or API gateway.",
    fix: 'Check for a proxy between this server and the workspace, then reload the page.',
    action: 'reload',
  }),
  'wrong-audience': (error, ctx) => ({
    title: TITLE,
    whatHappened: refused(error, ctx),
    likelyCause: `The access token was issued for another API: its audience is not Azure Databricks (${DATABRICKS_RESOURCE_APP_ID}).`,
    fix: "Check that the app registration's API permissions include AzureDatabricks → user_impersonation, then sign in again.",
    action: 'sign-in',
  }),
  'wrong-issuer': (error, ctx) => ({
    title: TITLE,
    whatHappened: refused(error, ctx),
    likelyCause:
      'The token was issued by a different Entra tenant than the workspace belongs to; a workspace accepts tokens of its own tenant only.',
    fix: "Set the workspace's tenant in the settings (Azure portal → the workspace's subscription → its directory), then sign in again.",
    action: 'settings',
  }),
  unrecognised: (error, ctx) => ({
    title: TITLE,
    whatHappened: refused(error, ctx),
    likelyCause: 'Your user has not been added to the workspace yet, or the workspace belongs to another Entra tenant.',
    fix: "Check that the tenant in the settings is the workspace's tenant and that a workspace admin has added you, then sign in again.",
    action: 'sign-in',
  }),
};

/** Explanations by HTTP status, for answers that are not token rejections. */
export const STATUS_EXPLANATIONS: Readonly<Record<number, ExplainApi>> = {
  403: (error, ctx) => ({
    title: 'You are not allowed in this workspace',
    whatHappened: `${where(ctx)} refused the request for your user (${statusLine(error)})${saidQuoted(error)}.`,
    likelyCause: ctx.resourceIdConfigured
      ? 'Your user is not a member of the workspace, and you do not hold Contributor or Owner on the workspace resource.'
      : 'Your user is not a member of the workspace, or lacks the permission for this API.',
    fix: 'Ask a workspace admin to add you to the workspace (Settings → Identity and access → Users). Contributors on the workspace resource can instead configure the resource ID in the settings.',
    action: 'retry',
  }),
  404: (error, ctx) => ({
    title: error.errorCode === 'ENDPOINT_NOT_FOUND' ? 'This is not a Databricks workspace API' : 'Not found',
    whatHappened: `${where(ctx)} answered 404 for ${error.path}${error.errorCode ? ` (${error.errorCode})` : ''}.`,
    likelyCause: 'The workspace URL points at the wrong host, or the object was deleted.',
    fix: 'Check the workspace URL in the settings (it looks like https://adb-1234567890123456.7.azuredatabricks.net).',
    action: 'settings',
  }),
  429: (error, ctx) => ({
    title: 'The workspace is rate limiting requests',
    whatHappened: `${where(ctx)} kept answering 429 (${error.errorCode ?? 'too many requests'}) and the app stopped retrying.`,
    likelyCause: 'Too many API calls to this workspace in a short time, from this app or others.',
    fix: 'Wait a minute and try again.',
    action: 'retry',
  }),
};

/** `clusters/get` answers 400 INVALID_PARAMETER_VALUE "Cluster <id> does not exist" for an unknown ID. */
export const CLUSTER_GONE: ExplainApi = (error, ctx) => ({
  title: 'The cluster no longer exists',
  whatHappened: `${where(ctx)} says: ${error.apiMessage ?? 'the cluster ID is not valid'}.`,
  likelyCause: 'The cluster was deleted, or terminated more than 60 days ago.',
  fix: 'Refresh the cluster list.',
  action: 'retry',
});

export const SERVER_FAULT: ExplainApi = (error, ctx) => ({
  title: 'The workspace had a problem',
  whatHappened: `${where(ctx)} answered ${statusLine(error)}${saidQuoted(error)}.`,
  likelyCause: 'A temporary fault or maintenance on the Databricks side.',
  fix: 'Try again in a moment. If it persists, check the Azure Databricks status page.',
  action: 'retry',
});

export const OTHER_REFUSAL: ExplainApi = (error, ctx) => ({
  title: 'The workspace refused the request',
  whatHappened: `${where(ctx)} answered ${statusLine(error)}: ${error.apiMessage ?? 'no details'}.`,
  likelyCause: 'The request did not fit what the workspace expects.',
  fix: 'Try again; if it persists, the codes below help Databricks support.',
  action: 'retry',
});

/** The proxy's own words (e.g. "connect ECONNREFUSED 127.0.0.1:443"): it never puts a token in them. */
function serverSaid(error: ProxyRefusedError): string {
  const message = error.proxyMessage.trim();
  return message ? ` The server said: ${message.endsWith('.') ? message : `${message}.`}` : '';
}

type ExplainProxy = (error: ProxyRefusedError, ctx: DoctorContext) => Explanation;

const tooSlow: ExplainProxy = (error, ctx) => ({
  title: 'The workspace is too slow to answer',
  whatHappened: `The app's server waited for ${where(ctx)} and gave up (${error.proxyCode}).${serverSaid(error)}`,
  likelyCause: 'The workspace is overloaded or starting up.',
  fix: 'Try again in a moment.',
  action: 'retry',
});

const untrusted: ExplainProxy = (error, ctx) => ({
  title: "The workspace's certificate was not trusted",
  whatHappened: `The app's server could not verify the TLS certificate of ${where(ctx)} (${error.proxyCode}).${serverSaid(error)}`,
  likelyCause: "A proxy or firewall intercepts TLS on the server's network, or the host is not the workspace.",
  fix: 'Check the workspace URL; if your network intercepts TLS, give the server the corporate CA (EXPLORER_PROXY_CA_FILE).',
  action: 'settings',
});

export const UPSTREAM_UNREACHABLE: ExplainProxy = (error, ctx) => ({
  title: 'The workspace cannot be reached',
  whatHappened: `The app's server could not connect to ${where(ctx)} (${error.proxyCode}).${serverSaid(error)}`,
  likelyCause: "The workspace host is down, misspelled, or not reachable from the server's network (Private Link).",
  fix: 'Check the workspace URL in the settings, then try again.',
  action: 'retry',
});

/** Refusals before any connection: the request itself is one the server will not forward. */
export const REFUSED_BY_PROXY: ExplainProxy = (error) => ({
  title: "The app's server refused to forward the request",
  whatHappened: `The proxy answered ${error.status} ${error.proxyCode}: ${error.proxyMessage}`,
  likelyCause:
    'The workspace host is not an Azure Databricks host the server allows, or the request came from another origin.',
  fix: 'Check the workspace URL in the settings (an https://adb-….azuredatabricks.net address).',
  action: 'settings',
});

/**
 * The proxy serves only what a script's fetch asks for (`Sec-Fetch-Dest: empty`): a workspace answer
 * opened as a page, script, style or frame could otherwise run with the app's origin.
 */
const notAFetch: ExplainProxy = (error) => ({
  title: "The app's server forwards API calls only",
  whatHappened: `The proxy answered ${error.status} ${error.proxyCode}: ${error.proxyMessage}`,
  likelyCause:
    'A workspace address was opened as a page, script, style or frame. The server answers only the API calls the app makes itself, so no workspace answer can run as part of the app.',
  fix: 'Open the workspace API from the app (Clusters, API explorer) or with curl, not in the address bar.',
  action: 'reload',
});

/** One explanation per proxy code: exhaustive, so a code added to the list must be explained. */
export const PROXY_EXPLANATIONS: Readonly<Record<ProxyRefusalCode, ExplainProxy>> = {
  PROXY_UPSTREAM_TIMEOUT: tooSlow,
  PROXY_UPSTREAM_TLS: untrusted,
  PROXY_UPSTREAM_DNS: UPSTREAM_UNREACHABLE,
  PROXY_UPSTREAM_UNREACHABLE: UPSTREAM_UNREACHABLE,
  PROXY_METHOD_NOT_ALLOWED: REFUSED_BY_PROXY,
  PROXY_ORIGIN_REFUSED: REFUSED_BY_PROXY,
  PROXY_DESTINATION_REFUSED: notAFetch,
  PROXY_URL_TOO_LONG: REFUSED_BY_PROXY,
  PROXY_BAD_HOST: REFUSED_BY_PROXY,
  PROXY_HOST_NOT_ALLOWED: REFUSED_BY_PROXY,
  PROXY_BAD_PATH: REFUSED_BY_PROXY,
  PROXY_PATH_NOT_ALLOWED: REFUSED_BY_PROXY,
  PROXY_BAD_HEADER: REFUSED_BY_PROXY,
};
