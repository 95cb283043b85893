import { expect, signIn, startSandbox, test } from './fixtures';
import { jsString, startServer } from './hosts';

/** The strict policy the app must run under without a violation. */
const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

/** Records CSP violations on the window, from the first script on. */
async function recordViolations(page: import('@playwright/test').Page): Promise<void> {
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
}

test('sub-path build survives deep-link reload', async ({ page }) => {
  const sandbox = await startSandbox({ basePath: '/support/cases/' });
  try {
    await signIn(page, sandbox.appUrl, sandbox.tokens.admin);
    await expect(page).toHaveURL(/\/support\/cases\/cases$/);

    const casesLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' });
    await expect(casesLink).toHaveAttribute('href', '/support/cases/cases');

    await page.goto(new URL('cases?status=New', sandbox.appUrl).toString());
    await expect(page).toHaveURL(/\/support\/cases\/sign-in\?next=/);
    await page.getByLabel('Access token').fill(sandbox.tokens.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page).toHaveURL(/\/support\/cases\/cases\?status=New$/);
    await expect(page.getByRole('banner')).toContainText('Ada Lovelace');
  } finally {
    await sandbox.stop();
  }
});

test('404.html serves deep links without rewrites', async ({ page }) => {
  const sandbox = await startSandbox({ basePath: '/support/cases/', args: ['--no-fallback'] });
  try {
    const response = await page.goto(new URL('cases/some-id', sandbox.appUrl).toString());

    expect(response?.status()).toBe(404);
    await expect(page).toHaveURL(/\/support\/cases\/sign-in\?next=%2Fcases%2Fsome-id$/);
    await expect(page.getByLabel('Access token')).toBeVisible();
  } finally {
    await sandbox.stop();
  }
});

test('strict CSP runs with no violation', async ({ page, consoleErrors }) => {
  const sandbox = await startSandbox({ args: ['--csp', STRICT_CSP] });
  try {
    await recordViolations(page);

    const response = await page.goto(sandbox.appUrl);
    expect(response?.headers()['content-security-policy']).toBe(STRICT_CSP);
    await page.getByLabel('Access token').fill(sandbox.tokens.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('banner')).toContainText('Ada Lovelace');

    const firstCase = page.locator('a[href^="/cases/"]').first();
    await firstCase.click();
    await expect(page).toHaveURL(/\/cases\/[^/]+$/);
    await page.goBack();
    await expect(page).toHaveURL(/\/cases$/);

    const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect(violations).toEqual([]);
    expect(consoleErrors.messages.filter((message) => /Content Security Policy/i.test(message))).toEqual([]);
  } finally {
    await sandbox.stop();
  }
});

test('broken config.json names the problem', async ({ page, sandbox }) => {
  await page.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: '{"apiBaseUrl": "https://api.omnium.no",' }),
  );

  await page.goto(sandbox.appUrl);

  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Omnium Cases cannot start');
  await expect(alert).toContainText('not valid JSON');
  await expect(alert).toContainText(/line 1, column \d+/);
  await expect(alert).not.toContainText('?');
  await expect(alert).toContainText('docs/CONFIGURATION.md');
});

test('config.json with a misspelt key names it', async ({ page }) => {
  const sandbox = await startSandbox({ configOverride: { pageSise: 50 } });
  try {
    await page.goto(sandbox.appUrl);

    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Omnium Cases cannot start');
    await expect(alert).toContainText('pageSise');
  } finally {
    await sandbox.stop();
  }
});

test('config.json with a script link template names it', async ({ page }) => {
  const sandbox = await startSandbox({ configOverride: { linkTemplates: { orders: 'javascript:alert("{id}")' } } });
  try {
    await page.goto(sandbox.appUrl);

    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Omnium Cases cannot start');
    await expect(alert).toContainText('linkTemplates.orders');
    await expect(alert).toContainText('is not an http: or https: URL');
  } finally {
    await sandbox.stop();
  }
});

