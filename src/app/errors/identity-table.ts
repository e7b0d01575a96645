import type { SignInErrorCode } from '../auth/errors.ts';
import type { DoctorContext, Explanation } from './diagnosis.ts';

/** Sign-in failures explained by data: AADSTS numbers, MSAL error codes, the app's own sign-in codes. */

type Explain = (ctx: DoctorContext) => Explanation;

const redirectUri = (ctx: DoctorContext) => `${ctx.origin}/`;
const app = (ctx: DoctorContext) => (ctx.clientId ? `the app registration ${ctx.clientId}` : 'the app registration');

const redirectUriNotRegistered =
  (code: number): Explain =>
  (ctx) => ({
    title: 'The redirect URI is not registered',
    whatHappened: `Microsoft Entra ID did not accept the address the app asked it to return to (AADSTS${code}).`,
    likelyCause: `${redirectUri(ctx)} is not listed, exactly, as a redirect URI of ${app(ctx)}.`,
    fix: `Add ${redirectUri(ctx)} under "Single-page application" in App registrations → ${app(ctx)} → Authentication (the match is exact, including the trailing slash and port).`,
    action: 'sign-in',
  });

const mfaRequired =
  (code: number): Explain =>
  () => ({
    title: 'Multi-factor verification is required',
    whatHappened: `Your organisation requires an additional verification step for this sign-in (AADSTS${code}).`,
    likelyCause: 'A Conditional Access or security-defaults policy asks for multi-factor authentication.',
    fix: 'Sign in again and complete the verification step.',
    action: 'sign-in',
  });

const sessionExpired =
  (code: number): Explain =>
  () => ({
    title: 'Your sign-in expired',
    whatHappened: `The sign-in code or refresh token expired (AADSTS${code}).`,
    likelyCause: 'The session was left unused too long, or the sign-in page was left open before returning.',
    fix: 'Sign in again.',
    action: 'sign-in',
  });

/**
 * Explanations by AADSTS number (the identity provider's `error_codes[0]`).
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export const AADSTS_EXPLANATIONS: Readonly<Record<number, Explain>> = {
  9002326: (ctx) => ({
    title: 'The app is registered as a web app, not a single-page app',
    whatHappened:
      'Microsoft Entra ID refused to redeem the sign-in code from the browser (AADSTS9002326: cross-origin token redemption is allowed only for single-page applications).',
    likelyCause: `The redirect URI ${redirectUri(ctx)} is registered under the "Web" platform of ${app(ctx)}.`,
    fix: `In the Entra admin center open App registrations → ${app(ctx)} → Authentication. Remove ${redirectUri(ctx)} from "Web" and add it under "Single-page application". Then sign in again.`,
    action: 'sign-in',
  }),
  50011: redirectUriNotRegistered(50011),
  500112: redirectUriNotRegistered(500112),
  90102: redirectUriNotRegistered(90102),
  500113: redirectUriNotRegistered(500113),
  900971: redirectUriNotRegistered(900971),
  65001: () => ({
    title: 'Consent is needed for Azure Databricks',
    whatHappened:
      'You, or your organisation, have not consented to let this app call Azure Databricks on your behalf (AADSTS65001).',
    likelyCause: 'The permission AzureDatabricks → user_impersonation has not been granted to the app.',
    fix: 'Sign in again and accept the consent prompt, or ask an administrator to grant admin consent under App registrations → API permissions → "Grant admin consent".',
    action: 'sign-in',
  }),
  50076: mfaRequired(50076),
  50079: mfaRequired(50079),
  50126: () => ({
    title: 'Wrong user name or password',
    whatHappened: 'Microsoft Entra ID did not accept the user name and password (AADSTS50126).',
    likelyCause: 'A typo in the user name or password, or an expired password.',
    fix: 'Sign in again with the right credentials.',
    action: 'sign-in',
  }),
  700016: (ctx) => ({
    title: 'The app was not found in this tenant',
    whatHappened: `Microsoft Entra ID has no application with the client ID ${ctx.clientId ?? 'configured'} in the configured tenant (AADSTS700016).`,
    likelyCause: 'The client ID or tenant ID in the settings is wrong, or the app is registered in another tenant.',
    fix: "Open the settings and check the tenant ID and client ID against the app registration's Overview page.",
    action: 'settings',
  }),
  700084: () => ({
    title: 'Your 24-hour sign-in session ended',
    whatHappened:
      'The refresh token a single-page app gets lasts 24 hours from sign-in, and it has run out (AADSTS700084).',
    likelyCause: 'More than a day has passed since you signed in.',
    fix: 'Sign in again.',
    action: 'sign-in',
  }),
  70008: sessionExpired(70008),
  700082: sessionExpired(700082),
  54005: () => ({
    title: 'This sign-in response was already used',
    whatHappened: 'The authorization code in the response had already been redeemed (AADSTS54005).',
    likelyCause: 'The sign-in response was replayed: the page was reloaded or opened again from history.',
    fix: 'Sign in again to start a fresh sign-in.',
    action: 'sign-in',
  }),
  501481: () => ({
    title: 'The sign-in could not be verified',
    whatHappened: 'The PKCE code verifier did not match the challenge sent at the start of sign-in (AADSTS501481).',
    likelyCause: 'The sign-in response was tampered with, or sign-in was started in another tab or window.',
    fix: 'Sign in again from this tab.',
    action: 'sign-in',
  }),
  50058: () => ({
    title: 'You are not signed in',
    whatHappened: 'A silent sign-in found no session at Microsoft Entra ID (AADSTS50058).',
    likelyCause: 'You signed out, or the session cookie expired.',
    fix: 'Sign in again.',
    action: 'sign-in',
  }),
  53003: () => ({
    title: 'Blocked by a Conditional Access policy',
    whatHappened: "Your organisation's Conditional Access blocked this sign-in (AADSTS53003).",
    likelyCause: 'A policy restricts the device, location or app you are signing in from.',
    fix: 'Ask your identity administrator which policy applies, or sign in from a compliant device.',
    action: 'switch-account',
  }),
  50020: () => ({
    title: 'This account is not in the tenant',
    whatHappened: 'The account you signed in with does not belong to the configured tenant (AADSTS50020).',
    likelyCause: 'You used a personal or other-organisation account.',
    fix: 'Sign in with an account of the configured tenant, or ask for a guest invitation.',
    action: 'switch-account',
  }),
};

type ExplainMsal = (code: string, ctx: DoctorContext) => Explanation;

const signInAgain: ExplainMsal = (code) => ({
  title: 'Please sign in again',
  whatHappened: `Microsoft Entra ID needs you to sign in again before the app can get a token (${code}).`,
  likelyCause: 'Your session expired, was revoked, or needs consent or verification.',
  fix: 'Sign in again; you come back to the same view.',
  action: 'sign-in',
});

const foreignResponse: ExplainMsal = (code) => ({
  title: 'The sign-in response was not one this page started',
  whatHappened: `The app rejected the response from the identity provider (${code}).`,
  likelyCause:
    'The response was tampered with or replayed, or sign-in was started in another tab, or browser storage was cleared meanwhile.',
  fix: 'Sign in again from this tab.',
  action: 'sign-in',
});

const cancelled: ExplainMsal = (code) => ({
  title: 'Sign-in was cancelled or denied',
  whatHappened: `The identity provider returned without signing you in (${code}).`,
  likelyCause: 'You cancelled, declined consent, or an administrator blocked access to the app.',
  fix: 'Sign in again; if access is blocked, ask your administrator to assign you to the app.',
  action: 'sign-in',
});

const inProgress: ExplainMsal = () => ({
  title: 'A sign-in is already in progress',
  whatHappened: 'The app was asked to sign in while another sign-in had not finished (interaction_in_progress).',
  likelyCause: 'A sign-in in this tab was interrupted, for example by the back button.',
  fix: 'Reload the page, then sign in.',
  action: 'reload',
});

const badAuthority: ExplainMsal = (code) => ({
  title: 'The identity provider address is wrong',
  whatHappened: `MSAL could not use the configured authority (${code}).`,
  likelyCause: 'The tenant ID or cloud in the settings is wrong.',
  fix: 'Open the settings and check the tenant ID and the cloud.',
  action: 'settings',
});

const unreachable: ExplainMsal = (code, ctx) => ({
  title: 'The identity provider could not be reached',
  whatHappened: `A request to the identity provider failed (${code}).`,
  likelyCause: `You are offline, or ${ctx.origin} is not allowed to call the identity provider.`,
  fix: 'Check your connection and try again.',
  action: 'retry',
});

/**
 * Explanations by MSAL's `errorCode` (msal-common's ClientAuthError, InteractionRequiredAuthError,
 * BrowserAuthError and ClientConfigurationError codes, and the server's OAuth `error`), used when
 * the identity provider gave no AADSTS number.
 */
