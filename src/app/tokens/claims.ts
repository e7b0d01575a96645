import { DATABRICKS_RESOURCE_APP_ID, GUID_PATTERN } from '../well-known.ts';

/** A claim explained for people. */
export interface ClaimDescription {
  /** Short name, e.g. "Expires at". */
  title: string;
  /** What the claim means, in plain language. */
  description: string;
  /** False when the claim is not one Entra ID is known to issue. */
  known: boolean;
}

type Entry = readonly [title: string, description: string];

/**
 * Every claim Entra ID puts in v1.0 and v2.0 ID and access tokens, in plain language.
 * @see https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
 * @see https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 * @see https://learn.microsoft.com/entra/identity-platform/optional-claims-reference
 */
const CLAIMS: Readonly<Record<string, Entry>> = {
  aud: [
    'Audience',
    'Who the token is for. An API must refuse a token whose audience is not itself: an ID token is for this app (its client ID), the access token is for Azure Databricks.',
  ],
  iss: [
    'Issuer',
    'Who issued and signed the token: the Entra ID tenant, as a URL. v1.0 tokens name https://sts.windows.net/{tenant}/, v2.0 tokens https://login.microsoftonline.com/{tenant}/v2.0.',
  ],
  iat: ['Issued at', 'When the token was issued (seconds since 1970, shown here as a local date).'],
  nbf: ['Not before', 'The token is not valid before this time.'],
  exp: [
    'Expires at',
    'The token is not valid after this time. Entra ID access tokens last 60 to 90 minutes by default; MSAL renews them before they expire.',
  ],
  aio: ['Internal data (aio)', 'Opaque data Entra ID uses internally to reuse the token. Ignore it.'],
  amr: [
    'Authentication methods',
    'How you proved who you are in this sign-in, e.g. "pwd" (password), "mfa" (multi-factor), "rsa", "otp", "fido", "wia" (Windows integrated).',
  ],
  acr: [
    'Authentication context class',
    'v1.0 only. "0" means the sign-in did not meet ISO/IEC 29115 level requirements; "1" is the usual value for a person who signed in.',
  ],
  acrs: ['Authentication contexts', 'Conditional Access authentication contexts this sign-in satisfied.'],
  appid: [
    'Application ID (v1.0)',
    'The client ID of the app that asked for the token; for this app, its own client ID.',
  ],
  appidacr: [
    'Application authentication (v1.0)',
    'How the app proved itself: "0" public client (no secret, e.g. a browser app), "1" client secret, "2" certificate.',
  ],
  azp: ['Authorized party (v2.0)', 'The client ID of the app that asked for the token (v2.0 name of appid).'],
  azpacr: [
    'Authorized party authentication (v2.0)',
    'How the app proved itself: "0" public client, "1" client secret, "2" certificate.',
  ],
  idp: [
    'Identity provider',
    'Who authenticated you when it is not this tenant, e.g. another tenant for a guest, or live.com for a personal account.',
  ],
  idtyp: ['Identity type', '"user" or "app": whether the token acts for a person or only for an application.'],
  ipaddr: ['IP address', 'The public IP address you signed in from, as Entra ID saw it.'],
  name: ['Name', 'Your display name. For display only; do not use it to identify you.'],
  family_name: ['Family name', 'Your last name, as set in your Entra ID user object.'],
  given_name: ['Given name', 'Your first name, as set in your Entra ID user object.'],
  oid: [
    'Object ID',
    'Your user object ID in Entra ID: the same for every app in this tenant and the stable way to identify you. Azure Databricks matches users by it.',
  ],
  puid: ['Passport unique ID', 'An internal Microsoft account identifier. Ignore it.'],
  rh: ['Internal data (rh)', 'Opaque data Entra ID uses to re-validate tokens. Ignore it.'],
  roles: ['App roles', "App roles assigned to you (or to the app) in the resource's app registration."],
  scp: [
    'Scopes',
    'The delegated permissions the app may use on your behalf at the audience, space-separated; for Azure Databricks, "user_impersonation".',
  ],
  sid: ['Session ID', 'Identifies your sign-in session, used for single sign-out and silent sign-in.'],
  sub: [
    'Subject',
    'Identifies you, but differently for every app (pairwise). Use oid to recognise the same person across apps.',
  ],
  tid: ['Tenant ID', 'The directory (tenant) that issued the token, which is the one you signed in to.'],
  unique_name: [
    'Unique name (v1.0)',
    'A human-readable name for you, usually your UPN. For display only; it can change.',
  ],
  upn: [
    'User principal name',
    'Your sign-in name, e.g. ana@contoso.example. It can change, so do not use it as a key.',
  ],
  uti: ['Token identifier', 'A unique ID of this token, used by Entra ID internally to revoke it. Ignore it.'],
  ver: [
    'Token version',
    'The token format: "1.0" or "2.0". Azure Databricks access tokens are v1.0 even when requested from the v2.0 endpoint.',
  ],
  wids: [
    'Directory roles',
    'Entra ID directory roles you hold (as role template IDs), e.g. 62e90394-69f5-4237-9190-012177145e10 for Global Administrator.',
  ],
  nonce: [
    'Nonce',
    'The random value the app sent when it started the sign-in; MSAL checks it matches, which stops a stolen ID token being replayed.',
  ],
  preferred_username: [
    'Preferred username',
    'The name you signed in with (usually your UPN or email). For display only; it can change.',
  ],
  login_hint: [
    'Login hint',
    'An opaque value the app can send back to pre-select this account at the next sign-in or sign-out.',
  ],
  email: [
    'Email',
    'Your email address, if your user object has one and the app asked for the email scope. It can change and is not verified by every tenant.',
  ],
  emails: ['Emails', 'Your email addresses (Azure AD B2C and external identities).'],
  groups: [
    'Groups',
    'IDs of the security groups you belong to (only when the app registration asks for group claims).',
  ],
  hasgroups: [
    'Has groups',
    'You are in too many groups to list in a token; the app must ask Microsoft Graph for them.',
  ],
  _claim_names: [
    'Claim sources (names)',
    'Points at claims too large for the token (for example, groups overage); read them from _claim_sources.',
  ],
  _claim_sources: [
    'Claim sources',
    'Where to fetch claims that did not fit in the token, usually a Microsoft Graph URL.',
  ],
  ctry: ['Country', 'Your country or region, as a two-letter code (optional claim).'],
  tenant_ctry: ['Tenant country', "The tenant's country or region (optional claim)."],
  tenant_region_scope: ['Tenant region', "The region of the tenant's data (optional claim)."],
  signin_state: [
    'Sign-in state',
    'Facts about the sign-in, e.g. "kmsi" (you ticked "Keep me signed in"), "dvc_mngd" (the device is managed).',
  ],
  auth_time: ['Authenticated at', 'When you last entered credentials.'],
  onprem_sid: [
    'On-premises SID',
    'Your security identifier in on-premises Active Directory, for users synchronised from it.',
  ],
  pwd_exp: ['Password expires in', 'Seconds until your password expires.'],
  pwd_url: ['Password change URL', 'Where you can change your password.'],
  in_corp: ['Inside corporate network', 'True when you signed in from inside the corporate network.'],
  verified_primary_email: ['Verified primary email', 'Your primary email address, as verified by the tenant.'],
  verified_secondary_email: ['Verified secondary email', 'Other verified email addresses.'],
  cc: ['Client capabilities data', "Opaque data about the client's capabilities. Ignore it."],
  cnf: ['Confirmation key', 'Binds the token to a key the client holds (proof-of-possession tokens).'],
  deviceid: ['Device ID', 'The device object ID of the device you signed in from, if it is registered.'],
  xms_cc: [
    'Client capabilities',
    'Capabilities the app declared, e.g. "cp1": it can handle claims challenges (Continuous Access Evaluation).',
  ],
  xms_pdl: ['Preferred data location', 'The geography where your data is kept, for multi-geo tenants.'],
  xms_pl: ['Preferred language', 'Your preferred language.'],
  xms_tpl: ['Tenant preferred language', "The tenant's preferred language."],
  xms_tdbr: ['Tenant data boundary region', 'The data boundary region of your home tenant, e.g. "EU".'],
  xms_ftd: ['Internal data (xms_ftd)', 'Opaque data Entra ID uses internally. Ignore it.'],
  xms_idrel: ['Identity relation', 'How your identity relates to this tenant (member or guest, internal).'],
  xms_st: ['Subject type (internal)', 'Opaque data about the subject. Ignore it.'],
  xms_mirid: ['Managed identity resource ID', 'The Azure resource ID of the managed identity that got the token.'],
};

