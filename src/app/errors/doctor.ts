import { SignInError } from '../auth/errors.ts';
import { DatabricksApiError, ProxyRefusedError, WorkspaceError } from '../databricks/errors.ts';
import { redactSecrets } from '../timeline/timeline.ts';

/** The one thing the error panel offers to do next. */
export type DoctorAction = 'sign-in' | 'retry' | 'settings' | 'switch-account' | 'reload';

export interface Diagnosis {
  /** Stable key of the explanation, e.g. `AADSTS9002326`, `API_403`, `NETWORK`. */
  id: string;
  title: string;
  whatHappened: string;
  likelyCause: string;
  fix: string;
  action: DoctorAction;
  actionLabel: string;
  /** Short facts for support: codes, status, request ID. Never a token. */
  facts: string[];
}

export interface DoctorContext {
  /** The app's origin, the redirect URI without its trailing slash. */
  origin: string;
  clientId?: string | undefined;
  workspaceUrl?: string | undefined;
  /** True when the resource-ID header is configured. */
  resourceIdConfigured?: boolean | undefined;
}

const LABELS: Record<DoctorAction, string> = {
  'sign-in': 'Sign in again',
  retry: 'Try again',
  settings: 'Open settings',
  'switch-account': 'Use another account',
  reload: 'Reload the page',
};

type Entry = Omit<Diagnosis, 'id' | 'actionLabel' | 'facts'>;

function redirectUri(ctx: DoctorContext) {
  return `${ctx.origin}/`;
}

/** Explanations by AADSTS number. @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes */
function byAadsts(code: number, ctx: DoctorContext): Entry | undefined {
  const app = ctx.clientId ? `the app registration ${ctx.clientId}` : 'the app registration';
  switch (code) {
    case 9002326:
      return {
        title: 'The app is registered as a web app, not a single-page app',
        whatHappened:
          'Microsoft Entra ID refused to redeem the sign-in code from the browser (AADSTS9002326: cross-origin token redemption is allowed only for single-page applications).',
        likelyCause: `The redirect URI ${redirectUri(ctx)} is registered under the "Web" platform of ${app}.`,
        fix: `In the Entra admin center open App registrations → ${app} → Authentication. Remove ${redirectUri(ctx)} from "Web" and add it under "Single-page application". Then sign in again.`,
        action: 'sign-in',
      };
    case 50011:
    case 500112:
    case 90102:
    case 500113:
    case 900971:
      return {
        title: 'The redirect URI is not registered',
        whatHappened: `Microsoft Entra ID did not accept the address the app asked it to return to (AADSTS${code}).`,
        likelyCause: `${redirectUri(ctx)} is not listed, exactly, as a redirect URI of ${app}.`,
        fix: `Add ${redirectUri(ctx)} under "Single-page application" in App registrations → ${app} → Authentication (the match is exact, including the trailing slash and port).`,
        action: 'sign-in',
      };
    case 65001:
      return {
        title: 'Consent is needed for Azure Databricks',
        whatHappened:
          'You, or your organisation, have not consented to let this app call Azure Databricks on your behalf (AADSTS65001).',
        likelyCause: 'The permission AzureDatabricks → user_impersonation has not been granted to the app.',
        fix: 'Sign in again and accept the consent prompt, or ask an administrator to grant admin consent under App registrations → API permissions → "Grant admin consent".',
        action: 'sign-in',
      };
    case 50076:
    case 50079:
      return {
        title: 'Multi-factor verification is required',
        whatHappened: `Your organisation requires an additional verification step for this sign-in (AADSTS${code}).`,
        likelyCause: 'A Conditional Access or security-defaults policy asks for multi-factor authentication.',
        fix: 'Sign in again and complete the verification step.',
        action: 'sign-in',
      };
    case 50126:
      return {
        title: 'Wrong user name or password',
        whatHappened: 'Microsoft Entra ID did not accept the user name and password (AADSTS50126).',
        likelyCause: 'A typo in the user name or password, or an expired password.',
        fix: 'Sign in again with the right credentials.',
        action: 'sign-in',
      };
    case 700016:
      return {
        title: 'The app was not found in this tenant',
        whatHappened: `Microsoft Entra ID has no application with the client ID ${ctx.clientId ?? 'configured'} in the configured tenant (AADSTS700016).`,
        likelyCause: 'The client ID or tenant ID in the settings is wrong, or the app is registered in another tenant.',
        fix: "Open the settings and check the tenant ID and client ID against the app registration's Overview page.",
        action: 'settings',
      };
    case 700084:
      return {
        title: 'Your 24-hour sign-in session ended',
        whatHappened:
          'The refresh token a single-page app gets lasts 24 hours from sign-in, and it has run out (AADSTS700084).',
        likelyCause: 'More than a day has passed since you signed in.',
        fix: 'Sign in again.',
        action: 'sign-in',
      };
    case 70008:
    case 700082:
      return {
        title: 'Your sign-in expired',
        whatHappened: `The sign-in code or refresh token expired (AADSTS${code}).`,
        likelyCause: 'The session was left unused too long, or the sign-in page was left open before returning.',
        fix: 'Sign in again.',
        action: 'sign-in',
      };
    case 54005:
      return {
        title: 'This sign-in response was already used',
        whatHappened: 'The authorization code in the response had already been redeemed (AADSTS54005).',
        likelyCause: 'The sign-in response was replayed: the page was reloaded or opened again from history.',
        fix: 'Sign in again to start a fresh sign-in.',
        action: 'sign-in',
      };
    case 501481:
      return {
        title: 'The sign-in could not be verified',
        whatHappened: 'The PKCE code verifier did not match the challenge sent at the start of sign-in (AADSTS501481).',
        likelyCause: 'The sign-in response was tampered with, or sign-in was started in another tab or window.',
        fix: 'Sign in again from this tab.',
        action: 'sign-in',
      };
    case 50058:
      return {
        title: 'You are not signed in',
        whatHappened: 'A silent sign-in found no session at Microsoft Entra ID (AADSTS50058).',
        likelyCause: 'You signed out, or the session cookie expired.',
        fix: 'Sign in again.',
        action: 'sign-in',
      };
    case 53003:
      return {
        title: 'Blocked by a Conditional Access policy',
        whatHappened: "Your organisation's Conditional Access blocked this sign-in (AADSTS53003).",
        likelyCause: 'A policy restricts the device, location or app you are signing in from.',
        fix: 'Ask your identity administrator which policy applies, or sign in from a compliant device.',
        action: 'switch-account',
      };
    case 50020:
      return {
        title: 'This account is not in the tenant',
        whatHappened: 'The account you signed in with does not belong to the configured tenant (AADSTS50020).',
        likelyCause: 'You used a personal or other-organisation account.',
        fix: 'Sign in with an account of the configured tenant, or ask for a guest invitation.',
        action: 'switch-account',
      };
    default:
      return undefined;
  }
}

