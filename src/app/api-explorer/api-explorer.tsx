import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AppConfig } from '../config/types.ts';
import type { QueryParams, WorkspaceClient, WorkspaceRequestClient } from '../databricks/client.ts';
import { DatabricksApiError, ProxyRefusedError } from '../databricks/errors.ts';
import type { ErrorPanel } from '../errors/error-panel.tsx';
import './api-explorer.css';
import { areasOf, SAMPLES, type Sample } from './catalogue.ts';
import { addToHistory, clearHistory, type HistoryEntry, loadHistory } from './history.ts';
import { JsonTable, JsonTree, tableRowsOf } from './json-view.tsx';
import { type JsonNode, parseLossless } from '../json/lossless-json.ts';
import {
  type ExplorerRequest,
  fillParameters,
  hasBody,
  idsIn,
  nextPageOf,
  parametersOf,
  problemOf,
  readShareLink,
  shareLink,
  targetOf,
} from './request.ts';
import { CaBundleNote } from '../snippets/ca-bundle-note.tsx';
import { RESOURCE_ID_HEADER } from '../well-known.ts';
import { browserStorage } from '../state/browser-storage.ts';
import { buildExplorerSnippet, SNIPPET_KINDS, type SnippetKind } from './snippets.ts';

/** Response headers worth quoting to support, when the workspace sends them. */
const SUPPORT_HEADERS = [
  'x-request-id',
  'x-databricks-org-id',
  'x-databricks-reason-phrase',
  'date',
  'retry-after',
  'content-type',
];
const IDS_KEY = 'explorer.api-ids.v1';

/** The {@link SUPPORT_HEADERS} an answer carried, in that order. */
function supportHeadersOf(get: (name: string) => string | null | undefined): [string, string][] {
  return SUPPORT_HEADERS.flatMap((h): [string, string][] => {
    const v = get(h);
    return v == null ? [] : [[h, v]];
  });
}

interface Outcome {
  request: ExplorerRequest;
  status: number | undefined;
  durationMs: number;
  text: string;
  headers: [string, string][];
  body: JsonNode | undefined;
  error: unknown;
}

function fromSample(sample: Sample): ExplorerRequest {
  return { method: sample.method, path: sample.path, query: sample.query ?? [], body: sample.body ?? '', headers: [] };
}

function toQuery(pairs: [string, string][]): QueryParams {
  const query: Record<string, string[]> = {};
  for (const [name, value] of pairs) if (name !== '') query[name] = [...(query[name] ?? []), value];
  return query;
}