const HEADER_PARAMETERS: Readonly<Record<string, Entry>> = {
  typ: ['Type', 'What kind of token this is; "JWT" for Entra ID tokens.'],
  alg: [
    'Algorithm',
    'How the token is signed; Entra ID signs with "RS256" (RSA with SHA-256) using a key it publishes.',
  ],
  kid: [
    'Key ID',
    "Which of the issuer's published keys signed the token; used to pick the key when checking the signature.",
  ],
  x5t: [
    'Certificate thumbprint',
    'The SHA-1 thumbprint of the signing certificate; Entra ID sets it to the same value as kid.',
  ],
  nonce: [
    'Header nonce',
    'Present only in Microsoft Graph tokens, which are hashed before signing: only Microsoft Graph can verify them.',
  ],
  cty: ['Content type', 'The type of a nested token, if any.'],
  enc: ['Encryption', 'The content encryption of an encrypted token (JWE).'],
};

/**
 * Plain-language description of a payload claim; `xms_*` claims Microsoft has not documented get
 * a generic one, and unknown claims say so.
 */
export function describeClaim(name: string): ClaimDescription {
  const entry = Object.hasOwn(CLAIMS, name) ? CLAIMS[name] : undefined;
  if (entry) return { title: entry[0], description: entry[1], known: true };
  if (name.startsWith('xms_')) {
    return {
      title: `Microsoft extension (${name})`,
      description:
        'An "xms_" claim: Microsoft-specific data, mostly internal or from an optional claim the app registration asked for.',
      known: true,
    };
  }
  return {
    title: name,
    description: 'Not a claim Entra ID is known to issue; it may come from a claims-mapping policy or another issuer.',
    known: false,
  };
}