/** Explanations by MSAL error code, when the identity provider gave no AADSTS number. */
function byMsalCode(code: string, ctx: DoctorContext): Entry | undefined {
  switch (code) {
    case 'login_required':
    case 'interaction_required':
    case 'consent_required':
    case 'no_account_error':
    case 'no_tokens_found':
    case 'refresh_token_expired':
      return {
        title: 'Please sign in again',
        whatHappened: `Microsoft Entra ID needs you to sign in again before the app can get a token (${code}).`,
        likelyCause: 'Your session expired, was revoked, or needs consent or verification.',
        fix: 'Sign in again; you come back to the same view.',
        action: 'sign-in',
      };
    case 'state_mismatch':
    case 'state_not_found':
    case 'no_token_request_cache_error':
    case 'no_cache_item':
    case 'hash_does_not_contain_known_properties':
    case 'nonce_mismatch':
    case 'invalid_state':
    case 'unexpected_response':
      return {
        title: 'The sign-in response was not one this page started',
        whatHappened: `The app rejected the response from the identity provider (${code}).`,
        likelyCause:
          'The response was tampered with or replayed, or sign-in was started in another tab, or browser storage was cleared meanwhile.',
        fix: 'Sign in again from this tab.',
        action: 'sign-in',
      };
    case 'access_denied':
    case 'user_cancelled':
      return {
        title: 'Sign-in was cancelled or denied',
        whatHappened: `The identity provider returned without signing you in (${code}).`,
        likelyCause: 'You cancelled, declined consent, or an administrator blocked access to the app.',
        fix: 'Sign in again; if access is blocked, ask your administrator to assign you to the app.',
        action: 'sign-in',
      };
    case 'interaction_in_progress':
      return {
        title: 'A sign-in is already in progress',
        whatHappened: 'The app was asked to sign in while another sign-in had not finished (interaction_in_progress).',
        likelyCause: 'A sign-in in this tab was interrupted, for example by the back button.',
        fix: 'Reload the page, then sign in.',
        action: 'reload',
      };
    case 'endpoints_resolution_error':
    case 'authority_uri_insecure':
    case 'url_parse_error':
    case 'invalid_authority_metadata':
    case 'invalid_cloud_discovery_metadata':
    case 'untrusted_authority':
      return {
        title: 'The identity provider address is wrong',
        whatHappened: `MSAL could not use the configured authority (${code}).`,
        likelyCause: 'The tenant ID or cloud in the settings is wrong.',
        fix: 'Open the settings and check the tenant ID and the cloud.',
        action: 'settings',
      };
    case 'post_request_failed':
    case 'get_request_failed':
    case 'no_network_connectivity':
    case 'failed_to_parse_response':
      return {
        title: 'The identity provider could not be reached',
        whatHappened: `A request to the identity provider failed (${code}).`,
        likelyCause: `You are offline, or ${ctx.origin} is not allowed to call the identity provider.`,
        fix: 'Check your connection and try again.',
        action: 'retry',
      };
    default:
      return undefined;
  }
}

