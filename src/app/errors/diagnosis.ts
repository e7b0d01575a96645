/** The error doctor's vocabulary: what an explanation holds and what the panel may offer. */

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

/** One row of an explanation table: the parts of a {@link Diagnosis} that depend on the failure. */
export type Explanation = Omit<Diagnosis, 'id' | 'actionLabel' | 'facts'>;

export const ACTION_LABELS: Record<DoctorAction, string> = {
  'sign-in': 'Sign in again',
  retry: 'Try again',
  settings: 'Open settings',
  'switch-account': 'Use another account',
  reload: 'Reload the page',
};
