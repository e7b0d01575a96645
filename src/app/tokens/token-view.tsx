import type { ComponentChildren } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import type { AppConfig } from '../config/types.ts';
import {
  describeClaim,
  describeHeaderParameter,
  describeIssuer,
  explainClaimValue,
  nameAudience,
  TIME_CLAIMS,
} from './claims.ts';
import type { DecodedToken } from './decode.ts';
import { inSentence } from './noun.ts';
import { formatClaimValue, formatLocalTime, formatRelative, prettyJson } from './format.ts';
import { useNowSeconds } from './use-now.ts';
import { type TokenVerifier, type VerificationResult, verifyTokenSignature } from './verify.ts';
import './tokens.css';

/** Props of {@link TokenView}. */
export interface TokenViewProps {
  token: DecodedToken;
  /** "ID token", "Access token", "Pasted token": used in headings and accessible names. */
  label: string;
  clientId: string | undefined;
  config: Pick<AppConfig, 'cloud' | 'authorityHost' | 'tenantId'> | undefined;
  /** When true, the encoded token and its signature are replaced by a notice (claims stay visible). */
  concealed?: boolean;
  verifier?: TokenVerifier | undefined;
}

/**
 * One decoded token: who issued it and for whom, a live expiry countdown, the signature check,
 * the three parts, the claims with their meaning, and the raw JSON. Every value is rendered as
 * text, never as HTML.
 */
export function TokenView({ token, label, clientId, config, concealed = false, verifier }: TokenViewProps) {
  const now = useNowSeconds();
  const id = useId();
  const noun = inSentence(label);
  const { payload } = token;
  const issuer = describeIssuer(payload.iss, config?.tenantId);
  const audience = nameAudience(payload.aud, clientId);
  const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
  const nbf = typeof payload.nbf === 'number' ? payload.nbf : undefined;
  const iat = typeof payload.iat === 'number' ? payload.iat : undefined;

  return (
    <div class="token-view">
      <dl class="token-summary">
        <dt>Issued by</dt>
        <dd>{issuer.label}</dd>
        <dt>Audience</dt>
        <dd>{audience ? `${audience} (${formatClaimValue(payload.aud)})` : formatClaimValue(payload.aud ?? 'none')}</dd>
        {exp !== undefined && (
          <>
            <dt>Expires</dt>
            <dd>
              <time dateTime={new Date(exp * 1000).toISOString()}>{formatLocalTime(exp)}</time>{' '}
              <span role="timer" aria-label={`${label} expiry`} class={exp <= now ? 'expired' : 'valid'}>
                {exp <= now ? `expired ${formatRelative(exp, now)}` : `expires ${formatRelative(exp, now)}`}
              </span>
              {iat !== undefined && exp > iat && (
                <progress
                  class="token-lifetime"
                  aria-label={`${label} remaining lifetime`}
                  max={exp - iat}
                  value={Math.max(0, Math.min(exp - iat, exp - now))}
                />
              )}
            </dd>
          </>
        )}
        {nbf !== undefined && nbf > now && (
          <>
            <dt>Not valid before</dt>
            <dd>
              {formatLocalTime(nbf)} ({formatRelative(nbf, now)})
            </dd>
          </>
        )}
      </dl>

      <Verification token={token} config={config} verifier={verifier} label={label} />

      {/* Named with the token, so the ID and access token sections are distinct landmarks. */}
      <section aria-label={`The three parts of the ${noun}`}>
        <h4 id={`${id}-parts`}>The three parts</h4>
        {concealed ? (
          <p class="token-concealed">The encoded {noun} and its signature are hidden. Reveal it to see them.</p>
        ) : (
          <figure class="jwt" aria-label={`Encoded ${noun}`}>
            <span class="jwt-header">{token.parts.header}</span>.<span class="jwt-payload">{token.parts.payload}</span>.
            <span class="jwt-signature">{token.parts.signature}</span>
          </figure>
        )}
        <p class="token-parts-help">
          Header (what signed it and how) · payload (the claims) · signature (proof the issuer wrote both), each
          base64url-encoded and joined by dots.
        </p>
      </section>

      <ExplainedTable caption={`Header of the ${noun}`} nameColumn="Parameter">
        {Object.entries(token.header).map(([name, value]) => {
          const about = describeHeaderParameter(name);
          return (
            <ExplainedRow key={name} name={name} title={about.title} description={about.description}>
              {formatClaimValue(value)}
            </ExplainedRow>
          );
        })}
      </ExplainedTable>

      <ExplainedTable caption={`Claims in the ${noun}`} nameColumn="Claim">
        {Object.entries(payload).map(([name, value]) => {
          const about = describeClaim(name);
          const reading = explainClaimValue(name, value, clientId);
          const time = TIME_CLAIMS.has(name) && typeof value === 'number' ? value : undefined;
          return (
            <ExplainedRow
              key={name}
              name={name}
              title={about.title}
              description={about.description}
              unknown={!about.known}
            >
              {time === undefined ? (
                formatClaimValue(value)
              ) : (
                <>
                  <time dateTime={new Date(time * 1000).toISOString()}>{formatLocalTime(time)}</time>
                  <span class="claim-reading">
                    {formatRelative(time, now)} ({value})
                  </span>
                </>
              )}
              {reading && <span class="claim-reading">{reading}</span>}
            </ExplainedRow>
          );
        })}
      </ExplainedTable>

      <section aria-label={`The signature of the ${noun}`}>
        <h4 id={`${id}-signature`}>Signature</h4>
        {concealed ? (
          <p class="token-concealed">Hidden with the token.</p>
        ) : token.signature === '' ? (
          <p>None: this token is unsigned.</p>
        ) : (
          <figure class="jwt-signature jwt" aria-label={`Signature of the ${noun}`}>
            {token.signature}
          </figure>
        )}
      </section>

      <details class="raw-json">
        <summary>Raw JSON of the {noun}</summary>
        <figure aria-label={`Raw header JSON of the ${noun}`}>
          <pre>{prettyJson(token.headerJson)}</pre>
        </figure>
        <figure aria-label={`Raw payload JSON of the ${noun}`}>
          <pre>{prettyJson(token.payloadJson)}</pre>
        </figure>
      </details>
    </div>
  );
}