/** Plain-language description of a JOSE header parameter. */
export function describeHeaderParameter(name: string): ClaimDescription {
  const entry = Object.hasOwn(HEADER_PARAMETERS, name) ? HEADER_PARAMETERS[name] : undefined;
  if (entry) return { title: entry[0], description: entry[1], known: true };
  return { title: name, description: 'A header parameter Entra ID does not normally set.', known: false };
}

/** The claims whose values are NumericDate seconds. */
export const TIME_CLAIMS: ReadonlySet<string> = new Set(['iat', 'nbf', 'exp', 'auth_time']);

const KNOWN_AUDIENCES: Readonly<Record<string, string>> = {
  [DATABRICKS_RESOURCE_APP_ID]: 'Azure Databricks',
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  'https://graph.microsoft.com': 'Microsoft Graph',
  '797f4846-ba00-4fd7-ba43-dac1f8f63013': 'Azure Resource Manager',
  'https://management.azure.com/': 'Azure Resource Manager',
  'https://management.core.windows.net/': 'Azure Resource Manager',
};

/** Names an audience: "Azure Databricks", "this app", a known Microsoft API, or undefined. */
export function nameAudience(aud: unknown, clientId: string | undefined): string | undefined {
  const values = Array.isArray(aud) ? aud : [aud];
  const names = values.map((value) => {
    if (typeof value !== 'string') return undefined;
    const lower = value.toLowerCase();
    if (clientId && (lower === clientId.toLowerCase() || lower === `api://${clientId.toLowerCase()}`))
      return 'this app';
    return KNOWN_AUDIENCES[lower] ?? KNOWN_AUDIENCES[value];
  });
  return names.every((name) => name !== undefined) && names.length > 0 ? names.join(', ') : undefined;
}

