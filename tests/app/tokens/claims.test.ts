import { describe, expect, it } from 'vitest';
import {
  describeClaim,
  describeHeaderParameter,
  describeIssuer,
  explainClaimValue,
  nameAudience,
} from '../../../src/app/tokens/claims.ts';

const TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
const CLIENT = '12a34b56-789c-0d12-e3fa-b456789c0123';

describe('claim descriptions', () => {
  it.each([
    'aud',
    'iss',
    'iat',
    'nbf',
    'exp',
    'aio',
    'amr',
    'acr',
    'appid',
    'appidacr',
    'azp',
    'azpacr',
    'idp',
    'ipaddr',
    'name',
    'family_name',
    'given_name',
    'oid',
    'puid',
    'rh',
    'roles',
    'scp',
    'sid',
    'sub',
    'tid',
    'unique_name',
    'upn',
    'uti',
    'ver',
    'wids',
    'nonce',
    'preferred_username',
    'login_hint',
    'email',
    'groups',
    'hasgroups',
    'ctry',
    'xms_cc',
    'xms_tdbr',
    'signin_state',
    'idtyp',
    'auth_time',
  ])('explains the %s claim Entra ID issues', (claim) => {
    const description = describeClaim(claim);
    expect(description.known).toBe(true);
    expect(description.title).not.toBe(claim);
    expect(description.description.length).toBeGreaterThan(20);
  });

  it('explains the scope and audience in Azure Databricks terms', () => {
    expect(describeClaim('scp').description).toContain('user_impersonation');
    expect(describeClaim('oid').description).toContain('Azure Databricks matches users by it');
    expect(describeClaim('ver').description).toContain('Azure Databricks access tokens are v1.0');
  });

  it('gives undocumented xms_ claims a generic description', () => {
    expect(describeClaim('xms_something_new')).toMatchObject({
      title: 'Microsoft extension (xms_something_new)',
      known: true,
    });
  });

  it('says when a claim is not one Entra ID issues, even for inherited object names', () => {
    expect(describeClaim('favourite_colour')).toMatchObject({ title: 'favourite_colour', known: false });
    expect(describeClaim('constructor').known).toBe(false);
    expect(describeClaim('__proto__').known).toBe(false);
  });

  it('explains header parameters, including the Microsoft Graph nonce', () => {
    expect(describeHeaderParameter('kid').title).toBe('Key ID');
    expect(describeHeaderParameter('nonce').description).toContain('only Microsoft Graph can verify them');
    expect(describeHeaderParameter('zip').known).toBe(false);
  });
});

describe('naming audiences and issuers', () => {
  it.each([
    ['2ff814a6-3304-4ab8-85cb-cd0e6f879c1d', 'Azure Databricks'],
    [CLIENT, 'this app'],
    [CLIENT.toUpperCase(), 'this app'],
    ['00000003-0000-0000-c000-000000000000', 'Microsoft Graph'],
    ['https://management.azure.com/', 'Azure Resource Manager'],
    [['2ff814a6-3304-4ab8-85cb-cd0e6f879c1d', CLIENT], 'Azure Databricks, this app'],
    ['api://somebody-else', undefined],
    [42, undefined],
  ])('names the audience %j as %s', (aud, name) => {
    expect(nameAudience(aud, CLIENT)).toBe(name);
  });

  it('reads a v1.0 issuer and recognises the configured tenant', () => {
    expect(describeIssuer(`https://sts.windows.net/${TENANT}/`, TENANT)).toEqual({
      label: `Entra ID tenant ${TENANT}, the configured tenant (v1.0 issuer, sts.windows.net)`,
      version: '1.0',
      tenantId: TENANT,
      host: 'sts.windows.net',
    });
  });

  it('reads a v2.0 issuer of another tenant', () => {
    const other = '0b0b0000-0000-4000-8000-000000000002';
    expect(describeIssuer(`https://login.microsoftonline.com/${other}/v2.0`, TENANT)).toMatchObject({
      label: `Entra ID tenant ${other} (v2.0 issuer, login.microsoftonline.com)`,
      version: '2.0',
      tenantId: other,
    });
  });

  it.each([['https://accounts.google.com'], ['http://sts.windows.net/x/'], ['not a url'], [undefined]])(
    'does not take %s for an Entra ID issuer',
    (iss) => {
      expect(describeIssuer(iss, TENANT).version).toBeUndefined();
    },
  );

  it('reads authentication methods, client authentication and the app itself', () => {
    expect(explainClaimValue('amr', ['pwd', 'mfa'])).toBe('password, multi-factor authentication');
    expect(explainClaimValue('appidacr', '0')).toBe('public client, no secret');
    expect(explainClaimValue('appid', CLIENT, CLIENT)).toBe('this app');
    expect(explainClaimValue('aud', '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d', CLIENT)).toBe('Azure Databricks');
    expect(explainClaimValue('scp', 'user_impersonation')).toBe('may act as you');
    expect(explainClaimValue('oid', 'x')).toBeUndefined();
  });
});
