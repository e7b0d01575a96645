import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AppConfig } from '../config/types.ts';
import type { CompareTokensProps } from './compare-tokens.tsx';
import type { DecodeAnyTokenProps } from './decode-any-token.tsx';

interface DecodeModules {
  DecodeAnyToken: ComponentType<DecodeAnyTokenProps>;
  CompareTokens: ComponentType<CompareTokensProps>;
}

/** jose and the decoder load only when this view is opened. */
function loadDecoders(): Promise<DecodeModules> {
  return Promise.all([import('./decode-any-token.tsx'), import('./compare-tokens.tsx')]).then(([a, b]) => ({
    DecodeAnyToken: a.DecodeAnyToken,
    CompareTokens: b.CompareTokens,
  }));
}

/**
 * "Decode a token" as a view of its own (`#/decode`), signed in or not: decode any pasted JWT, and
 * compare two claim by claim. Signed in, either compare box can take the app's access token.
 */
export function DecodeView({
  config,
  getAccessToken,
  load = loadDecoders,
}: {
  config: AppConfig | undefined;
  getAccessToken?: (() => Promise<string>) | undefined;
  load?: () => Promise<DecodeModules>;
}) {
  const [mod, setMod] = useState<DecodeModules | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    load().then(
      (m) => live && setMod(() => m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return (
    <section class="decode-view" aria-labelledby="decode-view-heading">
      <h2 id="decode-view-heading">Decode and compare tokens</h2>
      {failed && (
        <p role="alert">
          The token decoder did not load. Check the connection to this app's server and reload the page.
        </p>
      )}
      {!failed && !mod && <p role="status">Loading the token decoder…</p>}
      {mod && (
        <>
          <mod.DecodeAnyToken config={config} />
          <mod.CompareTokens config={config} getAccessToken={getAccessToken} />
        </>
      )}
    </section>
  );
}
