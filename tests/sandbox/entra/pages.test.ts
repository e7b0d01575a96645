import { describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import { Browser, browserAuthorizeUrl, configWith } from './support.ts';

const sandbox = setUpEntraSandbox();

describe('the sign-in pages', () => {
  it('labels the fields, offers the demo users and says it is a local sandbox, not Microsoft', async () => {
    const harness = await sandbox.start();
    const html = await (await harness.fetch(browserAuthorizeUrl(harness).url)).text();
    expect(html).toContain('Local sandbox — not Microsoft.');
    expect(html).toMatch(/<label for="username">Username<\/label>\s*<input id="username"/);
    expect(html).toMatch(
      /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/,
    );
    expect(html).toContain('<button type="submit" class="primary">Sign in</button>');
    for (const upn of ['ana', 'ben', 'carl', 'dana', 'eve', 'fay'])
      expect(html).toContain(`value="${upn}@contoso.example"`);
  });

  it("shows the workspace resource's subscription, resource group and name in full, for the Contributor demo", async () => {
    const harness = await sandbox.start();
    const html = await (await harness.fetch(browserAuthorizeUrl(harness).url)).text();
    const section = html.slice(html.indexOf('<h2 id="resource-heading">'));
    expect(section).toContain('fay@contoso.example (Contributor)');
    expect(section).toMatch(
      /<dt>Subscription ID<\/dt><dd><code class="copy">5f1d7c2e-0000-4000-8000-00000000cafe<\/code>/,
    );
    expect(section).toMatch(/<dt>Resource group<\/dt><dd><code class="copy">explorer-sandbox<\/code>/);
    expect(section).toMatch(/<dt>Workspace name<\/dt><dd><code class="copy">sandbox-workspace<\/code>/);
    // Every part of the page sits in a landmark: the sandbox banner in the header.
    expect(html).toMatch(/<header class="banner"><div role="note">/);
  });

  it('sends a CSP without inline script or style, allowing forms to post back to the app origin', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(browserAuthorizeUrl(harness).url);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("form-action 'self' https://localhost:5173");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(html).not.toMatch(/\sstyle=|<style/);
  });

  it('hides the demo-user buttons when the configuration turns them off, and ignores forged demo posts', async () => {
    const harness = await sandbox.start(configWith({ signIn: { listUsers: false } }));
    const browser = new Browser(harness);
    const page = await (await browser.request(browserAuthorizeUrl(harness).url)).text();
    expect(page).not.toContain('name="demo_user"');
    expect(page).not.toContain('resource-heading');
    const ctx = /name="ctx" value="([^"]+)"/.exec(page)![1]!;
    const forged = await browser.request(`${harness.authority}login`, {
      method: 'POST',
      body: new URLSearchParams({ ctx, demo_user: 'ben@contoso.example' }).toString(),
    });
    expect(forged.status).toBe(200);
    expect(await forged.text()).toContain('Your username or password is incorrect');
  });

  it('tells the user when the password is wrong, keeping the username', async () => {
    const harness = await sandbox.start();
    const result = await new Browser(harness).signIn(browserAuthorizeUrl(harness).url, {
      username: 'ana@contoso.example',
      password: 'nope',
    });
    expect(result.html).toContain('role="alert"');
    expect(result.html).toContain('Your username or password is incorrect');
    expect(result.html).toContain('value="ana@contoso.example"');
  });

  it('answers response_mode=form_post with a self-submitting form that needs no inline script', async () => {
    const harness = await sandbox.start();
    const { url, state } = browserAuthorizeUrl(harness, { response_mode: 'form_post' });
    const browser = new Browser(harness);
    const page = await (await browser.request(url)).text();
    const ctx = /name="ctx" value="([^"]+)"/.exec(page)![1]!;
    const response = await browser.request(`${harness.authority}login`, {
      method: 'POST',
      body: new URLSearchParams({ ctx, demo_user: 'ana@contoso.example' }).toString(),
    });
    const html = await response.text();
    expect(html).toContain('<form method="post" action="https://localhost:5173/" id="form-post">');
    expect(html).toContain('name="code"');
    expect(html).toContain(`name="state" value="${state}"`);
    expect(html).toContain('<script src="/sandbox-assets/form-post.js"></script>');
    const script = await harness.fetch(`${harness.entra.url}/sandbox-assets/form-post.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
  });

  it('lets a signed-in user pick an account with prompt=select_account', async () => {
    const harness = await sandbox.start();
    const browser = new Browser(harness);
    await browser.signIn(browserAuthorizeUrl(harness).url, { demoUser: 'ben@contoso.example' });
    const page = await (await browser.request(browserAuthorizeUrl(harness, { prompt: 'select_account' }).url)).text();
    expect(page).toContain('Continue as Ben Admin');
  });

  it('explains an error code on its error page', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(`${harness.entra.url}/error?code=9002326`);
    expect(await response.text()).toContain('Single-Page Application');
  });

  it('refuses a user of another tenant (AADSTS50020) on the sign-in page', async () => {
    const harness = await sandbox.start(
      configWith({
        tenants: [
          { id: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de', domain: 'contoso.example' },
          { id: 'f0000000-0000-4000-8000-00000000000f', domain: 'fabrikam.example' },
        ],
        users: [
          {
            upn: 'ana@contoso.example',
            name: 'Ana Analyst',
            oid: '0a11ce00-0000-4000-8000-000000000001',
            password: 'ana-sandbox',
          },
          {
            upn: 'gus@fabrikam.example',
            name: 'Gus Guest',
            oid: '06050000-0000-4000-8000-000000000007',
            password: 'gus-sandbox',
          },
        ],
      }),
    );
    const result = await new Browser(harness).signIn(browserAuthorizeUrl(harness).url, {
      username: 'gus@fabrikam.example',
      password: 'gus-sandbox',
    });
    expect(result.location).toBeUndefined();
    expect(result.html).toContain('AADSTS50020');
  });
});
