import { useState } from 'preact/hooks';
import type { CallRecord } from '../databricks/client.ts';
import { CaBundleNote } from './ca-bundle-note.tsx';
import { buildCurlSnippet, buildPythonSnippet, CLASSIC_CALL, type SnippetCall, TOKEN_ENV_VAR } from './snippets.ts';

function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => setDone('copied'),
          () => setDone('failed'),
        ) ?? setDone('failed')
      }
    >
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed: select and copy' : label}
    </button>
  );
}

function SnippetPair({
  call,
  heading,
  workspaceUrl,
  workspaceResourceId,
  token,
  caBundlePath,
}: {
  call: SnippetCall;
  heading: string;
  workspaceUrl: string;
  workspaceResourceId: string | undefined;
  token: string | undefined;
  caBundlePath: string | undefined;
}) {
  const options = { workspaceUrl, workspaceResourceId, token, caBundlePath };
  const curl = buildCurlSnippet(call, options);
  const python = buildPythonSnippet(call, options);
  return (
    <div class="snippet-pair">
      <h3>{heading}</h3>
      <figure aria-label={`curl: ${heading}`}>
        <figcaption>curl</figcaption>
        <pre>{curl}</pre>
        <CopyButton text={curl} label={`Copy curl (${heading})`} />
      </figure>
      <figure aria-label={`Python: ${heading}`}>
        <figcaption>Python requests</figcaption>
        <pre>{python}</pre>
        <CopyButton text={python} label={`Copy Python (${heading})`} />
      </figure>
    </div>
  );
}

/**
 * The calls the app makes, as commands a colleague can run: the article's classic
 * `clusters/list` 2.0 first, then the last call this app made.
 */
export function ShowMeHow(props: {
  workspaceUrl: string;
  workspaceResourceId: string | undefined;
  lastCall: CallRecord | null;
  getToken(): Promise<string>;
  /** The server's CA bundle for its workspace (the sandbox's local CA), named in the commands. */
  caBundlePath?: string | undefined;
}) {
  const [token, setToken] = useState<string | undefined>(undefined);
  const [revealError, setRevealError] = useState<string | undefined>(undefined);
  const reveal = async () => {
    try {
      setToken(await props.getToken());
      setRevealError(undefined);
    } catch {
      setRevealError('Could not get a token to reveal; sign in again.');
    }
  };
  return (
    <section class="how" aria-labelledby="how-heading">
      <div class="toolbar">
        <h2 id="how-heading">Show me how</h2>
        {token ? (
          <button type="button" onClick={() => setToken(undefined)}>
            Hide the token
          </button>
        ) : (
          <button type="button" onClick={reveal}>
            Reveal the token in the snippets
          </button>
        )}
      </div>
      <p>
        {token
          ? 'The snippets contain your real access token. Anyone who sees it can act as you in the workspace until it expires: do not paste it into chats or tickets.'
          : `The token is left out: export it first as ${TOKEN_ENV_VAR} (for example from the Tokens tab), or reveal it here.`}
      </p>
      {revealError && <p role="alert">{revealError}</p>}
      <CaBundleNote caBundlePath={props.caBundlePath} />
      <SnippetPair
        call={CLASSIC_CALL}
        heading="List clusters (API 2.0)"
        workspaceUrl={props.workspaceUrl}
        workspaceResourceId={props.workspaceResourceId}
        token={token}
        caBundlePath={props.caBundlePath}
      />
      {props.lastCall ? (
        <SnippetPair
          call={props.lastCall}
          heading={`Last call: ${props.lastCall.method} ${props.lastCall.path.split('?')[0]}`}
          workspaceUrl={props.workspaceUrl}
          workspaceResourceId={props.lastCall.resourceIdHeader ? props.workspaceResourceId : undefined}
          token={token}
          caBundlePath={props.caBundlePath}
        />
      ) : (
        <p class="empty">No API call yet in this session.</p>
      )}
    </section>
  );
}