function signInEntry(error: SignInError, ctx: DoctorContext): Entry {
  if (error.code === 'AUTH_REDIRECT_LOOP') {
    return {
      title: 'Sign-in keeps failing',
      whatHappened:
        'After you signed in, Microsoft Entra ID immediately asked for sign-in again, more than once. The app stopped instead of looping.',
      likelyCause:
        'The session is revoked or blocked right after sign-in (for example a Conditional Access policy), or the token lifetime is set very short.',
      fix: 'Sign in again once. If it still fails, check the app registration and your Conditional Access policies.',
      action: 'sign-in',
    };
  }
  if (error.code === 'AUTH_NO_ACCOUNT') {
    return {
      title: 'You are not signed in',
      whatHappened: 'No account is signed in in this tab.',
      likelyCause: 'You signed out, here or in another tab.',
      fix: 'Sign in.',
      action: 'sign-in',
    };
  }
  if (error.code === 'AUTH_REDIRECTING') {
    return {
      title: 'Signing you in again…',
      whatHappened: 'The app is taking you to the sign-in page.',
      likelyCause: 'Your session needed renewing.',
      fix: 'Wait a moment.',
      action: 'reload',
    };
  }
  const known =
    (error.aadsts !== undefined ? byAadsts(error.aadsts, ctx) : undefined) ??
    (error.msalErrorCode ? byMsalCode(error.msalErrorCode, ctx) : undefined);
  if (known) return known;
  return {
    title: 'Sign-in failed',
    whatHappened: `The ${error.during ?? 'sign-in'} step failed${error.msalErrorCode ? ` (${error.msalErrorCode})` : ''}.${error.description ? ` ${error.description}` : ''}`,
    likelyCause: 'The identity provider refused the request; the codes below say why.',
    fix: 'Sign in again. If it keeps failing, look up the code in the Microsoft Entra error reference.',
    action: 'sign-in',
  };
}

