import { Component, type ComponentChildren, createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type DoctorAction, type DoctorContext, diagnose } from './doctor.ts';

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

/** The doctor's explanation of `error` in this app's context. */
export function useDiagnosis(error: unknown) {
  return diagnose(error, useContext(DoctorActionsContext).context);
}

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
  const d = diagnose(error, actions.context);
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
    <section class={compact ? 'error-panel compact' : 'error-panel'} role="alert" aria-labelledby={`error-${d.id}`}>
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
