import { render } from 'preact';
import { BootScreen } from './components/boot-screen.tsx';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element to mount the app in.');

// First paint: no MSAL or jose here (first-paint budget); the app loads in its own chunks.
render(<BootScreen />, root);

// A sign-in response pasted or replayed into the address of an open page changes only the hash;
// reload so the sign-in layer examines (and removes) it like any other response.
addEventListener('hashchange', () => {
  if (/[#&](code|error)=/.test(location.hash)) location.reload();
});

// After the first paint, fetch the configuration, MSAL and the app in parallel rather than one
// after the other: each is on the path to the first workspace call.
const config = import('./config/load-config.ts').then((m) => m.loadAppConfig());
config.catch(() => undefined); // handled by the app; this only silences the early-rejection warning
void import('./auth/msal-service.ts').catch(() => undefined);
import('./app.tsx').then(
  ({ App }) => render(<App loadConfig={() => config} />, root),
  () => render(<BootScreen message="The app could not load. Check your connection and reload the page." />, root),
);