function apiEntry(error: DatabricksApiError, ctx: DoctorContext): Entry {
  const where = ctx.workspaceUrl ?? 'the workspace';
  if (error.code === 'API_UNAUTHORIZED') {
    return {
      title: 'The workspace does not accept your token',
      whatHappened: `${where} rejected the access token, and again after a fresh one (HTTP ${error.status}).`,
      likelyCause:
        'The workspace belongs to a different Entra tenant than you signed in to, or your user has never been added to the workspace.',
      fix: "Check that the tenant in the settings is the workspace's tenant, then sign in again.",
      action: 'sign-in',
    };
  }
  if (error.status === 403) {
    return {
      title: 'You are not allowed in this workspace',
      whatHappened: `${where} refused the request for your user (HTTP 403${error.errorCode ? ` ${error.errorCode}` : ''}).`,
      likelyCause: ctx.resourceIdConfigured
        ? 'Your user is not a member of the workspace, and you do not hold Contributor or Owner on the workspace resource.'
        : 'Your user is not a member of the workspace, or lacks the permission for this API.',
      fix: 'Ask a workspace admin to add you to the workspace (Settings → Identity and access → Users). Contributors on the workspace resource can instead configure the resource ID in the settings.',
      action: 'retry',
    };
  }
  if (error.status === 404) {
    return {
      title: error.errorCode === 'ENDPOINT_NOT_FOUND' ? 'This is not a Databricks workspace API' : 'Not found',
      whatHappened: `${where} answered 404 for ${error.path}${error.errorCode ? ` (${error.errorCode})` : ''}.`,
      likelyCause: 'The workspace URL points at the wrong host, or the object was deleted.',
      fix: 'Check the workspace URL in the settings (it looks like https://adb-1234567890123456.7.azuredatabricks.net).',
      action: 'settings',
    };
  }
  if (error.status === 429) {
    return {
      title: 'The workspace is rate limiting requests',
      whatHappened: `${where} kept answering 429 (${error.errorCode ?? 'too many requests'}) and the app stopped retrying.`,
      likelyCause: 'Too many API calls to this workspace in a short time, from this app or others.',
      fix: 'Wait a minute and try again.',
      action: 'retry',
    };
  }
  if (error.status === 400 && /does not exist/i.test(error.apiMessage ?? '')) {
    return {
      title: 'The cluster no longer exists',
      whatHappened: `${where} says: ${error.apiMessage}.`,
      likelyCause: 'The cluster was deleted, or terminated more than 60 days ago.',
      fix: 'Refresh the cluster list.',
      action: 'retry',
    };
  }
  if (error.status >= 500) {
    return {
      title: 'The workspace had a problem',
      whatHappened: `${where} answered HTTP ${error.status}${error.errorCode ? ` ${error.errorCode}` : ''}.`,
      likelyCause: 'A temporary fault or maintenance on the Databricks side.',
      fix: 'Try again in a moment. If it persists, check the Azure Databricks status page.',
      action: 'retry',
    };
  }
  return {
    title: 'The workspace refused the request',
    whatHappened: `${where} answered HTTP ${error.status}${error.errorCode ? ` ${error.errorCode}` : ''}: ${error.apiMessage ?? 'no details'}.`,
    likelyCause: 'The request did not fit what the workspace expects.',
    fix: 'Try again; if it persists, the codes below help Databricks support.',
    action: 'retry',
  };
}

/** The proxy's own words (e.g. "connect ECONNREFUSED 127.0.0.1:443"): it never puts a token in them. */
function serverSaid(error: ProxyRefusedError): string {
  const message = error.proxyMessage.trim();
  return message ? `The server said: ${message.endsWith('.') ? message : `${message}.`}` : '';
}

function proxyEntry(error: ProxyRefusedError, ctx: DoctorContext): Entry {
  const host = ctx.workspaceUrl ?? 'the workspace';
  if (/TIMEOUT/.test(error.proxyCode)) {
    return {
      title: 'The workspace is too slow to answer',
      whatHappened: `The app's server waited for ${host} and gave up (${error.proxyCode}). ${serverSaid(error)}`,
      likelyCause: 'The workspace is overloaded or starting up.',
      fix: 'Try again in a moment.',
      action: 'retry',
    };
  }
  if (error.proxyCode === 'PROXY_UPSTREAM_TLS') {
    return {
      title: "The workspace's certificate was not trusted",
      whatHappened: `The app's server could not verify the TLS certificate of ${host} (${error.proxyCode}). ${serverSaid(error)}`,
      likelyCause: "A proxy or firewall intercepts TLS on the server's network, or the host is not the workspace.",
      fix: 'Check the workspace URL; if your network intercepts TLS, give the server the corporate CA (NODE_EXTRA_CA_CERTS).',
      action: 'settings',
    };
  }
  if (/UNREACHABLE|UPSTREAM|CONNECT|DNS/.test(error.proxyCode)) {
    return {
      title: 'The workspace cannot be reached',
      whatHappened: `The app's server could not connect to ${host} (${error.proxyCode}). ${serverSaid(error)}`,
      likelyCause: "The workspace host is down, misspelled, or not reachable from the server's network (Private Link).",
      fix: 'Check the workspace URL in the settings, then try again.',
      action: 'retry',
    };
  }
  return {
    title: "The app's server refused to forward the request",
    whatHappened: `The proxy answered ${error.status} ${error.proxyCode}: ${error.proxyMessage}`,
    likelyCause:
      'The workspace host is not an Azure Databricks host the server allows, or the request came from another origin.',
    fix: 'Check the workspace URL in the settings (an https://adb-….azuredatabricks.net address).',
    action: 'settings',
  };
}

