import type { SandboxConfig } from '../config-schema.ts';
import type { RunningWorkspace } from '../databricks/index.ts';
import type { RunningEntra } from '../entra/index.ts';

/** Error codes of the console's API; each answer names what was refused and what to send instead. */
export type ConsoleErrorCode =
  | 'CONSOLE_UNKNOWN_SCENARIO'
  | 'CONSOLE_UNKNOWN_USER'
  | 'CONSOLE_BAD_REQUEST'
  | 'CONSOLE_UNAVAILABLE'
  | 'CONSOLE_REFUSED'
  | 'CONSOLE_NOT_FOUND';

export class ConsoleError extends Error {
  readonly code: ConsoleErrorCode;
  readonly status: number;
  /** Headers for the answer, e.g. `Allow` with a 405. */
  readonly headers: Record<string, string>;

  constructor(code: ConsoleErrorCode, status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
    this.status = status;
    this.headers = headers;
  }
}

/** What the console needs of the running sandbox: both servers, in-process. */
export interface ConsoleTargets {
  entra: Pick<RunningEntra, 'url' | 'faults' | 'setFaults' | 'resetRequests' | 'inspect' | 'onRequest'>;
  workspace: Pick<RunningWorkspace, 'url' | 'controls'>;
  config: SandboxConfig;
  tenantId: string;
  clientId: string;
}

/** A scenario as the console page shows it. */
export interface ScenarioView {
  id: ScenarioId;
  title: string;
  /** One line: what the audience will see in the app. */
  effect: string;
  /** `toggle`: switched on and off; `action`: done once (reset). */
  kind: 'toggle' | 'action';
  on: boolean;
  /** Whether the scenario applies to one user, picked in the console. */
  perUser: boolean;
  /** The user it applies to (while on), or the one proposed. */
  user?: string;
  /** Extra state worth showing, e.g. a cluster's state. */
  status?: string;
}

