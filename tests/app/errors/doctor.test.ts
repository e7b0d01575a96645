import { describe, expect, it } from 'vitest';
import { SignInError, toSignInError } from '../../../src/app/auth/errors.ts';
import {
  DatabricksApiError,
  ProxyRefusedError,
  WorkspaceBadResponseError,
  WorkspaceNetworkError,
  WorkspaceTimeoutError,
} from '../../../src/app/databricks/errors.ts';
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
    [
      new DatabricksApiError(target, { status: 401 }, 'API_UNAUTHORIZED'),
      'API_UNAUTHORIZED',
      'The workspace does not accept your token',
      'sign-in',
    ],
    [
      new DatabricksApiError(target, { status: 403, errorCode: 'PERMISSION_DENIED' }),
      'API_403',
      'You are not allowed in this workspace',
      'retry',
    ],
    [
      new DatabricksApiError(target, { status: 404, errorCode: 'ENDPOINT_NOT_FOUND' }),
      'API_404',
      'This is not a Databricks workspace API',
      'settings',
    ],
    [
      new DatabricksApiError(target, { status: 429 }, 'API_RATE_LIMITED'),
      'API_429',
      'The workspace is rate limiting requests',
      'retry',
    ],
    [
      new DatabricksApiError(target, { status: 500, errorCode: 'INTERNAL_ERROR' }),
      'API_500',
      'The workspace had a problem',
      'retry',
    ],
    [new DatabricksApiError(target, { status: 503 }), 'API_503', 'The workspace had a problem', 'retry'],
    [
      new ProxyRefusedError(target, { status: 504, proxyCode: 'PROXY_UPSTREAM_TIMEOUT', proxyMessage: 'slow' }),
      'PROXY_UPSTREAM_TIMEOUT',
      'The workspace is too slow to answer',
      'retry',
    ],
    [
      new ProxyRefusedError(target, { status: 502, proxyCode: 'PROXY_UPSTREAM_UNREACHABLE', proxyMessage: 'down' }),
      'PROXY_UPSTREAM_UNREACHABLE',
      'The workspace cannot be reached',
      'retry',
    ],
    [
      new ProxyRefusedError(target, { status: 403, proxyCode: 'PROXY_HOST_NOT_ALLOWED', proxyMessage: 'evil.example' }),
      'PROXY_HOST_NOT_ALLOWED',
      "The app's server refused to forward the request",
      'settings',
    ],
    [
      new ProxyRefusedError(target, { status: 502, proxyCode: 'PROXY_UPSTREAM_TLS', proxyMessage: 'self-signed' }),
      'PROXY_UPSTREAM_TLS',
      "The workspace's certificate was not trusted",
      'settings',
    ],
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