/** An issuer, read. */
export interface IssuerInfo {
  /** E.g. "Entra ID tenant a1bc… (v2.0 endpoint)". */
  label: string;
  /** The token format the issuer URL implies. */
  version: '1.0' | '2.0' | undefined;
  /** The tenant named in the issuer URL. */
  tenantId: string | undefined;
  host: string | undefined;
}

/**
 * Reads an Entra ID issuer URL: `https://{sts host}/{tid}/` (v1.0) or `https://{login host}/{tid}/v2.0`.
 * Other issuers get `version: undefined` and their URL as the label.
 */
export function describeIssuer(iss: unknown, configuredTenantId?: string): IssuerInfo {
  if (typeof iss !== 'string') return { label: 'no issuer', version: undefined, tenantId: undefined, host: undefined };
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return { label: iss, version: undefined, tenantId: undefined, host: undefined };
  }
  const match = /^\/([^/]+)\/(v2\.0)?$/.exec(url.pathname);
  const tenantId = match?.[1];
  if (url.protocol !== 'https:' || !match || !tenantId || !GUID_PATTERN.test(tenantId)) {
    return { label: iss, version: undefined, tenantId: undefined, host: url.host };
  }
  const version = match[2] ? '2.0' : '1.0';
  const yours = configuredTenantId?.toLowerCase() === tenantId.toLowerCase() ? ', the configured tenant' : '';
  const endpoint = version === '2.0' ? 'v2.0 issuer' : 'v1.0 issuer';
  return {
    label: `Entra ID tenant ${tenantId}${yours} (${endpoint}, ${url.host})`,
    version,
    tenantId: tenantId.toLowerCase(),
    host: url.host,
  };
}

const AMR: Readonly<Record<string, string>> = {
  pwd: 'password',
  mfa: 'multi-factor authentication',
  otp: 'one-time code',
  rsa: 'RSA key (e.g. Microsoft Authenticator)',
  fido: 'FIDO2 security key',
  wia: 'Windows integrated authentication',
  ngcmfa: 'Windows Hello / passkey with MFA',
  sms: 'text message',
  face: 'face recognition',
  fpt: 'fingerprint',
  pop: 'proof of possession',
  kba: 'knowledge-based authentication',
  hwk: 'hardware key',
  swk: 'software key',
  tel: 'phone call',
  wiaormfa: 'Windows integrated authentication or MFA',
};

/** A short reading of a specific claim value, where one helps (e.g. amr codes, appidacr). */
export function explainClaimValue(name: string, value: unknown, clientId?: string): string | undefined {
  if (name === 'aud') return nameAudience(value, clientId);
  if (name === 'amr' && Array.isArray(value)) {
    return value.map((method) => (typeof method === 'string' ? (AMR[method] ?? method) : String(method))).join(', ');
  }
  if ((name === 'appidacr' || name === 'azpacr') && typeof value === 'string') {
    return { '0': 'public client, no secret', '1': 'client secret', '2': 'certificate' }[value];
  }
  if (
    (name === 'appid' || name === 'azp') &&
    typeof value === 'string' &&
    clientId &&
    value.toLowerCase() === clientId.toLowerCase()
  ) {
    return 'this app';
  }
  if (name === 'scp' && typeof value === 'string') {
    return value.split(' ').includes('user_impersonation') ? 'may act as you' : undefined;
  }
  return undefined;
}
