/**
 * The console page's policy: its own script and stylesheet only, no inline code, fetches and
 * the event stream to its own origin only, never framed.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The console's HTML: landmarks and headings; everything that changes is filled in by
 * `assets/console.js` from `/_sandbox/console/state` and the event stream, as text.
 */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox console · Databricks Entra Explorer</title>
<link rel="stylesheet" href="/_sandbox/console/console.css">
<script type="module" src="/_sandbox/console/console.js"></script>
</head>
<body>
<a class="skip" href="#log-heading">Skip to the live log</a>
<header>
  <h1>Sandbox console</h1>
  <p class="banner">Local sandbox — not Microsoft. Stage a scenario here and show its effect in the app.</p>
  <p id="status" role="status" aria-live="polite"></p>
</header>
<main>
  <section class="scenarios" aria-labelledby="scenarios-heading">
    <h2 id="scenarios-heading">Scenarios</h2>
    <p class="hint">Each switch says what the audience will see in the app. Press it again to switch it off.</p>
    <ul id="scenario-list" class="scenario-list"></ul>
  </section>
  <section class="log" aria-labelledby="log-heading">
    <h2 id="log-heading" tabindex="-1">What the services saw</h2>
    <div class="log-tools">
      <p id="stream-state">Connecting to the live log…</p>
      <button type="button" id="pause-log" aria-pressed="false">Pause</button>
      <button type="button" id="clear-log">Clear</button>
    </div>
    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="log-heading">
      <table id="log-table">
        <caption class="visually-hidden">Requests to the sandbox Entra ID and the sandbox workspace, newest first. Tokens, codes, passwords and query secrets are never shown.</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Service</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Took</th><th scope="col">User</th><th scope="col">Client</th></tr></thead>
        <tbody id="log-rows"></tbody>
      </table>
    </div>
  </section>
  <section class="glance" aria-labelledby="glance-heading">
    <h2 id="glance-heading">The directory and the workspace at a glance</h2>
    <h3>Users</h3>
    <div class="table-scroll" tabindex="0" role="region" aria-label="Users">
      <table>
        <thead><tr><th scope="col">User</th><th scope="col">Password</th><th scope="col">Workspace</th><th scope="col">Azure role</th><th scope="col">MFA</th><th scope="col">Consent</th><th scope="col">Signed in</th></tr></thead>
        <tbody id="user-rows"></tbody>
      </table>
    </div>
    <h3>Workspace</h3>
    <dl id="workspace-facts" class="facts"></dl>
    <h3>Apps</h3>
    <ul id="app-list" class="apps"></ul>
  </section>
</main>
</body>
</html>
`;
}
