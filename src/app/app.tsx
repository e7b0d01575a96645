/** The app shell: product name, what it does, and the sign-in entry point. */
export function App() {
  return (
    <main class="shell">
      <header>
        <h1>Databricks Entra Explorer</h1>
        <p>Sign in with Microsoft Entra ID, see what is inside your tokens, and list your Azure Databricks clusters.</p>
      </header>
      <button type="button" disabled aria-describedby="sign-in-help">
        Sign in
      </button>
      <p id="sign-in-help">Sign-in is not available yet: authentication has not been set up in this build.</p>
    </main>
  );
}
