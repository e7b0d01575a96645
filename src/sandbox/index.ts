/**
 * The sandbox: a local stand-in for the Microsoft Entra ID v2.0 endpoint and for an Azure
 * Databricks workspace, each on its own HTTPS origin. Used in-process by the Vite plugin (`vite-plugin.ts`)
 * (for `npm start` / `npm run dev` with nothing configured) and standalone by `npm run sandbox`.
 */
export {
  DEFAULT_SANDBOX_CONFIG,
  loadSandboxConfig,
  parseSandboxConfig,
  SandboxConfigError,
  sandboxConfigJsonSchema,
} from './config.ts';
export type { SandboxConfig } from './config-schema.ts';
export { CONSOLE_PATH, createConsole, type SandboxConsole } from './console/index.ts';
export { CONTROL_HEADER } from './control-guard.ts';
export { generateClusters, type RunningWorkspace, startWorkspace } from './databricks/index.ts';
export { describeUsers } from './describe-users.ts';
export { type RunningEntra, startEntra } from './entra/index.ts';
export { printable } from './printable.ts';
export { type RunningSandbox, type SandboxOptions, startSandbox } from './start.ts';
export { ensureLocalTls, LOCAL_TLS_NAMES, type LocalTls, localStateDir, localTlsNames, type TlsPair } from './tls.ts';
export { type SandboxPluginOptions, sandboxPlugin } from './vite-plugin.ts';
