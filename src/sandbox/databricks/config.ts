import { z } from 'zod';
import { TOKEN_REJECTION_REASONS } from './auth.ts';

/**
 * The `workspace` section of the sandbox configuration file: who is in the sandbox Databricks
 * workspace, which clusters it holds, and which faults it injects.
 *
 * Every key has a default, so `"workspace": {}` (or leaving the section out) gives the demo
 * workspace described in the README. Helper A's loader embeds this schema in the whole file's.
 *
 * @see https://learn.microsoft.com/azure/databricks/dev-tools/auth/user-aad-token
 */

const upn = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'expected a UPN such as ana@contoso.example' }));

/** A probability in [0, 1] or a count of requests; neither means every matching request. */
const faultTrigger = {
  /** Affect the next `count` matching requests, then stop. */
  count: z.number().int().positive().optional(),
  /** Affect each matching request with this probability (0–1). */
  probability: z.number().min(0).max(1).optional(),
  /** Only requests whose path starts with one of these (default: every `/api/` path). */
  paths: z.array(z.string().startsWith('/')).optional(),
};

/** Fault shapes; the same shapes are accepted at runtime by `PUT /_sandbox/faults`. */
export const workspaceFaultsSchema = z.strictObject({
  /** Delay the answer by `ms` milliseconds. */
  latency: z.strictObject({ ms: z.number().int().min(0).max(120_000), ...faultTrigger }).optional(),
  /** 429 `REQUEST_LIMIT_EXCEEDED` with `Retry-After: retryAfterSeconds`. */
  rateLimited: z
    .strictObject({ retryAfterSeconds: z.number().int().min(0).max(3600).default(1), ...faultTrigger })
    .optional(),
  /** 500 `INTERNAL_ERROR` or 503 `TEMPORARILY_UNAVAILABLE`. */
  unavailable: z
    .strictObject({ status: z.union([z.literal(500), z.literal(503)]).default(503), ...faultTrigger })
    .optional(),
  /** Destroy the TCP connection without an answer. */
  dropConnection: z.strictObject({ ...faultTrigger }).optional(),
  /** 401 "Token is expired", whatever the token's `exp` says. */
  tokenExpired: z.strictObject({ ...faultTrigger }).optional(),
  /**
   * 401 with the message of one of the service's token rejections (`expired`, `expiring`,
   * `not-yet-valid`, `invalid`, `no-credential`), whatever the token is.
   */
  tokenRejected: z.strictObject({ reason: z.enum(TOKEN_REJECTION_REASONS), ...faultTrigger }).optional(),
});
export type WorkspaceFaults = z.infer<typeof workspaceFaultsSchema>;

/**
 * Per-token rate limit, a token bucket: `requestsPerSecond` sustained, bursts up to `burst`.
 * Databricks publishes no figure for the Clusters API; 30/s with a burst of 60 is our choice
 * (third-party roundups quote ~30 req/s as a general default). `false` turns it off.
 */
export const rateLimitSchema = z.union([
  z.literal(false),
  z.strictObject({
    requestsPerSecond: z.number().positive().max(100_000),
    burst: z.number().int().positive().max(1_000_000),
  }),
]);
export type RateLimit = z.infer<typeof rateLimitSchema>;

export const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerSecond: 30, burst: 60 };

/** The cluster set: the built-in story (about a dozen clusters) or N generated from a seed. */
export const clusterSetSchema = z.union([
  z.literal('builtin'),
  z.strictObject({
    generate: z.strictObject({
      count: z.number().int().min(0).max(1_000_000),
      seed: z.number().int().default(1),
    }),
  }),
]);
export type ClusterSet = z.infer<typeof clusterSetSchema>;

export const workspaceMemberSchema = z.strictObject({
  upn,
  /** Member of the workspace `admins` group: sees and manages every cluster. */
  admin: z.boolean().default(false),
  /** Workspace groups besides `users` (and `admins` for admins). */
  groups: z.array(z.string().min(1)).default([]),
  /** SCIM entitlements, e.g. `workspace-access`, `databricks-sql-access`, `allow-cluster-create`. */
  entitlements: z.array(z.string().min(1)).default(['workspace-access', 'databricks-sql-access']),
});
export type WorkspaceMember = z.infer<typeof workspaceMemberSchema>;

export const workspaceConfigSchema = z.strictObject({
  /** The workspace id: the digits in `adb-<id>.<n>.azuredatabricks.net`. */
  workspaceId: z
    .string()
    .regex(/^[0-9]{1,20}$/, 'expected the digits of a workspace id')
    .default('5555555555555555'),
  /** The host this workspace pretends to be (shown in SCIM `$ref`s and logs only). */
  hostLabel: z.string().min(1).default('adb-5555555555555555.19.azuredatabricks.net'),
  /** The Entra tenant whose v1 tokens (`iss` https://sts.windows.net/{tenantId}/) it accepts. */
  tenantId: z.guid().default('a1bc2d34-5e67-8f89-01ab-c2345d6c78de'),
  /** The workspace's Azure resource ID, compared (case-insensitively) with X-Databricks-Azure-Workspace-Resource-Id. */
  azureResourceId: z
    .string()
    .regex(
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Databricks\/workspaces\/[^/]+$/i,
      'expected /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>',
    )
    .default(
      '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourceGroups/explorer-sandbox/providers/Microsoft.Databricks/workspaces/sandbox-workspace',
    ),
  /** Workspace users, by UPN. Anyone else with a valid token gets 403. */
  members: z.array(workspaceMemberSchema).default([]),
  /** UPNs holding Contributor or Owner on the workspace resource (admin via the resource-ID header). */
  resourceRoles: z.array(z.strictObject({ upn, role: z.enum(['Contributor', 'Owner']) })).default([]),
  /**
   * Which clusters each non-admin may see, by cluster ID or cluster name, or `"*"` for all.
   * Creators always see their own clusters; admins see everything.
   */
  clusterPermissions: z.record(upn, z.union([z.literal('*'), z.array(z.string().min(1))])).default({}),
  clusters: clusterSetSchema.default('builtin'),
  faults: workspaceFaultsSchema.default({}),
  rateLimit: rateLimitSchema.default(DEFAULT_RATE_LIMIT),
});

/** The checked `workspace` section. */
export type WorkspaceConfig = z.infer<typeof workspaceConfigSchema>;
/** The section as written in the file (every key optional). */
export type WorkspaceConfigInput = z.input<typeof workspaceConfigSchema>;

/** The demo workspace: the shared decisions' users, roles and the built-in clusters. */
export const DEFAULT_WORKSPACE_CONFIG: WorkspaceConfig = workspaceConfigSchema.parse({
  members: [
    { upn: 'ana@contoso.example', groups: ['data-analysts'] },
    {
      upn: 'ben@contoso.example',
      admin: true,
      groups: ['platform-team'],
      entitlements: ['workspace-access', 'databricks-sql-access', 'allow-cluster-create'],
    },
    { upn: 'dana@contoso.example', groups: ['data-analysts'] },
    { upn: 'eve@contoso.example', groups: ['security'], entitlements: ['workspace-access', 'allow-cluster-create'] },
  ],
  resourceRoles: [
    { upn: 'ben@contoso.example', role: 'Owner' },
    { upn: 'fay@contoso.example', role: 'Contributor' },
  ],
  clusterPermissions: {
    'ana@contoso.example': ['shared-analytics', 'bi-dashboards', '1104-020013-sq1warh0'],
    'dana@contoso.example': ['shared-analytics'],
    'eve@contoso.example': ['security-audit'],
  },
});
