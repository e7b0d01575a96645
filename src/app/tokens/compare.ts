import type { JWTPayload } from 'jose';
import { DATABRICKS_RESOURCE_APP_ID } from '../well-known.ts';
import { describeIssuer, nameAudience } from './claims.ts';
import { type DecodedToken, decodeToken, TokenDecodeError } from './decode.ts';
import { formatClaimValue, formatDuration } from './format.ts';

/** What a paste box holds: nothing, a decoded token, or why it is not one. */
export type PastedToken =
  | { kind: 'empty' }
  | { kind: 'decoded'; token: DecodedToken; strippedBearer: boolean }
  | { kind: 'error'; error: TokenDecodeError };

/**
 * Reads pasted text as a JWT. People often paste a whole Authorization header value, or the JSON
 * that `az account get-access-token` prints; the token is taken out of either.
 */
export function readPastedToken(text: string): PastedToken {
  let trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      const accessToken = (parsed as { accessToken?: unknown } | null)?.accessToken;
      if (typeof accessToken === 'string') trimmed = accessToken.trim();
    } catch {
      // Not JSON after all: decodeToken explains what it is.
    }
  }
  const bearer = /^(?:authorization:\s*)?bearer\s+(\S+)$/i.exec(trimmed);
  try {
    return { kind: 'decoded', token: decodeToken(bearer?.[1] ?? trimmed), strippedBearer: bearer !== null };
  } catch (error) {
    if (error instanceof TokenDecodeError) return { kind: 'error', error };
    throw error;
  }
}

/** How much a claim's difference means to Azure Databricks. */
export type Significance = 'matters' | 'identity' | 'info' | 'noise';

export interface ClaimComparison {
  name: string;
  first: unknown;
  second: unknown;
  same: boolean;
  significance: Significance;
  /** Why this claim matters (or not) to Azure Databricks, when it differs. */
  why?: string;
  /** This difference is one of the findings: Azure Databricks acts on it now. */
  matters: boolean;
}

export interface Finding {
  claim: string;
  /** One sentence a presenter can read out. */
  text: string;
}

export interface TokenComparison {
  rows: ClaimComparison[];
  /** Differences Azure Databricks acts on, most important first. */
  findings: Finding[];
  /** Per token: what would make Azure Databricks refuse it, now. */
  problems: { first: string[]; second: string[] };
}

export interface CompareContext {
  /** Now, in seconds since 1970 (frozen in tests). */
  nowSeconds: number;
  clientId?: string | undefined;
  tenantId?: string | undefined;
}

const SIGNIFICANCE: Readonly<Record<string, Significance>> = {
  aud: 'matters',
  iss: 'matters',
  tid: 'matters',
  exp: 'matters',
  nbf: 'matters',
  scp: 'matters',
  roles: 'matters',
  idtyp: 'matters',
  ver: 'matters',
  oid: 'identity',
  sub: 'identity',
  upn: 'identity',
  unique_name: 'identity',
  preferred_username: 'identity',
  email: 'identity',
  name: 'identity',
  appid: 'info',
  azp: 'info',
  amr: 'info',
  acr: 'info',
  acrs: 'info',
  appidacr: 'info',
  azpacr: 'info',
  wids: 'info',
  groups: 'info',
  ipaddr: 'info',
  iat: 'noise',
  auth_time: 'noise',
  uti: 'noise',
  aio: 'noise',
  rh: 'noise',
  sid: 'noise',
  nonce: 'noise',
  xms_tcdt: 'noise',
  xms_ftd: 'noise',
};

const ORDER: Significance[] = ['matters', 'identity', 'info', 'noise'];

const WHY: Readonly<Record<string, string>> = {
  aud: `Azure Databricks accepts only tokens whose audience is its resource ID ${DATABRICKS_RESOURCE_APP_ID}; any other audience is refused.`,
  iss: "Azure Databricks checks that the issuer is the workspace's own tenant, in the v1 form https://sts.windows.net/<tenant>/.",
  tid: "A token from another tenant is refused unless the person is a guest in the workspace's tenant and signed in there.",
  exp: 'An expired token is refused (HTTP 401 or 403); tokens with less than about 30 s left have been refused too.',
  nbf: 'A token is refused before its not-before time.',
  scp: 'A token for a person must carry the delegated scope user_impersonation of Azure Databricks.',
  roles: 'App roles mark an application (service principal) token; the workspace must know that service principal.',
  idtyp: 'idtyp=app marks a token for an application, not a person: the workspace looks up a service principal.',
  ver: 'Azure Databricks validates v1.0 access tokens, which Entra ID issues for its resource.',
  oid: 'A different object ID is a different person or app: the workspace answers with their permissions.',
  sub: 'A different subject is a different person or app.',
  upn: 'The workspace finds the user by this name (UPN or e-mail): a different name is a different workspace user.',
  unique_name: 'The workspace finds the user by UPN or e-mail: a different name is a different workspace user.',
  preferred_username: 'A different user name is a different person.',
  email: 'The workspace may find the user by e-mail.',
  name: 'Display name only; the workspace does not use it.',
  appid: 'Which client asked for the token. Azure Databricks accepts any client the tenant allows.',
  azp: 'Which client asked for the token. Azure Databricks accepts any client the tenant allows.',
  amr: 'How the person signed in (e.g. with MFA). Azure Databricks does not check it; Conditional Access in Entra ID decides before a token is issued.',
  acr: 'Authentication strength. Azure Databricks does not check it; Conditional Access does, in Entra ID.',
  acrs: 'Authentication context. Azure Databricks does not check it; Conditional Access does, in Entra ID.',
};

