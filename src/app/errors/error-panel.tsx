import { Component, type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { loadOnce } from '../load-once.ts';
import { ACTION_LABELS, type Diagnosis, type DoctorAction, type DoctorContext } from './diagnosis.ts';

/** What the error panel's one button can do, provided once near the top of the app. */
export interface DoctorActions {
  context: DoctorContext;
  signIn?: () => void;
  switchAccount?: () => void;
  openSettings?: () => void;
  reload?: () => void;
}

export const DoctorActionsContext = createContext<DoctorActions>({
  context: { origin: globalThis.location?.origin ?? '' },
});

type Doctor = typeof import('./doctor.ts');
const doctorCode = loadOnce<Doctor>(() => import('./doctor.ts'));

/**
 * The error doctor (its tables of explanations are the largest part of the app's own code) is not
 * on the path to the clusters: it loads when a panel first needs it, or when the app preloads it
 * once the first clusters are shown (so a later failure, even offline, is explained at once).
 */
export const errorDoctor = {
  preload: (): Promise<Doctor> => doctorCode.load(),
};

/** When the doctor cannot load (the connection is gone): the panel still says what to do. */
const WITHOUT_DOCTOR: Diagnosis = {
  id: 'DOCTOR_UNAVAILABLE',
  title: 'Something went wrong',
  whatHappened: 'Something failed, and the explanation of it could not be loaded either.',
  likelyCause: 'The connection to the app’s server was lost.',
  fix: 'Check your connection, then reload the page.',
  action: 'reload',
  actionLabel: ACTION_LABELS.reload,
  facts: [],
};

/**
 * Failures that trying again cannot fix by itself: the person lacks access. The panel leads with
 * another account and keeps "Try again" second (for after an admin has added them).
 */
const NEEDS_ACCESS = new Set(['API_403']);

/**
 * Explains a failure in a `role="alert"` region: what happened, the likely cause, the fix and
 * one main action. `onRetry` serves the "Try again" action; the rest come from {@link DoctorActionsContext}.
 */
export function ErrorPanel({
  error,
  onRetry,
  compact,
}: {
  error: unknown;
  onRetry?: (() => void) | undefined;
  compact?: boolean;
}) {
  const actions = useContext(DoctorActionsContext);
  const doctor = doctorCode.current();
  const [, setLoaded] = useState(doctor);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (doctorCode.current()) return;
    let live = true;
    errorDoctor.preload().then(
      (m) => live && setLoaded(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  const cls = compact ? 'error-panel compact' : 'error-panel';
  if (!doctor && !failed)
    return (
      // A status, not yet the alert: the alert comes once, with the explanation.
      <section class={cls} aria-labelledby="error-loading">
        <h2 id="error-loading">Something went wrong</h2>
        <p role="status">Loading the explanation…</p>
      </section>
    );
  const d = doctor ? doctor.diagnose(error, actions.context) : WITHOUT_DOCTOR;
  const handlers: Record<DoctorAction, (() => void) | undefined> = {
    'sign-in': actions.signIn,
    retry: onRetry,
    settings: actions.openSettings,
    'switch-account': actions.switchAccount,
    reload: actions.reload ?? (() => location.reload()),
  };
  let main: { label: string; run: () => void } | undefined;
  let second: { label: string; run: () => void } | undefined;
  const own = handlers[d.action];
  if (NEEDS_ACCESS.has(d.id) && d.action === 'retry' && actions.switchAccount) {
    main = { label: 'Use another account', run: actions.switchAccount };
    if (own) second = { label: d.actionLabel, run: own };
  } else if (own) main = { label: d.actionLabel, run: own };
  // Without a retry of its own, trying again means reloading the page.
  else if (d.action === 'retry' && handlers.reload) main = { label: 'Reload the page', run: handlers.reload };
  return (
    <section class={cls} role="alert" aria-labelledby={`error-${d.id}`}>
      <h2 id={`error-${d.id}`}>{d.title}</h2>
      <dl>
        <dt>What happened</dt>
        <dd>{d.whatHappened}</dd>
        <dt>Likely cause</dt>
        <dd>{d.likelyCause}</dd>
        <dt>Fix</dt>
        <dd>{d.fix}</dd>
      </dl>
      {d.facts.length > 0 && (
        <p class="error-facts">
          {d.facts.map((fact) => (
            <code key={fact}>{fact}</code>
          ))}
        </p>
      )}
      {main && (
        <p class="error-actions">
          <button type="button" class="primary" onClick={main.run}>
            {main.label}
          </button>
          {second && (
            <button type="button" onClick={second.run}>
              {second.label}
            </button>
          )}
        </p>
      )}
    </section>
  );
}

/** The last-resort boundary: an unexpected render failure shows an explanation, not a blank page. */
export class ErrorBoundary extends Component<{ children: ComponentChildren }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static override getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown) {
    console.error('Unexpected error while rendering the app:', error instanceof Error ? error.name : typeof error);
    this.setState({ error });
  }

  override render() {
    if (this.state.error !== undefined) {
      return (
        <div class="boundary">
          <ErrorPanel error={this.state.error} onRetry={() => this.setState({ error: undefined })} />
          <button type="button" onClick={() => this.setState({ error: undefined })}>
            Back to the app
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