export const MSAL_EXPLANATIONS: Readonly<Record<string, ExplainMsal>> = {
  login_required: signInAgain,
  interaction_required: signInAgain,
  consent_required: signInAgain,
  no_account_error: signInAgain,
  no_tokens_found: signInAgain,
  refresh_token_expired: signInAgain,
  state_mismatch: foreignResponse,
  state_not_found: foreignResponse,
  no_token_request_cache_error: foreignResponse,
  no_cache_item: foreignResponse,
  hash_does_not_contain_known_properties: foreignResponse,
  nonce_mismatch: foreignResponse,
  invalid_state: foreignResponse,
  unexpected_response: foreignResponse,
  access_denied: cancelled,
  user_cancelled: cancelled,
  interaction_in_progress: inProgress,
  endpoints_resolution_error: badAuthority,
  authority_uri_insecure: badAuthority,
  url_parse_error: badAuthority,
  invalid_authority_metadata: badAuthority,
  invalid_cloud_discovery_metadata: badAuthority,
  untrusted_authority: badAuthority,
  post_request_failed: unreachable,
  get_request_failed: unreachable,
  no_network_connectivity: unreachable,
  failed_to_parse_response: unreachable,
};

/** The app's own sign-in states that are explained without MSAL's facts. */
export const SIGN_IN_CODE_EXPLANATIONS: Readonly<Partial<Record<SignInErrorCode, Explanation>>> = {
  AUTH_REDIRECT_LOOP: {
    title: 'Sign-in keeps failing',
    whatHappened:
      'After you signed in, Microsoft Entra ID immediately asked for sign-in again, more than once. The app stopped instead of looping.',
    likelyCause:
      'The session is revoked or blocked right after sign-in (for example a Conditional Access policy), or the token lifetime is set very short.',
    fix: 'Sign in again once. If it still fails, check the app registration and your Conditional Access policies.',
    action: 'sign-in',
  },
  AUTH_NO_ACCOUNT: {
    title: 'You are not signed in',
    whatHappened: 'No account is signed in in this tab.',
    likelyCause: 'You signed out, here or in another tab.',
    fix: 'Sign in.',
    action: 'sign-in',
  },
  AUTH_REDIRECTING: {
    title: 'Signing you in again…',
    whatHappened: 'The app is taking you to the sign-in page.',
    likelyCause: 'Your session needed renewing.',
    fix: 'Wait a moment.',
    action: 'reload',
  },
};