const STATE_TEXT: Record<VerificationResult['state'] | 'checking', string> = {
  checking: 'Checking the signature…',
  verified: 'Signature verified',
  'not-verified': 'Signature NOT verified',
  unavailable: 'Signature could not be checked',
};

function Verification({
  token,
  config,
  verifier,
  label,
}: {
  token: DecodedToken;
  config: TokenViewProps['config'];
  verifier: TokenVerifier | undefined;
  label: string;
}) {
  const [result, setResult] = useState<VerificationResult | undefined>(undefined);
  const cloud = config?.cloud;
  const authorityHost = config?.authorityHost;
  useEffect(() => {
    setResult(undefined);
    if (!cloud || !authorityHost) {
      setResult({
        state: 'unavailable',
        reason: 'No configuration: the app does not know which Entra ID to ask for keys.',
      });
      return;
    }
    let current = true;
    verifyTokenSignature(token.raw, { cloud, authorityHost }, verifier).then(
      (outcome) => current && setResult(outcome),
      (error: unknown) =>
        current &&
        setResult({
          state: 'unavailable',
          reason: `The check failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
        }),
    );
    return () => {
      current = false;
    };
  }, [token.raw, cloud, authorityHost, verifier]);

  const state = result?.state ?? 'checking';
  return (
    <div class={`verification verification-${state}`} role="status" aria-label={`${label} signature`}>
      <strong>{STATE_TEXT[state]}</strong>
      {result && <span class="verification-reason"> {result.reason}</span>}
    </div>
  );
}

/** A table of named entries (header parameters, claims): name and title, value, meaning. */
function ExplainedTable({
  caption,
  nameColumn,
  children,
}: {
  caption: string;
  nameColumn: string;
  children: ComponentChildren;
}) {
  return (
    <table class="claims">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{nameColumn}</th>
          <th scope="col">Value</th>
          <th scope="col">Meaning</th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** One entry of an {@link ExplainedTable}; the children are its value. */
function ExplainedRow(props: {
  name: string;
  title: string;
  description: ComponentChildren;
  unknown?: boolean;
  children: ComponentChildren;
}) {
  return (
    <tr class={props.unknown ? 'claim-unknown' : undefined}>
      <th scope="row">
        <code>{props.name}</code>
        <span class="claim-title">{props.title}</span>
      </th>
      <td class="claim-value">{props.children}</td>
      <td>{props.description}</td>
    </tr>
  );
}