function workspaceEntry(error: WorkspaceError, ctx: DoctorContext): Entry {
  if (error instanceof DatabricksApiError) return apiEntry(error, ctx);
  if (error instanceof ProxyRefusedError) return proxyEntry(error, ctx);
  if (error.code === 'API_TIMEOUT') {
    return {
      title: 'No answer in time',
      whatHappened: `The request ${error.method} ${error.path} got no answer before the timeout.`,
      likelyCause: 'The workspace or the network is slow.',
      fix: 'Try again in a moment.',
      action: 'retry',
    };
  }
  if (error.code === 'API_BAD_RESPONSE') {
    return {
      title: 'Unexpected answer from the workspace',
      whatHappened: error.message,
      likelyCause: 'The workspace URL does not point at an Azure Databricks workspace.',
      fix: 'Check the workspace URL in the settings.',
      action: 'settings',
    };
  }
  return {
    title: 'The connection failed',
    whatHappened: `The request ${error.method} ${error.path} got no answer: the connection to the app's server failed.`,
    likelyCause: "You are offline, or the app's server stopped.",
    fix: 'Check your connection and that the server is running, then try again.',
    action: 'retry',
  };
}

function factsOf(error: unknown): string[] {
  const facts: string[] = [];
  if (error instanceof SignInError) {
    facts.push(error.code);
    if (error.msalErrorCode) facts.push(`MSAL ${error.msalErrorCode}`);
    if (error.aadsts !== undefined) facts.push(`AADSTS${error.aadsts}`);
    if (error.subError) facts.push(`suberror ${error.subError}`);
    if (error.correlationId) facts.push(`correlation ID ${error.correlationId}`);
  } else if (error instanceof DatabricksApiError) {
    facts.push(`HTTP ${error.status}`);
    if (error.errorCode) facts.push(error.errorCode);
    facts.push(`${error.method} ${error.path}`);
    if (error.requestId) facts.push(`request ID ${error.requestId}`);
  } else if (error instanceof ProxyRefusedError) {
    facts.push(`HTTP ${error.status}`, error.proxyCode, `${error.method} ${error.path}`);
  } else if (error instanceof WorkspaceError) {
    facts.push(error.code, `${error.method} ${error.path}`);
  } else if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string') {
    facts.push((error as { code: string }).code);
  }
  return facts;
}

function idOf(error: unknown): string {
  if (error instanceof SignInError) {
    if (error.aadsts !== undefined) return `AADSTS${error.aadsts}`;
    return error.msalErrorCode ?? error.code;
  }
  if (error instanceof DatabricksApiError)
    return error.code === 'API_UNAUTHORIZED' ? 'API_UNAUTHORIZED' : `API_${error.status}`;
  if (error instanceof ProxyRefusedError) return error.proxyCode;
  if (error instanceof WorkspaceError) return error.code;
  if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string')
    return (error as { code: string }).code;
  return 'UNEXPECTED';
}

/**
 * Explains any failure the app can meet: what happened, the likely cause, the fix and one
 * action. Pure: the same error and context give the same explanation.
 */
export function diagnose(error: unknown, ctx: DoctorContext): Diagnosis {
  let entry: Entry;
  if (error instanceof SignInError) entry = signInEntry(error, ctx);
  else if (error instanceof WorkspaceError) entry = workspaceEntry(error, ctx);
  else if (error && typeof error === 'object' && /^CONFIG_/.test(String((error as { code?: unknown }).code ?? ''))) {
    entry = {
      title: 'The configuration is not valid',
      whatHappened:
        typeof (error as { message?: unknown }).message === 'string'
          ? (error as { message: string }).message
          : 'A configuration value was refused.',
      likelyCause: "A value in the settings or the server's environment is missing or malformed.",
      fix: "Open the settings, correct the highlighted fields, or reset them to the server's defaults.",
      action: 'settings',
    };
  } else {
    entry = {
      title: 'Something unexpected went wrong',
      whatHappened: error instanceof Error ? `${error.name}: ${error.message}` : 'An unknown failure.',
      likelyCause: 'A bug in the app, or a browser extension interfering with the page.',
      fix: 'Reload the page. The timeline shows what happened before.',
      action: 'reload',
    };
  }
  return {
    ...entry,
    whatHappened: redactSecrets(entry.whatHappened),
    id: idOf(error),
    actionLabel: LABELS[entry.action],
    facts: factsOf(error).map(redactSecrets),
  };
}
