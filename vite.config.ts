/// <reference types="vitest/config" />
import preact from '@preact/preset-vite';
import { defineConfig, type UserConfig } from 'vite';
import { explorerServerPlugin } from './src/proxy/index.ts';
import { ensureLocalTls } from './src/sandbox/tls.ts';

export default defineConfig(async (): Promise<UserConfig> => {
  const port = Number(process.env.PORT ?? 5173);
  const tls = await ensureLocalTls();
  const https = { key: tls.key, cert: tls.cert };
  return {
    plugins: [preact(), explorerServerPlugin({ identityOrigins: [] })],
    server: { host: 'localhost', port, strictPort: true, https },
    preview: { host: 'localhost', port, strictPort: true, https },
    build: { target: 'es2022', sourcemap: true },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'app',
            environment: 'happy-dom',
            include: ['tests/app/**/*.test.{ts,tsx}'],
            setupFiles: ['tests/support/setup-dom.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'node',
            environment: 'node',
            include: ['tests/proxy/**/*.test.ts', 'tests/sandbox/**/*.test.ts'],
          },
        },
      ],
    },
  };
});