function isDatabricksAudience(aud: unknown): boolean {
  const values = Array.isArray(aud) ? aud : [aud];
  return values.some(
    (v) =>
      typeof v === 'string' &&
      (v.toLowerCase() === DATABRICKS_RESOURCE_APP_ID || v.toLowerCase() === `api://${DATABRICKS_RESOURCE_APP_ID}`),
  );
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function audienceWords(aud: unknown, clientId: string | undefined): string {
  if (aud === undefined) return 'no audience';
  return nameAudience(aud, clientId) ?? formatClaimValue(aud);
}

function scopes(payload: JWTPayload): string[] {
  return typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
}

function tenantOf(payload: JWTPayload): string | undefined {
  if (typeof payload.tid === 'string') return payload.tid.toLowerCase();
  return describeIssuer(payload.iss).tenantId;
}

/** What would make Azure Databricks refuse this token now; empty when nothing does. */
export function databricksProblems(payload: JWTPayload, context: CompareContext): string[] {
  const problems: string[] = [];
  if (!isDatabricksAudience(payload.aud))
    problems.push(`Its audience is ${audienceWords(payload.aud, context.clientId)}, not Azure Databricks.`);
  if (typeof payload.exp === 'number' && payload.exp <= context.nowSeconds)
    problems.push(`It expired ${formatDuration(context.nowSeconds - payload.exp)} ago.`);
  else if (typeof payload.exp === 'number' && payload.exp - context.nowSeconds < 30)
    problems.push('It expires in less than 30 s.');
  if (typeof payload.nbf === 'number' && payload.nbf > context.nowSeconds)
    problems.push(`It is not valid for another ${formatDuration(payload.nbf - context.nowSeconds)}.`);
  const tenant = tenantOf(payload);
  if (context.tenantId && tenant && tenant !== context.tenantId.toLowerCase())
    problems.push(`It was issued by tenant ${tenant}, not the configured tenant ${context.tenantId}.`);
  if (isDatabricksAudience(payload.aud) && payload.ver === '2.0')
    problems.push('It is a v2.0 token; Azure Databricks validates v1.0 tokens.');
  const isApp = payload.idtyp === 'app' || (payload.scp === undefined && Array.isArray(payload.roles));
  if (!isApp && isDatabricksAudience(payload.aud) && !scopes(payload).includes('user_impersonation'))
    problems.push('It lacks the user_impersonation scope that a token for a person needs.');
  return problems;
}

function expiryWords(exp: unknown, now: number): string {
  if (typeof exp !== 'number') return 'never (no exp)';
  return exp <= now ? `expired ${formatDuration(now - exp)} ago` : `expires in ${formatDuration(exp - now)}`;
}

function findingFor(name: string, a: JWTPayload, b: JWTPayload, context: CompareContext): Finding | undefined {
  const { clientId, nowSeconds: now } = context;
  switch (name) {
    case 'aud': {
      const first = audienceWords(a.aud, clientId);
      const second = audienceWords(b.aud, clientId);
      const accepted = [isDatabricksAudience(a.aud), isDatabricksAudience(b.aud)];
      const verdict =
        accepted[0] && accepted[1]
          ? 'Both are for Azure Databricks.'
          : accepted[0] || accepted[1]
            ? `Only the ${accepted[0] ? 'first' : 'second'} is for Azure Databricks; the workspace refuses the other.`
            : 'Neither is for Azure Databricks; the workspace refuses both.';
      return { claim: 'aud', text: `Audience: the first is for ${first}, the second for ${second}. ${verdict}` };
    }
    case 'tid':
    case 'iss': {
      const ta = tenantOf(a);
      const tb = tenantOf(b);
      if (name === 'tid' || ta === tb) {
        if (ta === tb)
          return { claim: 'iss', text: `Issuer: same tenant ${ta ?? '(none)'}, different issuer form. ${WHY.iss}` };
        return {
          claim: 'tid',
          text: `Tenant: the first is from ${ta ?? 'no tenant'}, the second from ${tb ?? 'no tenant'}. Azure Databricks accepts tokens from the workspace's tenant only.`,
        };
      }
      return undefined; // reported once, under tid
    }
    case 'exp': {
      const okA = typeof a.exp !== 'number' || a.exp - now >= 30;
      const okB = typeof b.exp !== 'number' || b.exp - now >= 30;
      if (okA && okB) return undefined; // both still valid: a different expiry does not matter now
      return {
        claim: 'exp',
        text: `Expiry: the first ${expiryWords(a.exp, now)}, the second ${expiryWords(b.exp, now)}. ${WHY.exp}`,
      };
    }
    case 'scp': {
      const sa = scopes(a);
      const sb = scopes(b);
      const onlyA = sa.filter((s) => !sb.includes(s));
      const onlyB = sb.filter((s) => !sa.includes(s));
      const parts = [
        onlyA.length ? `only the first has ${onlyA.join(', ')}` : '',
        onlyB.length ? `only the second has ${onlyB.join(', ')}` : '',
      ].filter(Boolean);
      return { claim: 'scp', text: `Scopes: ${parts.join('; ') || 'different order'}. ${WHY.scp}` };
    }
    case 'nbf': {
      if ((typeof a.nbf !== 'number' || a.nbf <= now) && (typeof b.nbf !== 'number' || b.nbf <= now)) return undefined;
      return { claim: 'nbf', text: `Not before: ${WHY.nbf}` };
    }
    default: {
      const why = WHY[name];
      return {
        claim: name,
        text: `${name}: ${formatClaimValue(a[name] ?? '(none)')} → ${formatClaimValue(b[name] ?? '(none)')}.${why ? ` ${why}` : ''}`,
      };
    }
  }
}

/**
 * Compares two tokens claim by claim and says which differences Azure Databricks acts on:
 * audience, issuer tenant, expiry, scopes, token version, app-only tokens, and who the token is for.
 * Differences that every new token has (iat, uti, aio…) are marked as noise.
 * @see https://learn.microsoft.com/azure/databricks/dev-tools/auth/user-aad-token
 */
export function compareTokens(first: DecodedToken, second: DecodedToken, context: CompareContext): TokenComparison {
  const a = first.payload;
  const b = second.payload;
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const rows: ClaimComparison[] = names.map((name) => {
    const same = equal(a[name], b[name]);
    const significance = SIGNIFICANCE[name] ?? (name.startsWith('xms_') ? 'noise' : 'info');
    return {
      name,
      first: a[name],
      second: b[name],
      same,
      significance,
      ...(!same && WHY[name] ? { why: WHY[name] } : {}),
      matters: false,
    };
  });
  rows.sort((x, y) => Number(x.same) - Number(y.same) || ORDER.indexOf(x.significance) - ORDER.indexOf(y.significance));

  const findings: Finding[] = [];
  for (const row of rows) {
    if (row.same || (row.significance !== 'matters' && row.significance !== 'identity')) continue;
    if (row.significance === 'identity' && findings.some((f) => f.claim === 'who')) continue;
    if (row.significance === 'identity') {
      const who = (p: JWTPayload) =>
        formatClaimValue(p.upn ?? p.unique_name ?? p.preferred_username ?? p.email ?? p.oid ?? p.sub ?? '(unknown)');
      if (who(a) === who(b) && row.name !== 'oid' && row.name !== 'sub') continue;
      findings.push({
        claim: 'who',
        text:
          who(a) === who(b)
            ? // Same user name, another object ID: a guest account in another tenant, or another account.
              `Person: both name ${who(a)}, but as different accounts (${row.name} ${formatClaimValue(a[row.name] ?? '(none)')} and ${formatClaimValue(b[row.name] ?? '(none)')}), for example the same person as a guest in another tenant.`
            : `Person: the first is for ${who(a)}, the second for ${who(b)}. The workspace answers each with that user's permissions.`,
      });
      continue;
    }
    const finding = findingFor(row.name, a, b, context);
    if (finding && !findings.some((f) => f.claim === finding.claim)) findings.push(finding);
  }
  const claims = new Set(findings.map((f) => f.claim));
  for (const row of rows) {
    if (row.same) continue;
    row.matters =
      claims.has(row.name) ||
      ((row.name === 'iss' || row.name === 'tid') && (claims.has('iss') || claims.has('tid'))) ||
      (row.significance === 'identity' && row.name !== 'name' && claims.has('who'));
  }
  return {
    rows,
    findings,
    problems: { first: databricksProblems(a, context), second: databricksProblems(b, context) },
  };
}
