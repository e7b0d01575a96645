import { describe, expect, it } from 'vitest';
import { injectRuntimeConfig, RUNTIME_CONFIG_ELEMENT_ID, type RuntimeConfig } from '../../src/proxy/index.ts';

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <title>Databricks Entra Explorer</title>
    <link rel="preload" href="/explorer-config.json" as="fetch" crossorigin />
  </head>
  <body><div id="app"></div></body>
</html>`;

describe('the runtime configuration in the page', () => {
  it('goes into a JSON data element before </head>, replacing the preload of /explorer-config.json', () => {
    const config: RuntimeConfig = { tenantId: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de', cloud: 'sandbox', sandbox: true };
    const html = injectRuntimeConfig(PAGE, config);
    expect(html).not.toContain('/explorer-config.json');
    const element = new RegExp(
      `<script type="application/json" id="${RUNTIME_CONFIG_ELEMENT_ID}">([^<]*)</script>\\s*</head>`,
    ).exec(html);
    expect(JSON.parse(element?.[1] ?? 'null')).toEqual(config);
  });

  it('cannot be ended early by a value: every < is written \\u003c', () => {
    const config = { workspaceHost: '</script><script>alert(1)</script>' } as unknown as RuntimeConfig;
    const html = injectRuntimeConfig(PAGE, config);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const json = /id="explorer-runtime-config">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual(config);
  });
});
