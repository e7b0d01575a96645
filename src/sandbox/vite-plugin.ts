import type { Server } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { Plugin } from 'vite';
import { describeUsers } from './describe-users.ts';
import { type RunningSandbox, type SandboxOptions, startSandbox } from './start.ts';

/** Options for {@link sandboxPlugin}. */
export interface SandboxPluginOptions extends Omit<SandboxOptions, 'extraSpaRedirectUris' | 'log' | 'lan'> {
  /** The app's own origin, registered as the demo SPA's redirect URI. */
  appOrigin: string;
  /** A team demo: the LAN host and address (see {@link SandboxOptions.lan}) and the app's origin there, registered too. */
  lan?: { host: string; address: string; appOrigin: string };
}

/**
 * Runs the sandbox inside `vite` and `vite preview` (never during `vite build`), and stops it with
 * the server. Prints where it is and how to sign in.
 */
export function sandboxPlugin(options: SandboxPluginOptions): Plugin {
  let running: Promise<RunningSandbox> | undefined;

  function install(server: {
    httpServer: Server | Http2SecureServer | null;
    config: { logger: { info(m: string): void; error(m: string): void } };
  }) {
    const { logger } = server.config;
    const { appOrigin, lan, ...rest } = options;
    running ??= startSandbox({
      ...rest,
      ...(lan ? { lan: { host: lan.host, address: lan.address } } : {}),
      extraSpaRedirectUris: [`${appOrigin}/`, ...(lan ? [`${lan.appOrigin}/`] : [])],
    });
    running.then(
      (sandbox) => {
        logger.info(
          [
            '',
            `  Sandbox Entra ID:  ${sandbox.entra.url}/${sandbox.tenantId}/ (client ${sandbox.clientId})`,
            `  Sandbox workspace: ${sandbox.workspace.url}`,
            `  Presenter console: https://localhost:${sandbox.entra.port}/_sandbox/console (this machine only)`,
            `  Open ${lan ? lan.appOrigin : appOrigin}/ and sign in as one of the demo users:`,
            ...describeUsers(sandbox.config, sandbox.clientId),
          ].join('\n'),
        );
      },
      (error: unknown) => {
        logger.error(`  The sandbox did not start: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    server.httpServer?.once('close', () => {
      void running?.then((sandbox) => sandbox.close()).catch(() => {});
    });
  }

  return {
    name: 'databricks-entra-explorer:sandbox',
    configureServer: install,
    configurePreviewServer: install,
  };
}
