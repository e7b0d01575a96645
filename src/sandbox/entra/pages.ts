import type { SandboxUser } from '../config-schema.ts';

/** Server-rendered pages of the sandbox sign-in. No inline script or style: see {@link pageCsp}. */

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => `&#${char.charCodeAt(0)};`);
}

// In a <header> (the page's banner landmark), so no content sits outside a landmark.
const BANNER =
  '<header class="banner"><div role="note"><strong>Local sandbox — not Microsoft.</strong> A stand-in for Entra ID on this machine. Never enter a real password here.</div></header>';

/**
 * The Content-Security-Policy of every page: no script but our own files, no inline anything,
 * forms only to ourselves and (after a redirect or a form_post) to the app's redirect origin.
 */
export function pageCsp(formTargets: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self'${formTargets.map((target) => ` ${target}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} — Sandbox Entra ID</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/sandbox-assets/page.css">
</head>
<body>
${BANNER}
<main>
${body}
</main>
</body>
</html>
`;
}

export interface SignInPageInput {
  action: string;
  ctx: string;
  appName: string;
  tenantName: string;
  username: string;
  error: string | undefined;
  demoUsers: SandboxUser[];
  /** Accounts already signed in to this browser (for select_account). */
  signedIn: SandboxUser[];
  /**
   * The sandbox workspace's Azure resource and who holds a role on it, shown with the demo users:
   * a Contributor (Fay) becomes a workspace admin only when the app sends this resource's ID.
   */
  workspaceResource?: { azureResourceId: string; roles: { upn: string; role: string }[] } | undefined;
}

/** Subscription, resource group and workspace name of the sandbox workspace, in full, to copy into the app's Settings. */
function workspaceResourceSection(resource: SignInPageInput['workspaceResource']): string {
  if (!resource || resource.roles.length === 0) return '';
  const parts =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Databricks\/workspaces\/([^/]+)$/i.exec(
      resource.azureResourceId,
    );
  if (!parts) return '';
  const [, subscription = '', group = '', name = ''] = parts;
  const who = resource.roles.map((r) => `${escapeHtml(r.upn)} (${escapeHtml(r.role)})`).join(', ');
  return `<section aria-labelledby="resource-heading">
<h2 id="resource-heading">Sandbox workspace resource</h2>
<p>${who} hold a role on the workspace's Azure resource. Such a user becomes a workspace admin when the app sends the resource ID: before signing in, copy these three values into the app's <strong>Settings</strong>, under “Admin access through Azure (optional)”.</p>
<dl class="resource">
<dt>Subscription ID</dt><dd><code class="copy">${escapeHtml(subscription)}</code></dd>
<dt>Resource group</dt><dd><code class="copy">${escapeHtml(group)}</code></dd>
<dt>Workspace name</dt><dd><code class="copy">${escapeHtml(name)}</code></dd>
</dl>
</section>`;
}

export function signInPage(input: SignInPageInput): string {
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : '';
  const accounts =
    input.signedIn.length === 0
      ? ''
      : `<section aria-labelledby="accounts-heading">
<h2 id="accounts-heading">Pick an account</h2>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="ctx" value="${escapeHtml(input.ctx)}">
<ul class="users">
${input.signedIn.map((user) => `<li><button type="submit" name="account" value="${escapeHtml(user.oid)}">Continue as ${escapeHtml(user.name)} <span class="upn">${escapeHtml(user.upn)}</span></button></li>`).join('\n')}
</ul>
</form>
</section>`;
  const demo =
    input.demoUsers.length === 0
      ? ''
      : `<section aria-labelledby="demo-heading">
<h2 id="demo-heading">Demo users</h2>
<p>One click signs in as a configured user.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="ctx" value="${escapeHtml(input.ctx)}">
<ul class="users">
${input.demoUsers.map((user) => `<li><button type="submit" name="demo_user" value="${escapeHtml(user.upn)}">${escapeHtml(user.name)} <span class="upn">${escapeHtml(user.upn)}</span>${user.mfa ? ' <span class="tag">MFA</span>' : ''}</button></li>`).join('\n')}
</ul>
</form>
</section>
${workspaceResourceSection(input.workspaceResource)}`;
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(input.appName)}</strong> (${escapeHtml(input.tenantName)})</p>
${error}
${accounts}
<form method="post" action="${escapeHtml(input.action)}" class="credentials">
<input type="hidden" name="ctx" value="${escapeHtml(input.ctx)}">
<label for="username">Username</label>
<input id="username" name="username" type="email" autocomplete="username" required maxlength="256" value="${escapeHtml(input.username)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit" class="primary">Sign in</button>
</form>
${demo}`,
  );
}