/** A portal page with its own styles and links that mounts the app. */
function portalPage(sandboxUrl: string, token: string): string {
  return `<!DOCTYPE html><html><head><title>Portal</title>
<style>
  body { font-family: serif; }
  button { background: rgb(255, 0, 0) !important; font-family: monospace; }
  .button { border: 7px dotted rgb(0, 128, 0); }
  header { letter-spacing: 12px; }
  #cases { --omnium-color-accent: rgb(1, 2, 3); }
</style></head><body>
<header id="portal-header">Portal header</header>
<a id="portal-link" href="/portal/orders">Orders</a>
<button id="portal-button" class="button">Portal button</button>
<div class="omnium-app"><button id="lookalike" class="button button-primary">Not the app</button></div>
<div id="cases"></div>
<script type="module">
  import { mount } from ${jsString(`${sandboxUrl}/embed.js`)};
  window.events = [];
  const element = document.getElementById('cases');
  element.addEventListener('omnium-cases:navigate', (event) => window.events.push(event.detail.path));
  window.app = await mount(element, {
    apiBaseUrl: ${jsString(sandboxUrl)},
    basePath: '/portal/cases',
    tokenSource: { kind: 'host' },
  });
  window.app.setToken(${jsString(token)});
  window.mounted = true;
</script></body></html>`;
}

test('mounted app and portal keep their styles apart', async ({ page, consoleErrors }) => {
  let html = '';
  const portal = await startServer((request) =>
    request.url?.startsWith('/portal') ? { headers: { 'content-type': 'text/html' }, body: html } : undefined,
  );
  const sandbox = await startSandbox({ args: ['--allow-origin', portal.origin] });
  try {
    html = portalPage(sandbox.url, sandbox.tokens.admin);

    await page.goto(`${portal.origin}/portal/cases`);
    await page.waitForFunction(() => (window as unknown as { mounted?: boolean }).mounted === true);

    const app = page.locator('#cases');
    await expect(app.getByRole('banner')).toContainText('Ada Lovelace');

    // The portal's rules do not reach into the app.
    const signOut = app.getByRole('button', { name: 'Sign out' });
    await expect(signOut).not.toHaveCSS('background-color', 'rgb(255, 0, 0)');
    await expect(signOut).not.toHaveCSS('border-top-style', 'dotted');
    await expect(app.getByRole('banner')).not.toHaveCSS('letter-spacing', '12px');

    // The app's rules do not reach out into the portal.
    await expect(page.locator('#lookalike')).toHaveCSS('border-top-style', 'dotted');
    await expect(page.locator('#lookalike')).toHaveCSS('font-family', 'monospace');
    await expect(page.locator('#portal-header')).toHaveCSS('letter-spacing', '12px');

    // Theming by custom property crosses the shadow boundary on purpose.
    const accent = await app
      .locator('.omnium-app')
      .first()
      .evaluate((element) => getComputedStyle(element).getPropertyValue('--color-accent').trim());
    expect(accent).toBe('rgb(1, 2, 3)');

    // Keys pressed while the portal has focus stay the portal's; inside the
    // app they are the list's shortcuts.
    const search = app.getByRole('searchbox', { name: 'Search' });
    await expect(search).toBeVisible();
    await page.locator('#portal-header').click();
    await page.keyboard.press('/');
    await expect(search).not.toBeFocused();
    await app.getByRole('heading', { name: 'Cases', level: 1 }).click();
    await page.keyboard.press('/');
    await expect(search).toBeFocused();

    // Navigation inside the app is announced to the portal.
    const events = await page.evaluate(() => (window as unknown as { events: string[] }).events);
    expect(events.some((path) => path.startsWith('/portal/cases'))).toBe(true);

    // Unmounting leaves nothing behind and raises nothing.
    await page.evaluate(() => (window as unknown as { app: { unmount(): void } }).app.unmount());
    expect(await page.locator('#cases').evaluate((element) => element.shadowRoot?.childNodes.length ?? 0)).toBe(0);
    await page.keyboard.press('/');
    await page.keyboard.press('j');

    // The portal's own links stay the portal's: a full page load follows.
    await page.locator('#portal-link').click();
    await page.waitForURL(`${portal.origin}/portal/orders`);
    expect(portal.requests).toContain('GET /portal/orders');
    expect(consoleErrors.unexpected()).toEqual([]);
  } finally {
    await sandbox.stop();
    await portal.close();
  }
});

test('mounted app leaves portal links alone', async ({ page }) => {
  let html = '';
  const portal = await startServer((request) =>
    request.url?.startsWith('/portal') ? { headers: { 'content-type': 'text/html' }, body: html } : undefined,
  );
  const sandbox = await startSandbox({ args: ['--allow-origin', portal.origin] });
  try {
    html = portalPage(sandbox.url, sandbox.tokens.admin);
    await page.goto(`${portal.origin}/portal/cases`);
    await expect(page.locator('#cases').getByRole('banner')).toContainText('Ada Lovelace');

    await page.locator('#portal-link').click();

    await page.waitForURL(`${portal.origin}/portal/orders`);
    expect(portal.requests).toContain('GET /portal/orders');
  } finally {
    await sandbox.stop();
    await portal.close();
  }
});
