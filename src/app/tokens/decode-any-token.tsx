import { useId, useState } from 'preact/hooks';
import type { AppConfig } from '../config/types.ts';
import { readPastedToken } from './compare.ts';
import { TokenView } from './token-view.tsx';
import type { TokenVerifier } from './verify.ts';
import './tokens.css';

/** Props of {@link DecodeAnyToken}. */
export interface DecodeAnyTokenProps {
  /** For naming the audience and issuer and finding the keys; optional, since decoding needs none. */
  config: AppConfig | undefined;
  verifier?: TokenVerifier;
}

const PART_NAMES = { header: 'Header', payload: 'Payload', signature: 'Signature' } as const;

/**
 * A paste box that decodes any JWT locally (nothing is sent anywhere except, for the signature
 * check, a request for the issuer's public keys) and explains malformed input instead of failing.
 */
export function DecodeAnyToken({ config, verifier }: DecodeAnyTokenProps) {
  const [text, setText] = useState('');
  const id = useId();
  const outcome = readPastedToken(text);

  return (
    <section class="decode-any-token" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Decode any token</h3>
      <label for={`${id}-input`}>Token (JWT)</label>
      <p id={`${id}-help`} class="field-help">
        Decoded in this page only; the token is not sent anywhere or stored. The signature check fetches the issuer's
        public keys.
      </p>
      <textarea
        id={`${id}-input`}
        aria-describedby={`${id}-help`}
        rows={4}
        spellcheck={false}
        autocomplete="off"
        value={text}
        onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)}
      />
      <div>
        <button type="button" onClick={() => setText('')} disabled={text === ''}>
          Clear
        </button>
      </div>
      {outcome.kind === 'error' && (
        <div role="alert" class="token-problem">
          <p>
            <strong>This is not a readable JWT.</strong>
            {outcome.error.part ? ` ${PART_NAMES[outcome.error.part]} part: ` : ' '}
            {outcome.error.message}
          </p>
        </div>
      )}
      {outcome.kind === 'decoded' && (
        <>
          {outcome.strippedBearer && <p class="field-help">Removed the "Bearer" prefix of an Authorization header.</p>}
          <TokenView
            token={outcome.token}
            label="Pasted token"
            clientId={config?.clientId}
            config={config}
            verifier={verifier}
          />
        </>
      )}
    </section>
  );
}
