import { render } from 'preact';
import type { AuthService } from './auth/types.ts';
import { BootScreen } from './components/boot-screen.tsx';
import { inlineRuntimeConfig, requestRuntimeConfig } from './config/runtime-config-path.ts';
import type { AppConfig } from './config/types.ts';
import { createTimeline, type Timeline } from './timeline/timeline.ts';
import './styles.css';

// Before anything else, the requests on the path to the first workspace call: the runtime
// configuration, its code and MSAL (the app's chunk follows below); then MSAL starts (initialise,
// redirect handling, the cached token) the moment the first three are here, while the app's
// chunk is still loading and its views render. Nothing serial before the first workspace call.
// The app's server puts the configuration in the page; only another server makes it a request.
const inlineConfig = inlineRuntimeConfig();
const configResponse = inlineConfig ? Promise.resolve(inlineConfig) : requestRuntimeConfig();
configResponse.catch(() => undefined); // loadAppConfig reports it; this only silences the early-rejection warning
const config = import('./config/load-config.ts').then((m) => m.loadAppConfig({ fetch: () => configResponse }));
config.catch(() => undefined); // handled by the app
const msal = import('./auth/msal-service.ts');
msal.catch(() => undefined); // handled by the app
const app = import('./app.tsx');
app.catch(() => undefined); // handled below

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element to mount the app in.');

// First paint: no MSAL or jose here (first-paint budget); the app loads in its own chunks.
render(<BootScreen />, root);

// A sign-in response pasted or replayed into the address of an open page changes only the hash;
// reload so the sign-in layer examines (and removes) it like any other response.
addEventListener('hashchange', () => {
  if (/[#&](code|error)=/.test(location.hash)) location.reload();
});

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

const timeline = createTimeline({ storage: sessionStorageOrUndefined() });

let auth: Promise<AuthService> | undefined;
function createAuth(appConfig: AppConfig, appTimeline: Timeline): Promise<AuthService> {
  auth ??= msal.then(({ createMsalAuthService }) => {
    const service = createMsalAuthService(appConfig, { timeline: appTimeline });
    service.start().then(
      (started) => {
        // Warm the token the views are about to ask for; they share this lookup.
        if (started.account)
          service.getTokens({ view: location.hash.replace(/^#\/?/, '') || 'clusters' }).catch(() => undefined);
      },
      () => undefined, // the sign-in provider shows why
    );
    return service;
  });
  return auth;
}
config.then(
  (result) => {
    if (result.ok) createAuth(result.config, timeline).catch(() => undefined);
  },
  () => undefined,
);

app.then(
  ({ App }) => render(<App loadConfig={() => config} createAuth={createAuth} timeline={timeline} />, root),
  () => render(<BootScreen message="The app could not load. Check your connection and reload the page." />, root),
);
