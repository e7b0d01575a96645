import { useId, useState } from 'preact/hooks';
import type { AppConfig } from '../config/types.ts';
import { CopyTokenButton } from './copy-token-button.tsx';
import { type DecodedToken, decodeToken, TokenDecodeError } from './decode.ts';
import { inSentence } from './noun.ts';
import { TokenView } from './token-view.tsx';
import type { TokenVerifier } from './verify.ts';
import './tokens.css';

/** Props of {@link TokenInspector}. */
export interface TokenInspectorProps {
  /** The compact ID token from the sign-in, if any. */
  idToken: string | undefined;
  /** The compact Azure Databricks access token, if any. */
  accessToken: string | undefined;
  /** This app's client ID, so the ID token's audience can be named "this app". */
  clientId: string;
  config: AppConfig;
  /** Checks signatures; defaults to fetching the issuer's keys. Tests pass a fake. */
  verifier?: TokenVerifier;
  /** Test seam for the copy buttons. */
  writeText?: (text: string) => Promise<void>;
}

/**
 * The ID token and the access token side by side: decoded claims with their meaning, the issuer
 * and audience named, live expiry, signature verification. The encoded access token is hidden
 * until revealed, and copying either token asks for confirmation first.
 */
export function TokenInspector({ idToken, accessToken, clientId, config, verifier, writeText }: TokenInspectorProps) {
  const shared = { clientId, config, verifier, writeText };
  return (
    <div class="token-inspector">
      <TokenPanel
        kind="id"
        label="ID token"
        token={idToken}
        {...shared}
        intro="Who you are, for this app: issued to the app at sign-in. The app reads it; it is not sent to Azure Databricks."
        risk="The ID token carries your name, user name and IDs. It does not let anyone call Azure Databricks, but treat it as personal data."
      />
      <TokenPanel
        kind="access"
        label="Access token"
        token={accessToken}
        {...shared}
        intro="What the app may do for you, at Azure Databricks: sent as Authorization: Bearer on every workspace call."
        risk="Anyone who has this access token can call Azure Databricks as you until it expires."
      />
    </div>
  );
}

interface TokenPanelProps {
  kind: 'id' | 'access';
  label: string;
  token: string | undefined;
  clientId: string;
  config: AppConfig;
  verifier: TokenVerifier | undefined;
  writeText: ((text: string) => Promise<void>) | undefined;
  intro: string;
  risk: string;
}

function TokenPanel({ kind, label, token, clientId, config, verifier, writeText, intro, risk }: TokenPanelProps) {
  const headingId = useId();
  const [revealed, setRevealed] = useState(kind === 'id');
  let decoded: DecodedToken | undefined;
  let problem: string | undefined;
  if (token) {
    try {
      decoded = decodeToken(token);
    } catch (error) {
      if (!(error instanceof TokenDecodeError)) throw error;
      problem = error.message;
    }
  }
  const exp = typeof decoded?.payload.exp === 'number' ? decoded.payload.exp : undefined;

  return (
    <section class={`token-panel token-panel-${kind}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{label}</h3>
      <p class="token-intro">{intro}</p>
      {!token && <p>No {inSentence(label)} yet. Sign in to see it.</p>}
      {problem && (
        <div role="alert" class="token-problem">
          The {inSentence(label)} could not be decoded: {problem}
        </div>
      )}
      {decoded && token && (
        <>
          <div class="token-actions">
            {kind === 'access' && (
              <button type="button" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
                {revealed ? 'Hide access token' : 'Reveal access token'}
              </button>
            )}
            <CopyTokenButton token={token} what={inSentence(label)} expiresAt={exp} risk={risk} writeText={writeText} />
          </div>
          <TokenView
            token={decoded}
            label={label}
            clientId={clientId}
            config={config}
            concealed={!revealed}
            verifier={verifier}
          />
        </>
      )}
    </section>
  );
}
