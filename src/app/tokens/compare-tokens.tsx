import { useId, useState } from 'preact/hooks';
import type { AppConfig } from '../config/types.ts';
import { TIME_CLAIMS } from './claims.ts';
import { compareTokens, type PastedToken, readPastedToken } from './compare.ts';
import { formatClaimValue, formatLocalTime } from './format.ts';
import { useNowSeconds } from './use-now.ts';
import './compare-tokens.css';
import { DATABRICKS_RESOURCE_APP_ID } from '../well-known.ts';

/** Props of {@link CompareTokens}. */
export interface CompareTokensProps {
  config: AppConfig | undefined;
  /** Signed in: fills a box with the app's current access token (never shown unless asked). */
  getAccessToken?: (() => Promise<string>) | undefined;
  /** Test seam: now, in seconds. */
  nowSeconds?: number;
}

const PART_NAMES = { header: 'header', payload: 'payload', signature: 'signature' } as const;

function PasteBox(props: {
  label: string;
  text: string;
  outcome: PastedToken;
  onText(text: string): void;
  getAccessToken?: (() => Promise<string>) | undefined;
}) {
  const id = useId();
  const [failed, setFailed] = useState(false);
  // The app's own token is compared but not shown: the page may be on a projector.
  const [fromApp, setFromApp] = useState(false);
  const setText = (text: string, app: boolean) => {
    setFromApp(app);
    props.onText(text);
  };
  return (
    <div class="compare-box">
      {fromApp ? (
        <>
          <span class="compare-box-label">{props.label}</span>
          <p class="compare-from-app">This app's current access token (not shown).</p>
        </>
      ) : (
        <>
          <label for={`${id}-input`}>{props.label}</label>
          <textarea
            id={`${id}-input`}
            rows={4}
            spellcheck={false}
            autocomplete="off"
            value={props.text}
            onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value, false)}
          />
        </>
      )}
      <div class="compare-actions">
        {props.getAccessToken && (
          <button
            type="button"
            onClick={() => {
              setFailed(false);
              props.getAccessToken?.().then(
                (token) => setText(token, true),
                () => setFailed(true),
              );
            }}
          >
            Use this app's access token
            <span class="visually-hidden"> as the {props.label.toLowerCase()}</span>
          </button>
        )}
        <button type="button" onClick={() => setText('', false)} disabled={props.text === ''}>
          Clear<span class="visually-hidden"> the {props.label.toLowerCase()}</span>
        </button>
      </div>
      {failed && <p role="alert">Could not get the app's access token. Sign in again, then try once more.</p>}
      {props.outcome.kind === 'error' && (
        <p role="alert" class="token-problem">
          {props.label} is not a readable JWT.
          {props.outcome.error.part ? ` In its ${PART_NAMES[props.outcome.error.part]} part: ` : ' '}
          {props.outcome.error.message}
        </p>
      )}
    </div>
  );
}

function cell(name: string, value: unknown): string {
  if (value === undefined) return '—';
  if (TIME_CLAIMS.has(name) && typeof value === 'number') return `${value} (${formatLocalTime(value)})`;
  return formatClaimValue(value);
}

/**
 * Two paste boxes and a claim-by-claim comparison that says which differences Azure Databricks
 * acts on (audience, tenant, expiry, scopes, version, who). Decoded in the page only.
 */
export function CompareTokens({ config, getAccessToken, nowSeconds }: CompareTokensProps) {
  const id = useId();
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [onlyDifferences, setOnlyDifferences] = useState(true);
  const liveNow = useNowSeconds(5000);
  const now = nowSeconds ?? liveNow;
  const a = readPastedToken(first);
  const b = readPastedToken(second);
  const result =
    a.kind === 'decoded' && b.kind === 'decoded'
      ? compareTokens(a.token, b.token, { nowSeconds: now, clientId: config?.clientId, tenantId: config?.tenantId })
      : undefined;
  const rows = result ? result.rows.filter((row) => !onlyDifferences || !row.same) : [];

  return (
    <section class="compare-tokens" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Compare two tokens</h3>
      <p class="field-help">
        For example the access token before and after an MFA step, or this app's token against one from{' '}
        <code>az account get-access-token --resource {DATABRICKS_RESOURCE_APP_ID}</code> (paste its JSON or just the
        token). Both stay in this page.
      </p>
      <div class="compare-boxes">
        <PasteBox label="First token" text={first} outcome={a} onText={setFirst} getAccessToken={getAccessToken} />
        <PasteBox label="Second token" text={second} outcome={b} onText={setSecond} getAccessToken={getAccessToken} />
      </div>
      {result && (
        <>
          <section class="compare-findings" aria-labelledby={`${id}-findings`}>
            <h4 id={`${id}-findings`}>What matters to Azure Databricks</h4>
            {result.findings.length === 0 ? (
              <p>No difference that Azure Databricks acts on.</p>
            ) : (
              <ul>
                {result.findings.map((finding) => (
                  <li key={finding.claim}>{finding.text}</li>
                ))}
              </ul>
            )}
            <ul class="compare-verdicts">
              {(['first', 'second'] as const).map((which) => {
                const problems = result.problems[which];
                const name = which === 'first' ? 'First token' : 'Second token';
                return (
                  <li key={which} class={problems.length ? 'refused' : 'accepted'}>
                    <strong>{name}:</strong>{' '}
                    {problems.length === 0 ? 'Azure Databricks would accept it now.' : problems.join(' ')}
                  </li>
                );
              })}
            </ul>
          </section>
          <label class="compare-filter">
            <input
              type="checkbox"
              checked={onlyDifferences}
              onChange={(event) => setOnlyDifferences((event.currentTarget as HTMLInputElement).checked)}
            />
            Show only the claims that differ
          </label>
          <div class="compare-table-wrap">
            {rows.length === 0 ? (
              <p>Every claim is the same.</p>
            ) : (
              <table class="compare-table">
                <caption>Claim by claim</caption>
                <thead>
                  <tr>
                    <th scope="col">Claim</th>
                    <th scope="col">First token</th>
                    <th scope="col">Second token</th>
                    <th scope="col">For Azure Databricks</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.name} class={row.same ? 'same' : row.matters ? 'matters' : 'differs'}>
                      <th scope="row">
                        <code>{row.name}</code>
                      </th>
                      <td data-label="First token">{cell(row.name, row.first)}</td>
                      <td data-label="Second token">{cell(row.name, row.second)}</td>
                      <td data-label="For Azure Databricks">
                        {row.same
                          ? 'Same'
                          : row.matters
                            ? `Matters. ${row.why ?? ''}`
                            : row.significance === 'noise'
                              ? 'Differs in every new token; does not matter'
                              : `Differs; does not matter now.${row.why ? ` ${row.why}` : ''}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}
    </section>
  );
}