function loadIds(): Map<string, string[]> {
  try {
    return new Map(JSON.parse(browserStorage('session')?.getItem(IDS_KEY) ?? '[]') as [string, string[]][]);
  } catch {
    return new Map();
  }
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function copy(text: string, done: (message: string) => void, what: string) {
  navigator.clipboard?.writeText(text).then(
    () => done(`${what} copied.`),
    () => done(`Could not copy the ${what.toLowerCase()}; select it and copy by hand.`),
  );
}

export interface ApiExplorerProps {
  client: WorkspaceClient;
  config: AppConfig;
  /** Where history is kept; default localStorage. */
  storage?: Storage | undefined;
  /**
   * The app's error panel (the error doctor), handed in by the app shell that loads this module: imported
   * here, it makes the bundler split preact/hooks out of the app's chunk, a request more on the
   * clusters view's critical path.
   */
  ErrorView: typeof ErrorPanel;
}

/**
 * The API Explorer (issue 15): a request builder over the workspace client, a catalogue of
 * sample requests, a lossless response viewer with paging, history, share links and snippets.
 * Loaded lazily when its tab opens.
 */
export function ApiExplorer({ client, config, storage = browserStorage('local'), ErrorView }: ApiExplorerProps) {
  if (!('request' in client)) throw new TypeError('The API Explorer needs the full workspace client (request).');
  const send = (client as WorkspaceRequestClient).request;
  const methods = config.proxyMethods ?? ['GET'];
  const [request, setRequest] = useState<ExplorerRequest>(
    () => readShareLink(location.hash) ?? fromSample(SAMPLES[0] as Sample),
  );
  const [params, setParams] = useState<Record<string, string>>({});
  const [ids, setIds] = useState<Map<string, string[]>>(loadIds);
  // IDs seen in answers are offered again in this tab's later requests (and after a reload).
  useEffect(() => {
    try {
      browserStorage('session')?.setItem(IDS_KEY, JSON.stringify([...ids]));
    } catch {
      // storage full: the suggestions last for this page only
    }
  }, [ids]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<ExplorerRequest | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>(() => loadHistory(storage));
  const [note, setNote] = useState('');
  const [link, setLink] = useState('');
  const [snippetKind, setSnippetKind] = useState<SnippetKind>('curl');
  const [bodyView, setBodyView] = useState<'tree' | 'table' | 'raw'>('tree');
  const sendButton = useRef<HTMLButtonElement>(null);
  // On a phone the catalogue starts folded, so the builder is in reach; beside it on wide screens.
  const [wide] = useState(() => globalThis.matchMedia?.('(min-width: 900px)').matches ?? true);

  const names = parametersOf(request);
  const resolved = useMemo(() => fillParameters(request, params), [request, params]);
  const problem = problemOf(resolved, methods);

  const load = (next: ExplorerRequest) => {
    setRequest(next);
    const filled: Record<string, string> = {};
    for (const name of parametersOf(next)) filled[name] = ids.get(name)?.[0] ?? '';
    setParams(filled);
    setLink('');
  };

  async function run(target: ExplorerRequest) {
    setBusy(true);
    setNote('');
    const started = performance.now();
    const at = Date.now();
    let result: Outcome;
    try {
      const response = await send({
        method: target.method as 'GET' | 'POST',
        path: target.path,
        query: toQuery(target.query),
        ...(hasBody(target.method) && target.body.trim() !== '' ? { jsonText: target.body } : {}),
        headers: Object.fromEntries(target.headers.filter(([n, v]) => n && v)),
      });
      let body: JsonNode | undefined;
      try {
        body = response.text.trim() ? parseLossless(response.text) : undefined;
      } catch {
        body = undefined;
      }
      result = {
        request: target,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
        text: response.text,
        headers: supportHeadersOf((h) => response.headers.get(h)),
        body,
        error: undefined,
      };
      if (body) {
        const found = idsIn(body);
        if (found.size > 0) {
          setIds((previous) => {
            const merged = new Map(previous);
            for (const [name, values] of found)
              merged.set(
                name,
                [...values, ...(merged.get(name) ?? []).filter((v) => !values.includes(v))].slice(0, 50),
              );
            return merged;
          });
        }
      }
    } catch (error) {
      // A workspace's error answer keeps its headers and body (already token-redacted) for support.
      const answer = error instanceof DatabricksApiError ? error : undefined;
      const answerHeaders = new Map(answer?.responseHeaders);
      result = {
        request: target,
        status: error instanceof DatabricksApiError || error instanceof ProxyRefusedError ? error.status : undefined,
        durationMs: Math.round(performance.now() - started),
        text: answer?.bodyText ?? '',
        headers: supportHeadersOf((h) => answerHeaders.get(h)),
        body: undefined,
        error,
      };
    }
    setOutcome(result);
    setHistory(addToHistory(storage, target, { status: result.status, at, durationMs: result.durationMs }));
    setBusy(false);
  }

  const submit = (target: ExplorerRequest) => {
    if (problemOf(target, methods) !== undefined || busy) return;
    if (target.method === 'GET') void run(target);
    else setConfirming(target);
  };

  const nextPage = outcome?.body && !outcome.error ? nextPageOf(outcome.request, outcome.body) : undefined;
  const table = outcome?.body ? tableRowsOf(outcome.body) : undefined;
  const snippetOptions = {
    workspaceUrl: config.workspaceUrl,
    workspaceResourceId: config.workspaceResourceId,
    caBundlePath: config.caBundlePath,
  };
  const methodChoices = methods.includes(request.method) ? methods : [...methods, request.method];

  return (
    <section class="api-explorer" aria-labelledby="api-explorer-title">
      <h2 id="api-explorer-title">API Explorer</h2>
      <p class="ax-intro">
        Call any workspace REST API with your signed-in token, through this app's proxy.
        {methods.length === 1
          ? ' This server forwards GET only (start it with EXPLORER_PROXY_ALLOW_POST=1 to send POST).'
          : ` This server forwards ${methods.join(', ')}; each state-changing request is shown in full and confirmed before it is sent.`}
      </p>
      <div class="ax-layout">
        <nav class="ax-catalogue" aria-label="Sample requests">
          <details open={wide}>
            <summary>
              <h3>Samples</h3>
            </summary>
            {areasOf(SAMPLES).map((area) => (
              <section key={area} aria-label={area}>
                <h4>{area}</h4>
                <ul>
                  {SAMPLES.filter((s) => s.area === area).map((s) => (
                    <li key={s.id}>
                      <button type="button" class="link" onClick={() => load(fromSample(s))}>
                        <span class={`ax-method ax-${s.method.toLowerCase()}`}>{s.method}</span> {s.title}
                      </button>
                      <span class="ax-description">
                        {s.description}{' '}
                        <a href={s.docs} target="_blank" rel="noopener noreferrer">
                          Reference<span class="visually-hidden"> for {s.title}</span>
                        </a>
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </details>
        </nav>
        <div class="ax-main">
          <form
            class="ax-builder"
            aria-label="Request"
            onSubmit={(e) => {
              e.preventDefault();
              submit(resolved);
            }}
          >
            <div class="ax-line">
              <label>
                Method{' '}
                <select
                  value={request.method}
                  onChange={(e) => setRequest({ ...request, method: (e.currentTarget as HTMLSelectElement).value })}
                >
                  {methodChoices.map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
              </label>
              <label class="ax-path">
                Path{' '}
                <input
                  value={request.path}
                  spellcheck={false}
                  onInput={(e) => setRequest({ ...request, path: (e.currentTarget as HTMLInputElement).value })}
                />
              </label>
            </div>
            {names.length > 0 && (
              <fieldset>
                <legend>Parameters</legend>
                {names.map((name) => (
                  <label key={name} class="ax-param">
                    {name}{' '}
                    <input
                      list={`ax-ids-${name}`}
                      value={params[name] ?? ''}
                      spellcheck={false}
                      onInput={(e) => setParams({ ...params, [name]: (e.currentTarget as HTMLInputElement).value })}
                    />
                  </label>
                ))}
              </fieldset>
            )}
            <fieldset>
              <legend>Query parameters</legend>
              {request.query.map(([name, value], i) => {
                const update = (pair: [string, string]) =>
                  setRequest({ ...request, query: request.query.map((p, j) => (j === i ? pair : p)) });
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a row is its position; its inputs are controlled by the request state.
                  <div class="ax-row" key={i}>
                    <input
                      aria-label={`Name of query parameter ${i + 1}`}
                      value={name}
                      spellcheck={false}
                      onInput={(e) => update([(e.currentTarget as HTMLInputElement).value, value])}
                    />
                    <input
                      aria-label={`Value of query parameter ${i + 1}`}
                      list={ids.has(name) ? `ax-ids-${name}` : undefined}
                      value={value}
                      spellcheck={false}
                      onInput={(e) => update([name, (e.currentTarget as HTMLInputElement).value])}
                    />
                    <button
                      type="button"
                      aria-label={`Remove query parameter ${i + 1}`}
                      onClick={() => setRequest({ ...request, query: request.query.filter((_, j) => j !== i) })}
                    >
                      ×
                    </button>
                  </div>
                );
              })}
              <button type="button" onClick={() => setRequest({ ...request, query: [...request.query, ['', '']] })}>
                Add query parameter
              </button>
            </fieldset>
            {hasBody(request.method) && (
              <label class="ax-body">
                Body (JSON)
                <textarea
                  rows={6}
                  spellcheck={false}
                  value={request.body}
                  onInput={(e) => setRequest({ ...request, body: (e.currentTarget as HTMLTextAreaElement).value })}
                />
              </label>
            )}
            <label class="ax-param">
              Accept header{' '}
              <input
                placeholder="application/json"
                value={request.headers.find(([n]) => n === 'Accept')?.[1] ?? ''}
                onInput={(e) => {
                  const value = (e.currentTarget as HTMLInputElement).value;
                  setRequest({ ...request, headers: value ? [['Accept', value]] : [] });
                }}
              />
            </label>
            <p class="ax-hint">
              The proxy forwards only Accept besides the headers the app sets itself (your token, the resource-ID header
              when configured, and Content-Type).
            </p>
            {problem && (
              <p class="ax-problem" id="ax-problem">
                {problem}
              </p>
            )}
            <div class="ax-line">
              <button
                ref={sendButton}
                type="submit"
                class="primary"
                disabled={busy || problem !== undefined}
                aria-describedby={problem ? 'ax-problem' : undefined}
              >
                {busy ? 'Sending…' : 'Send'}
              </button>
              <button
                type="button"
                disabled={problem !== undefined && parametersOf(resolved).length > 0}
                onClick={() => {
                  const url = shareLink(resolved, location.href);
                  setLink(url);
                  copy(url, setNote, 'Share link');
                }}
              >
                Copy share link
              </button>
            </div>
            {link && (
              <label class="ax-param">
                Share link{' '}
                <input readOnly value={link} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
              </label>
            )}
          </form>
          {[...ids].map(([name, values]) => (
            <datalist key={name} id={`ax-ids-${name}`}>
              {values.map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
          ))}
          <p class="ax-note" role="status">
            {note}
          </p>
          {confirming && (
            <ConfirmSend
              request={confirming}
              config={config}
              onCancel={() => {
                setConfirming(null);
                sendButton.current?.focus();
              }}
              onConfirm={() => {
                const target = confirming;
                setConfirming(null);
                sendButton.current?.focus();
                void run(target);
              }}
            />
          )}
          {outcome && (
            <section class="ax-response" aria-label="Response" aria-busy={busy}>
              <h3>Response</h3>
              <p class="ax-status">
                <strong>{outcome.status !== undefined ? `HTTP ${outcome.status}` : 'No answer'}</strong>
                {` · ${outcome.durationMs} ms`}
                {outcome.text ? ` · ${formatSize(new TextEncoder().encode(outcome.text).length)}` : ''}
                {` · ${outcome.request.method} ${targetOf(outcome.request)}`}
              </p>
              {outcome.headers.length > 0 && (
                <dl class="ax-headers" aria-label="Response headers">
                  {outcome.headers.map(([n, v]) => (
                    <div key={n}>
                      <dt>{n}</dt>
                      <dd>{v}</dd>
                    </div>
                  ))}
                </dl>
              )}
              {outcome.error !== undefined ? (
                <>
                  {outcome.error instanceof DatabricksApiError && (
                    <p class="ax-api-error">
                      Databricks answered <code>{outcome.error.errorCode ?? `HTTP ${outcome.error.status}`}</code>
                      {outcome.error.apiMessage ? `: ${outcome.error.apiMessage}` : ''}
                    </p>
                  )}
                  <ErrorView error={outcome.error} compact onRetry={() => submit(outcome.request)} />
                  {outcome.text && (
                    <details class="ax-error-body">
                      <summary>Raw response body</summary>
                      <figure class="ax-figure" aria-labelledby="ax-error-body-caption">
                        <figcaption id="ax-error-body-caption">Error response body as received</figcaption>
                        <pre class="ax-raw">{outcome.text}</pre>
                      </figure>
                      <button type="button" onClick={() => copy(outcome.text, setNote, 'Response body')}>
                        Copy response body
                      </button>
                    </details>
                  )}
                </>
              ) : (
                <>
                  <fieldset class="ax-line ax-bare">
                    <legend class="visually-hidden">Body view</legend>
                    {(['tree', 'table', 'raw'] as const).map((v) => (
                      <button
                        key={v}
                        type="button"
                        aria-pressed={bodyView === v}
                        disabled={v === 'table' && !table}
                        onClick={() => setBodyView(v)}
                      >
                        {v === 'tree' ? 'Tree' : v === 'table' ? 'Table' : 'Raw'}
                      </button>
                    ))}
                    <button type="button" onClick={() => copy(outcome.text, setNote, 'Response')}>
                      Copy response
                    </button>
                    <a
                      class="button"
                      download={`${outcome.request.path.replace(/^\/api\//, '').replace(/[^A-Za-z0-9.-]+/g, '-')}.json`}
                      href={`data:application/json;charset=utf-8,${encodeURIComponent(outcome.text)}`}
                    >
                      Download
                    </a>
                    {nextPage && (
                      <button
                        type="button"
                        class="primary"
                        disabled={busy}
                        onClick={() => {
                          setRequest(nextPage);
                          setParams({});
                          void run(nextPage);
                        }}
                      >
                        Next page
                      </button>
                    )}
                  </fieldset>
                  {!outcome.body ? (
                    <pre class="ax-raw">{outcome.text || '(empty body)'}</pre>
                  ) : bodyView === 'table' && table ? (
                    <JsonTable name={table.name} rows={table.rows} />
                  ) : bodyView === 'raw' ? (
                    <figure class="ax-figure" aria-labelledby="ax-raw-caption">
                      <figcaption id="ax-raw-caption">Response body as received</figcaption>
                      <pre class="ax-raw">{outcome.text}</pre>
                    </figure>
                  ) : (
                    <JsonTree node={outcome.body} />
                  )}
                </>
              )}
            </section>
          )}
          <section class="ax-snippets" aria-label="Snippets">
            <h3>Snippets</h3>
            <fieldset class="ax-line ax-bare">
              <legend class="visually-hidden">Snippet language</legend>
              {SNIPPET_KINDS.map(({ kind, label }) => (
                <button
                  key={kind}
                  type="button"
                  aria-pressed={snippetKind === kind}
                  onClick={() => setSnippetKind(kind)}
                >
                  {label}
                </button>
              ))}
            </fieldset>
            <figure class="ax-figure" aria-labelledby="ax-snippet-caption">
              <figcaption id="ax-snippet-caption">
                {SNIPPET_KINDS.find((k) => k.kind === snippetKind)?.label} snippet
              </figcaption>
              <pre class="ax-raw">{buildExplorerSnippet(snippetKind, resolved, snippetOptions)}</pre>
            </figure>
            <button
              type="button"
              onClick={() => copy(buildExplorerSnippet(snippetKind, resolved, snippetOptions), setNote, 'Snippet')}
            >
              Copy snippet
            </button>
            <CaBundleNote caBundlePath={config.caBundlePath} />
          </section>
          <section class="ax-history" aria-label="History">
            <h3>History</h3>
            {history.length === 0 ? (
              <p>No requests yet. The last 50 are kept in this browser (never a token).</p>
            ) : (
              <>
                <ol>
                  {history.map((h, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: two requests may share a timestamp; the list is only ever replaced whole.
                    <li key={`${h.at}-${i}`}>
                      <span class={`ax-method ax-${h.method.toLowerCase()}`}>{h.method}</span>{' '}
                      <code>{targetOf({ ...h, headers: [] })}</code> → {h.status ?? 'no answer'} ({h.durationMs} ms){' '}
                      <button
                        type="button"
                        aria-label={`Load ${h.method} ${h.path} from history`}
                        onClick={() => load({ ...h, headers: [] })}
                      >
                        Load
                      </button>{' '}
                      <button
                        type="button"
                        aria-label={`Run ${h.method} ${h.path} again`}
                        onClick={() => {
                          const again = { ...h, headers: [] };
                          load(again);
                          submit(again);
                        }}
                      >
                        Run again
                      </button>
                    </li>
                  ))}
                </ol>
                <button
                  type="button"
                  onClick={() => {
                    clearHistory(storage);
                    setHistory([]);
                  }}
                >
                  Clear history
                </button>
              </>
            )}
          </section>
        </div>
      </div>
    </section>
  );
}

/** Shows a state-changing request in full and sends it only when the person confirms. */
function ConfirmSend({
  request,
  config,
  onCancel,
  onConfirm,
}: {
  request: ExplorerRequest;
  config: AppConfig;
  onCancel(): void;
  onConfirm(): void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => cancel.current?.focus(), []);
  const headers = [
    'Authorization: Bearer (your access token, not shown)',
    ...(config.workspaceResourceId ? [`${RESOURCE_ID_HEADER}: ${config.workspaceResourceId}`] : []),
    ...(hasBody(request.method) && request.body.trim() ? ['Content-Type: application/json'] : []),
    ...request.headers.filter(([n, v]) => n && v).map(([n, v]) => `${n}: ${v}`),
  ];
  return (
    <div
      class="ax-confirm"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="ax-confirm-title"
      aria-describedby="ax-confirm-request"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
        // Modal: Tab and Shift+Tab stay on the dialog's two buttons.
        if (e.key === 'Tab') {
          const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
          const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
          const next = buttons[(at + (e.shiftKey ? -1 : 1) + buttons.length) % buttons.length];
          e.preventDefault();
          next?.focus();
        }
      }}
    >
      <h3 id="ax-confirm-title">Send this {request.method} request?</h3>
      <p>It can change the workspace: start, stop or run something, as you.</p>
      <pre id="ax-confirm-request" class="ax-raw">
        {`${request.method} ${config.workspaceUrl}${targetOf(request)}\n${headers.join('\n')}${
          hasBody(request.method) && request.body.trim() ? `\n\n${request.body.trim()}` : ''
        }`}
      </pre>
      <div class="ax-line">
        <button type="button" class="primary" onClick={onConfirm}>
          Send {request.method}
        </button>
        <button ref={cancel} type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