export function mfaPage(input: {
  action: string;
  ctx: string;
  user: SandboxUser;
  code: string;
  error: string | undefined;
}): string {
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : '';
  return layout(
    'Verify your identity',
    `<h1>Verify your identity</h1>
<p>${escapeHtml(input.user.upn)} needs a second factor. In this sandbox the code is always <strong>${escapeHtml(input.code)}</strong>.</p>
${error}
<form method="post" action="${escapeHtml(input.action)}" class="credentials">
<input type="hidden" name="ctx" value="${escapeHtml(input.ctx)}">
<label for="otc">Verification code</label>
<input id="otc" name="otc" inputmode="numeric" autocomplete="one-time-code" required maxlength="8">
<button type="submit" class="primary">Verify</button>
</form>`,
  );
}

export function consentPage(input: {
  action: string;
  ctx: string;
  user: SandboxUser;
  appName: string;
  clientId: string;
  permissions: { resource: string; scope: string }[];
}): string {
  return layout(
    'Permissions requested',
    `<h1>Permissions requested</h1>
<p><strong>${escapeHtml(input.appName)}</strong> (client ID <code>${escapeHtml(input.clientId)}</code>) asks ${escapeHtml(input.user.upn)} to allow it to:</p>
<ul class="permissions">
<li>Sign you in and read your basic profile</li>
<li>Keep access to data you have given it access to</li>
${input.permissions.map((permission) => `<li>Access <strong>${escapeHtml(permission.resource)}</strong> as you (<code>${escapeHtml(permission.scope)}</code>)</li>`).join('\n')}
</ul>
<form method="post" action="${escapeHtml(input.action)}" class="actions">
<input type="hidden" name="ctx" value="${escapeHtml(input.ctx)}">
<button type="submit" name="consent" value="deny">Cancel</button>
<button type="submit" name="consent" value="accept" class="primary">Accept</button>
</form>`,
  );
}

export function errorPage(input: { code: number; message: string; correlationId: string; timestamp: string }): string {
  return layout(
    'Sign-in error',
    `<h1>Sorry, we can't sign you in</h1>
<p class="error" role="alert">${escapeHtml(input.message)}</p>
<dl class="facts">
<dt>Error code</dt><dd>AADSTS${input.code}</dd>
<dt>Correlation ID</dt><dd>${escapeHtml(input.correlationId)}</dd>
<dt>Timestamp</dt><dd>${escapeHtml(input.timestamp)}</dd>
</dl>`,
  );
}

export function errorCodePage(code: string, text: string | undefined): string {
  return layout(
    'Error code',
    text === undefined
      ? `<h1>Unknown error code</h1><p>The sandbox does not produce AADSTS${escapeHtml(code)}.</p>`
      : `<h1>AADSTS${escapeHtml(code)}</h1><p>${escapeHtml(text)}</p>`,
  );
}

export function signedOutPage(notice: string | undefined): string {
  return layout(
    'Signed out',
    `<h1>You signed out of your account</h1>
${notice ? `<p class="error" role="alert">${escapeHtml(notice)}</p>` : ''}
<p>You can close this window.</p>`,
  );
}

/** The `form_post` response: a form the browser submits (by our script, or by the button). */
export function formPostPage(action: string, fields: Record<string, string>): string {
  return layout(
    'Continue',
    `<form method="post" action="${escapeHtml(action)}" id="form-post">
${Object.entries(fields)
  .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
  .join('\n')}
<p>Returning to the application…</p>
<button type="submit" class="primary">Continue</button>
</form>
<script src="/sandbox-assets/form-post.js"></script>`,
  );
}

export const PAGE_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f3f2f1}
.banner{background:#ffd335;color:#1b1b1b;padding:.5rem 1rem;text-align:center}
@media (max-width:30rem){main{margin:1rem .5rem;padding:1.25rem}}
main{max-width:28rem;margin:2rem auto;background:#fff;padding:2rem;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;margin:0 0 .5rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
label{display:block;margin-top:1rem;font-weight:600}
input{width:100%;padding:.5rem;font:inherit;border:1px solid #8a8886;border-radius:2px}
button{font:inherit;padding:.5rem 1rem;margin-top:1rem;border:1px solid #8a8886;background:#fff;border-radius:2px;cursor:pointer}
button.primary{background:#0067b8;border-color:#0067b8;color:#fff}
button:focus-visible,input:focus-visible{outline:2px solid #1b1b1b;outline-offset:2px}
.users{list-style:none;padding:0;margin:0}
.users button{width:100%;text-align:left;margin-top:.5rem}
.upn{display:block;font-size:.85rem;color:#505050}
.tag{font-size:.75rem;background:#e1dfdd;padding:0 .3rem;border-radius:2px}
.error{color:#a4262c}
.actions{display:flex;gap:.5rem;justify-content:flex-end}
.facts dt{font-weight:600}
.facts dd{margin:0 0 .5rem;font-family:monospace}
.resource dt{font-weight:600;margin-top:.5rem}
.resource dd{margin:0}
.copy{user-select:all;overflow-wrap:anywhere;font-size:.9rem;background:#f3f2f1;padding:0 .25rem}
`;

export const FORM_POST_JS = `document.getElementById('form-post').submit();\n`;
