/**
 * The first paint, before the app's code has loaded: no MSAL, no jose, just the product name
 * and what is happening. Kept tiny on purpose (first-paint budget, issue 8).
 */
export function BootScreen({ message = 'Signing you in…' }: { message?: string }) {
  return (
    <div class="shell">
      <header class="app-header">
        <h1>Databricks Entra Explorer</h1>
      </header>
      <main class="view">
        <p class="boot" role="status">
          {message}
        </p>
      </main>
    </div>
  );
}
