import { describe, expect, it } from 'vitest';
import { SignInError, toSignInError } from '../../../src/app/auth/errors.ts';
import {
  DatabricksApiError,
  ProxyRefusedError,
  WorkspaceBadResponseError,
  WorkspaceNetworkError,
  WorkspaceTimeoutError,
} from '../../../src/app/databricks/errors.ts';
import { PROXY_REFUSAL_CODES } from '../../../src/app/databricks/proxy-codes.ts';
import { diagnose } from '../../../src/app/errors/doctor.ts';

const ctx = {
  origin: 'https://localhost:5173',
  clientId: '12a34b56-789c-0d12-e3fa-b456789c0123',
  workspaceUrl: 'https://adb-1.2.azuredatabricks.net',
};
const target = { method: 'GET', path: '/api/2.1/clusters/list' };

/** An object shaped like MSAL's ServerError as it arrives from the token endpoint. */
function msalServerError(errorCode: string, errorNo: number | string | undefined, message = '') {
  return Object.assign(new Error(message), {
    name: 'ServerError',
    errorCode,
    errorNo,
    errorMessage: message,
    subError: '',
  });
}

describe('error doctor: identity provider and MSAL', () => {
  it.each([
    [
      9002326,
      'AADSTS9002326',
      'The app is registered as a web app, not a single-page app',
      'sign-in',
      /Single-page application/,
    ],
    [50011, 'AADSTS50011', 'The redirect URI is not registered', 'sign-in', /https:\/\/localhost:5173\//],
    [65001, 'AADSTS65001', 'Consent is needed for Azure Databricks', 'sign-in', /admin consent/],
    [50076, 'AADSTS50076', 'Multi-factor verification is required', 'sign-in', /verification step/],
    [50126, 'AADSTS50126', 'Wrong user name or password', 'sign-in', /right credentials/],
    [700016, 'AADSTS700016', 'The app was not found in this tenant', 'settings', /client ID/],
    [700084, 'AADSTS700084', 'Your 24-hour sign-in session ended', 'sign-in', /Sign in again/],
    [70008, 'AADSTS70008', 'Your sign-in expired', 'sign-in', /Sign in again/],
    [54005, 'AADSTS54005', 'This sign-in response was already used', 'sign-in', /fresh sign-in/],
    [501481, 'AADSTS501481', 'The sign-in could not be verified', 'sign-in', /this tab/],
  ])('explains AADSTS%d', (aadsts, id, title, action, fix) => {
    const d = diagnose(toSignInError(msalServerError('invalid_grant', aadsts), 'redirect'), ctx);
    expect(d).toMatchObject({ id, title, action });
    expect(d.fix).toMatch(fix);
    expect(d.facts).toContain(`AADSTS${aadsts}`);
  });

  it('reads the AADSTS number from the description when MSAL gives no errorNo', () => {
    const error = msalServerError(
      'invalid_request',
      undefined,
      'AADSTS9002326: Cross-origin token redemption is permitted only for the Single-Page Application client-type.',
    );
    expect(diagnose(toSignInError(error, 'redirect'), ctx).id).toBe('AADSTS9002326');
  });

  it('reads a string errorNo from an authorize redirect', () => {
    expect(diagnose(toSignInError(msalServerError('access_denied', '65001'), 'redirect'), ctx).title).toBe(
      'Consent is needed for Azure Databricks',
    );
  });

  it.each([
    ['login_required', 'Please sign in again', 'sign-in'],
    ['interaction_required', 'Please sign in again', 'sign-in'],
    ['state_mismatch', 'The sign-in response was not one this page started', 'sign-in'],
    ['no_token_request_cache_error', 'The sign-in response was not one this page started', 'sign-in'],
    ['no_cache_item', 'The sign-in response was not one this page started', 'sign-in'],
    ['unexpected_response', 'The sign-in response was not one this page started', 'sign-in'],
    ['access_denied', 'Sign-in was cancelled or denied', 'sign-in'],
    ['interaction_in_progress', 'A sign-in is already in progress', 'reload'],
    ['endpoints_resolution_error', 'The identity provider address is wrong', 'settings'],
    ['post_request_failed', 'The identity provider could not be reached', 'retry'],
  ])('explains MSAL error %s', (code, title, action) => {
    const d = diagnose(toSignInError(msalServerError(code, undefined), 'redirect'), ctx);
    expect(d).toMatchObject({ id: code, title, action });
  });

  it('classifies interaction-required MSAL errors', () => {
    const irae = Object.assign(new Error(''), {
      name: 'InteractionRequiredAuthError',
      errorCode: 'invalid_grant',
      subError: 'basic_action',
      errorNo: 50076,
    });
    const e = toSignInError(irae, 'silent token');
    expect(e.code).toBe('AUTH_INTERACTION_REQUIRED');
    expect(e.subError).toBe('basic_action');
  });

  it('explains a stopped redirect loop', () => {
    const d = diagnose(new SignInError('AUTH_REDIRECT_LOOP', 'loop'), ctx);
    expect(d).toMatchObject({
      id: 'AUTH_REDIRECT_LOOP',
      title: 'Sign-in keeps failing',
      action: 'sign-in',
      actionLabel: 'Sign in again',
    });
  });

  it('falls back to a generic sign-in explanation with the codes', () => {
    const d = diagnose(toSignInError(msalServerError('weird_error', 123456), 'redirect'), ctx);
    expect(d.title).toBe('Sign-in failed');
    expect(d.facts).toEqual(['AUTH_FAILED', 'MSAL weird_error', 'AADSTS123456']);
  });
});

describe('error doctor: workspace and network', () => {
  it.each([
    [{ status: 401 }, 'API_UNAUTHORIZED', 'The workspace does not accept your token', 'sign-in', 'API_UNAUTHORIZED'],
    [{ status: 403, errorCode: 'PERMISSION_DENIED' }, 'API_403', 'You are not allowed in this workspace', 'retry'],
    [{ status: 404, errorCode: 'ENDPOINT_NOT_FOUND' }, 'API_404', 'This is not a Databricks workspace API', 'settings'],
    [{ status: 429 }, 'API_429', 'The workspace is rate limiting requests', 'retry', 'API_RATE_LIMITED'],
    [{ status: 500, errorCode: 'INTERNAL_ERROR' }, 'API_500', 'The workspace had a problem', 'retry'],
    [{ status: 503 }, 'API_503', 'The workspace had a problem', 'retry'],
  ] as const)(
    'explains the workspace answer %o as %s',
    (answer, id, title, action, code?: DatabricksApiError['code']) => {
      expect(diagnose(new DatabricksApiError(target, answer, code), ctx)).toMatchObject({ id, title, action });
    },
  );

  it.each([
    [504, 'PROXY_UPSTREAM_TIMEOUT', 'slow', 'The workspace is too slow to answer', 'retry'],
    [502, 'PROXY_UPSTREAM_UNREACHABLE', 'down', 'The workspace cannot be reached', 'retry'],
    [403, 'PROXY_HOST_NOT_ALLOWED', 'evil.example', "The app's server refused to forward the request", 'settings'],
    [502, 'PROXY_UPSTREAM_TLS', 'self-signed', "The workspace's certificate was not trusted", 'settings'],
  ])('explains the proxy refusal %i %s', (status, proxyCode, proxyMessage, title, action) => {
    const error = new ProxyRefusedError(target, { status, proxyCode, proxyMessage });
    expect(diagnose(error, ctx)).toMatchObject({ id: proxyCode, title, action });
  });

  it.each([
    [
      new WorkspaceNetworkError(target, new TypeError('Failed to fetch')),
      'API_NETWORK_ERROR',
      'The connection failed',
      'retry',
    ],
    [new WorkspaceTimeoutError(target, 30000), 'API_TIMEOUT', 'No answer in time', 'retry'],
    [
      new WorkspaceBadResponseError(target, 200, 'the body is not JSON'),
      'API_BAD_RESPONSE',
      'Unexpected answer from the workspace',
      'settings',
    ],
  ])('explains %s', (error, id, title, action) => {
    expect(diagnose(error, ctx)).toMatchObject({ id, title, action });
  });

  it('tells a user who is not in the workspace to ask an admin', () => {
    const d = diagnose(
      new DatabricksApiError(target, { status: 403, errorCode: 'PERMISSION_DENIED', requestId: 'r-1' }),
      ctx,
    );
    expect(d.fix).toMatch(/Ask a workspace admin to add you/);
    expect(d.facts).toEqual(['HTTP 403', 'PERMISSION_DENIED', 'GET /api/2.1/clusters/list', 'request ID r-1']);
  });

  it("repeats the server's reason when the workspace cannot be reached, so the person sees the refused connection", () => {
    const refused = new ProxyRefusedError(target, {
      status: 502,
      proxyCode: 'PROXY_UPSTREAM_UNREACHABLE',
      proxyMessage:
        'The workspace localhost:5705 could not be reached (connect ECONNREFUSED 127.0.0.1:5705). Check that it is running and the URL and port are right.',
    });
    const d = diagnose(refused, ctx);
    expect(d.whatHappened).toContain('PROXY_UPSTREAM_UNREACHABLE');
    expect(d.whatHappened).toContain('ECONNREFUSED 127.0.0.1:5705');
  });

  it('explains configuration errors by sending the person to the settings', () => {
    const configError = Object.assign(new Error('The client ID must be a GUID.'), {
      code: 'CONFIG_INVALID',
      field: 'clientId',
    });
    expect(diagnose(configError, ctx)).toMatchObject({
      id: 'CONFIG_INVALID',
      action: 'settings',
      whatHappened: 'The client ID must be a GUID.',
    });
  });

  it('explains anything unexpected and never repeats a token found in its message', () => {
    const d = diagnose(new Error('boom with eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJl inside'), ctx);
    expect(d).toMatchObject({ id: 'UNEXPECTED', action: 'reload' });
    expect(d.whatHappened).not.toContain('eyJ');
    expect(d.whatHappened).toContain('[token]');
  });
});

describe('error doctor: the workspace refuses the token', () => {
  /** As the client builds it after the forced refresh, from Databricks' `{"error_code":401,"message":…}`. */
  const rejected = (status: number, apiMessage: string, errorCode: string | undefined = String(status)) =>
    new DatabricksApiError(
      target,
      { status, ...(errorCode ? { errorCode } : {}), apiMessage, requestId: 'req-7' },
      'API_UNAUTHORIZED',
    );

  it.each([
    ['Token is expired', /newly issued token expired.*token lifetime policy/, 'sign-in'],
    ['Token is expiring within 30 seconds. (token expired)', /less than 30 seconds left/, 'sign-in'],
    ['Token is not yet valid', /"not before" time is still in the future/, 'retry'],
    ['Invalid access token.', /could not verify the token's signature/, 'settings'],
    [
      'Credential was not sent or was of an unsupported type for this API.',
      /removed the Authorization header/,
      'reload',
    ],
  ])('shows the workspace\'s own words for a 401 "%s" with a cause that fits it', (message, cause, action) => {
    const d = diagnose(rejected(401, message), ctx);
    expect(d.title).toBe('The workspace does not accept your token');
    expect(d.whatHappened).toContain(`"${message}"`);
    expect(d.whatHappened).toContain('(HTTP 401)');
    expect(d.likelyCause).toMatch(cause);
    expect(d.action).toBe(action);
    expect(`${d.whatHappened} ${d.facts.join(' ')}`).not.toMatch(/401 401/);
    expect(d.facts).toEqual(['HTTP 401', 'GET /api/2.1/clusters/list', 'request ID req-7']);
  });

  it('does not blame another tenant for an expired token', () => {
    const d = diagnose(rejected(401, 'Token is expired'), ctx);
    expect(`${d.likelyCause} ${d.fix}`).not.toMatch(/tenant than|different Entra tenant/);
  });

  it.each([
    ['JWT has expired', 403, /newly issued token expired/],
    ['Invalid access token.', 403, /could not verify the token's signature/],
  ])('explains the older 403 "%s" answer the same way', (message, status, cause) => {
    const d = diagnose(rejected(status, message), ctx);
    expect(d.likelyCause).toMatch(cause);
    expect(d.whatHappened).toContain(`(HTTP ${status})`);
  });

  it('blames another tenant only when the workspace says the issuer is wrong', () => {
    const d = diagnose(
      rejected(
        400,
        'io.jsonwebtoken.IncorrectClaimException: Expected iss claim to be: https://sts.windows.net/a1bc2d34-5e67-8f89-01ab-c2345d6c78de/, but was: https://sts.windows.net/00000000-1111-4222-8333-444444444444/.',
        undefined,
      ),
      ctx,
    );
    expect(d.likelyCause).toMatch(/different Entra tenant/);
    expect(d.action).toBe('settings');
  });

  it('names Azure Databricks when the token is for another audience', () => {
    const d = diagnose(
      rejected(
        400,
        'io.jsonwebtoken.IncorrectClaimException: Expected aud claim to be: 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d, but was: https://management.core.windows.net/.',
        undefined,
      ),
      ctx,
    );
    expect(d.likelyCause).toMatch(/another API/);
  });

  it('shows an unrecognised rejection message as it came', () => {
    const d = diagnose(rejected(401, 'User not authorized.'), ctx);
    expect(d.whatHappened).toContain('"User not authorized."');
    expect(d.likelyCause).toMatch(/not been added to the workspace/);
  });

  it('never repeats a numeric error code after the status for other answers either', () => {
    const d = diagnose(new DatabricksApiError(target, { status: 500, errorCode: '500', apiMessage: 'boom' }), ctx);
    expect(d.whatHappened).not.toMatch(/500 500/);
    expect(d.facts).toEqual(['HTTP 500', 'GET /api/2.1/clusters/list']);
  });
});

describe('error doctor: branches on codes and typed fields', () => {
  it('explains every proxy code the server can send', () => {
    for (const proxyCode of PROXY_REFUSAL_CODES) {
      const d = diagnose(new ProxyRefusedError(target, { status: 502, proxyCode, proxyMessage: '' }), ctx);
      expect(d.id).toBe(proxyCode);
      expect(d.title).not.toBe('');
    }
  });

  it('treats a proxy code it does not know by its status, and names the code', () => {
    const upstream = diagnose(
      new ProxyRefusedError(target, { status: 502, proxyCode: 'PROXY_UPSTREAM_NEW', proxyMessage: 'x' }),
      ctx,
    );
    expect(upstream).toMatchObject({ id: 'PROXY_UPSTREAM_NEW', title: 'The workspace cannot be reached' });
    const refusal = diagnose(
      new ProxyRefusedError(target, { status: 400, proxyCode: 'PROXY_SOMETHING_NEW', proxyMessage: 'x' }),
      ctx,
    );
    expect(refusal.title).toBe("The app's server refused to forward the request");
  });

  it('does not take a proxy code for its message: a timeout is a timeout whatever the text says', () => {
    const d = diagnose(
      new ProxyRefusedError(target, {
        status: 504,
        proxyCode: 'PROXY_UPSTREAM_TIMEOUT',
        proxyMessage: 'The host could not be reached (DNS).',
      }),
      ctx,
    );
    expect(d.title).toBe('The workspace is too slow to answer');
  });

  it('explains a missing cluster from clusters/get by its code, not by the words "does not exist"', () => {
    const get = { method: 'GET', path: '/api/2.1/clusters/get?cluster_id=0000-000000-nothere0' };
    expect(
      diagnose(
        new DatabricksApiError(get, {
          status: 400,
          errorCode: 'INVALID_PARAMETER_VALUE',
          apiMessage: 'Cluster 0000-000000-nothere0 does not exist',
        }),
        ctx,
      ).title,
    ).toBe('The cluster no longer exists');
    expect(
      diagnose(
        new DatabricksApiError(target, {
          status: 400,
          errorCode: 'INVALID_PARAMETER_VALUE',
          apiMessage: "Invalid value 'X' for filter_by.cluster_states; this does not exist",
        }),
        ctx,
      ).title,
    ).toBe('The workspace refused the request');
    const noId = { method: 'GET', path: '/api/2.1/clusters/get' };
    expect(
      diagnose(
        new DatabricksApiError(noId, {
          status: 400,
          errorCode: 'INVALID_PARAMETER_VALUE',
          apiMessage: 'Missing required field: cluster_id',
        }),
        ctx,
      ).title,
    ).toBe('The workspace refused the request');
  });

  it('does not treat an error whose code merely starts with CONFIG_ as a configuration error', () => {
    const d = diagnose(Object.assign(new Error('nope'), { code: 'CONFIG_METHOD_NOT_ALLOWED' }), ctx);
    expect(d.title).toBe('Something unexpected went wrong');
  });

  it('finds no explanation for an MSAL code named like an Object property', () => {
    const d = diagnose(toSignInError(msalServerError('constructor', undefined), 'redirect'), ctx);
    expect(d.title).toBe('Sign-in failed');
  });

  it('reads the AADSTS number of a throttled replay, where MSAL puts the error codes in errorCode', () => {
    // msal-common's ThrottlingUtils.preProcess: new ServerError(errorCodes.join(' '), …, errorMessage).
    const replay = msalServerError('50173', undefined, 'The provided grant has expired.');
    expect(toSignInError(replay, 'silent token').aadsts).toBe(50173);
  });
});