export const SCENARIO_IDS = [
  'short-lived-tokens',
  'revoke-sessions',
  'require-mfa',
  'withdraw-consent',
  'slow-workspace',
  'rate-limited',
  'outage-503',
  'outage-500',
  'dropped-connections',
  'many-clusters',
  'cluster-lifecycle',
  'reset',
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Access tokens live 4 minutes: inside MSAL's 5-minute renewal margin, so every call renews. */
export const SHORT_TOKEN_SECONDS = 240;
export const SLOW_WORKSPACE_MS = 3_000;
export const RETRY_AFTER_SECONDS = 5;
export const MANY_CLUSTERS = 10_000;
/** The cluster the start/stop scenario drives in the built-in set (Ana's, terminated for inactivity). */
export const LIFECYCLE_CLUSTER = 'ana-scratch';
const DEFAULT_USER = 'ana@contoso.example';

/**
 * The presenter's scenarios, each built on the sandbox's control operations: Entra faults
 * (`PUT /_sandbox/faults` on the identity provider) and the workspace's faults, cluster set,
 * cluster actions and reset. Entra faults are merged, so scenarios combine.
 */
export class Scenarios {
  readonly #targets: ConsoleTargets;
  /** State that the faults do not show: revocations done, the big cluster set, the cluster started. */
  #revokedUser: string | undefined;
  #revokedAt: string | undefined;
  #manyClusters = false;
  #lifecycleCluster: string | undefined;

  constructor(targets: ConsoleTargets) {
    this.#targets = targets;
  }

  list(): ScenarioView[] {
    const entra = this.#targets.entra.faults();
    const ws = this.#targets.workspace.controls.faults();
    const user = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
    const nameOf = (upn: string | undefined) =>
      this.#targets.config.users.find((candidate) => candidate.upn === upn)?.name ?? upn ?? 'the user';
    const mfaUser = user(entra.requireMfaFor);
    const consentUser = user(entra.withdrawConsentFor);
    const lifecycle =
      this.#lifecycleCluster ?? this.#targets.workspace.controls.findCluster(LIFECYCLE_CLUSTER)?.cluster_id;
    const cluster = lifecycle === undefined ? undefined : this.#targets.workspace.controls.findCluster(lifecycle);
    const clusterName = cluster?.cluster_name ?? LIFECYCLE_CLUSTER;
    return [
      {
        id: 'short-lived-tokens',
        title: 'Short-lived access tokens',
        effect: `Tokens issued from now on expire in 4 minutes: after the next sign-in the Tokens tab counts down from 4:00 and, as MSAL renews 5 minutes early, every Refresh gets a new token silently (Timeline: refresh token).`,
        kind: 'toggle',
        on: entra.accessTokenLifetimeSeconds === SHORT_TOKEN_SECONDS,
        perUser: false,
      },
      {
        id: 'revoke-sessions',
        title: "Revoke a user's sessions",
        effect: `${nameOf(this.#revokedUser ?? DEFAULT_USER)}'s sign-in sessions and refresh tokens end now: the next token renewal fails (AADSTS50173) and the app sends them to the sign-in page. Tokens already issued stay valid until they expire; with short-lived tokens on, the next Refresh shows it.`,
        kind: 'toggle',
        on: this.#revokedUser !== undefined,
        perUser: true,
        user: this.#revokedUser ?? DEFAULT_USER,
        ...(this.#revokedAt ? { status: `Revoked at ${this.#revokedAt.slice(11, 19)} UTC` } : {}),
      },
      {
        id: 'require-mfa',
        title: 'A user who needs MFA',
        effect: `${nameOf(mfaUser ?? DEFAULT_USER)} must pass MFA, as a Conditional Access policy asks: the next token renewal fails (AADSTS50076) and the app sends them through the verification step (code ${this.#targets.config.signIn.mfaCode}).`,
        kind: 'toggle',
        on: mfaUser !== undefined,
        perUser: true,
        user: mfaUser ?? DEFAULT_USER,
      },
      {
        id: 'withdraw-consent',
        title: 'Consent withdrawn',
        effect: `${nameOf(consentUser ?? DEFAULT_USER)}'s consent to Azure Databricks is withdrawn: the next token renewal fails (AADSTS65001) and the app shows the consent page; accepting it consents again.`,
        kind: 'toggle',
        on: consentUser !== undefined,
        perUser: true,
        user: consentUser ?? DEFAULT_USER,
      },
      {
        id: 'slow-workspace',
        title: 'Slow workspace',
        effect: `Every workspace call takes ${SLOW_WORKSPACE_MS / 1000} s longer: the Clusters tab shows its progress and the Timeline shows the slow calls.`,
        kind: 'toggle',
        on: ws.latency !== undefined,
        perUser: false,
      },
      {
        id: 'rate-limited',
        title: 'Rate limited (429, Retry-After)',
        effect: `Every workspace call answers 429 with Retry-After: ${RETRY_AFTER_SECONDS}: the app says "retrying in ${RETRY_AFTER_SECONDS} s" and explains after 3 retries; switch off while it waits and the next try loads.`,
        kind: 'toggle',
        on: ws.rateLimited !== undefined,
        perUser: false,
      },
      {
        id: 'outage-503',
        title: 'Workspace outage (503)',
        effect:
          'Every workspace call answers 503: the app retries, then explains that the workspace is unavailable; Try again loads once this is off.',
        kind: 'toggle',
        on: ws.unavailable?.status === 503,
        perUser: false,
      },
      {
        id: 'outage-500',
        title: 'Workspace error (500)',
        effect:
          'Every workspace call answers 500: the app explains "The workspace had a problem" at once, without retrying; Try again loads once this is off.',
        kind: 'toggle',
        on: ws.unavailable?.status === 500,
        perUser: false,
      },
      {
        id: 'dropped-connections',
        title: 'Dropped connections',
        effect:
          'The workspace closes every connection without answering: the app explains that the connection dropped; Try again loads once this is off.',
        kind: 'toggle',
        on: ws.dropConnection !== undefined,
        perUser: false,
      },
      {
        id: 'many-clusters',
        title: '10,000 clusters',
        effect:
          'The workspace holds 10,000 generated clusters: after Refresh the list fills 100 per page (Ben, an admin, sees them all; others see theirs and those shared with them).',
        kind: 'toggle',
        on: this.#manyClusters,
        perUser: false,
      },
      {
        id: 'cluster-lifecycle',
        title: 'A cluster starting and stopping',
        effect: `${clusterName} starts: Pending, then Running 12 s later (Refresh the Clusters tab, or skip ahead). Switching off terminates it: Terminating, then Terminated 5 s later.`,
        kind: 'toggle',
        on: this.#lifecycleCluster !== undefined,
        perUser: false,
        ...(cluster ? { status: `${cluster.cluster_name}: ${cluster.state}` } : { status: 'No cluster to start' }),
      },
      {
        id: 'reset',
        title: 'Reset everything',
        effect:
          'Every scenario off; the workspace back to its configuration (clusters, clock, admins added through the resource ID); the request logs and this live log cleared. Sign-in sessions stay.',
        kind: 'action',
        on: false,
        perUser: false,
      },
    ];
  }

  /**
   * Switches a scenario on or off (for `reset`, `on` must be true).
   * @throws {ConsoleError} CONSOLE_UNKNOWN_SCENARIO, CONSOLE_UNKNOWN_USER, CONSOLE_UNAVAILABLE.
   */
  async set(id: string, on: boolean, upn?: string): Promise<void> {
    if (!(SCENARIO_IDS as readonly string[]).includes(id)) {
      throw new ConsoleError(
        'CONSOLE_UNKNOWN_SCENARIO',
        404,
        `There is no scenario '${id.slice(0, 60)}'. Known: ${SCENARIO_IDS.join(', ')}.`,
      );
    }
    const ws = this.#targets.workspace.controls;
    switch (id as ScenarioId) {
      case 'short-lived-tokens':
        return this.#entra((faults) => {
          if (on) faults.accessTokenLifetimeSeconds = SHORT_TOKEN_SECONDS;
          else delete faults.accessTokenLifetimeSeconds;
        });
      case 'revoke-sessions': {
        if (!on) {
          this.#revokedUser = undefined;
          this.#revokedAt = undefined;
          return;
        }
        const user = this.#user(upn);
        // Revocation happens when the fault is set; it is taken out again at once, so that
        // setting other faults later does not revoke the sessions signed in since.
        this.#entra((faults) => {
          faults.revokeRefreshTokensFor = user;
        });
        this.#entra(() => {});
        this.#revokedUser = user;
        this.#revokedAt = new Date().toISOString();
        return;
      }
      case 'require-mfa': {
        const user = on ? this.#user(upn) : undefined;
        return this.#entra((faults) => {
          if (user) faults.requireMfaFor = user;
          else delete faults.requireMfaFor;
        });
      }
      case 'withdraw-consent': {
        const user = on ? this.#user(upn) : undefined;
        return this.#entra((faults) => {
          if (user) faults.withdrawConsentFor = user;
          else delete faults.withdrawConsentFor;
        });
      }
      case 'slow-workspace':
        return this.#workspace((faults) => {
          if (on) faults.latency = { ms: SLOW_WORKSPACE_MS };
          else delete faults.latency;
        });
      case 'rate-limited':
        return this.#workspace((faults) => {
          if (on) faults.rateLimited = { retryAfterSeconds: RETRY_AFTER_SECONDS };
          else delete faults.rateLimited;
        });
      case 'outage-503':
      case 'outage-500': {
        const status = id === 'outage-503' ? 503 : 500;
        return this.#workspace((faults) => {
          if (on) faults.unavailable = { status };
          else if (faults.unavailable?.status === status) delete faults.unavailable;
        });
      }
      case 'dropped-connections':
        return this.#workspace((faults) => {
          if (on) faults.dropConnection = {};
          else delete faults.dropConnection;
        });
      case 'many-clusters':
        ws.setClusters(on ? { generate: { count: MANY_CLUSTERS, seed: 1 } } : this.#targets.config.workspace.clusters);
        this.#manyClusters = on;
        // A new cluster set forgets every transition.
        this.#lifecycleCluster = undefined;
        return;
      case 'cluster-lifecycle':
        return this.#lifecycle(on);
      case 'reset':
        if (!on) throw new ConsoleError('CONSOLE_BAD_REQUEST', 400, 'Reset cannot be switched off; send {"on": true}.');
        return this.reset();
    }
  }

  /** Every scenario off, the workspace back to its configuration, both request logs cleared. */
  reset(): void {
    this.#targets.entra.setFaults({});
    this.#targets.entra.resetRequests();
    this.#targets.workspace.controls.reset();
    this.#revokedUser = undefined;
    this.#revokedAt = undefined;
    this.#manyClusters = false;
    this.#lifecycleCluster = undefined;
  }

  async #lifecycle(on: boolean): Promise<void> {
    const ws = this.#targets.workspace.controls;
    if (on) {
      const cluster = ws.findCluster(LIFECYCLE_CLUSTER);
      if (cluster === undefined) {
        throw new ConsoleError(
          'CONSOLE_UNAVAILABLE',
          409,
          `The workspace has no cluster named ${LIFECYCLE_CLUSTER} (is the 10,000-cluster set on?). Switch that off, or reset, and try again.`,
        );
      }
      if (cluster.state === 'TERMINATED') await ws.clusterAction(cluster.cluster_id, 'start');
      this.#lifecycleCluster = cluster.cluster_id;
      return;
    }
    const id = this.#lifecycleCluster;
    this.#lifecycleCluster = undefined;
    if (id === undefined) return;
    const cluster = ws.findCluster(id);
    if (cluster !== undefined && cluster.state !== 'TERMINATED' && cluster.state !== 'TERMINATING')
      await ws.clusterAction(id, 'terminate');
  }

  #user(upn: string | undefined): string {
    const wanted = (upn ?? DEFAULT_USER).trim().toLowerCase();
    const user = this.#targets.config.users.find((candidate) => candidate.upn === wanted);
    if (user === undefined) {
      throw new ConsoleError(
        'CONSOLE_UNKNOWN_USER',
        400,
        `There is no user '${wanted.slice(0, 100)}' in the sandbox directory. Pick one of: ${this.#targets.config.users.map((candidate) => candidate.upn).join(', ')}.`,
      );
    }
    return user.upn;
  }

  #entra(change: (faults: ReturnType<ConsoleTargets['entra']['faults']>) => void): void {
    const faults = this.#targets.entra.faults();
    delete faults.revokeRefreshTokensFor;
    change(faults);
    this.#targets.entra.setFaults(faults);
  }

  #workspace(change: (faults: ReturnType<ConsoleTargets['workspace']['controls']['faults']>) => void): void {
    const faults = this.#targets.workspace.controls.faults();
    change(faults);
    this.#targets.workspace.controls.setFaults(faults);
  }
}
