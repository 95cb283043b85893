import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { expect, sandboxBinary, signIn, startSandbox, test } from './fixtures';
import { jsString, startServer } from './hosts';

const execFileAsync = promisify(execFile);

/** The key under which the app keeps a token in web storage. */
const STORAGE_KEY = 'omnium-cases.token';

/** Mints a token the sandbox will reject: same claims, another signing secret. */
async function tokenWithWrongSignature(): Promise<string> {
  const { stdout } = await execFileAsync(
    sandboxBinary,
    ['token', '--sub', 'agent-ada', '--name', 'Ada Lovelace', '--role', 'CaseAdmin', '--role', 'CaseRead'],
    { env: { ...process.env, SANDBOX_JWT_SECRET: 'a-secret-the-sandbox-does-not-use' } },
  );
  return stdout.trim();
}

test('sign-in shows owner, access and expiry', async ({ page, sandbox, expectNoConsoleErrors }) => {
  await page.goto(new URL('cases?status=New', sandbox.appUrl).toString());

  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel('Access token').fill(sandbox.tokens.admin);

  const preview = page.locator('#token-preview');
  await expect(preview).toContainText('Ada Lovelace');
  await expect(preview).toContainText('case admin');
  await expect(preview).toContainText('Expires');

  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/cases\?status=New$/);
  await expect(page.getByRole('banner')).toContainText('Ada Lovelace');
  await expect(page.getByRole('banner')).toContainText(/left/);
  expectNoConsoleErrors();
});

test('pasted Bearer scheme is dropped', async ({ page, sandbox, expectNoConsoleErrors }) => {
  await page.goto(new URL('cases', sandbox.appUrl).toString());
  await page.getByLabel('Access token').fill(`Bearer ${sandbox.tokens.admin}\n`);
  await expect(page.locator('#token-preview')).toContainText('Ada Lovelace');

  const search = page.waitForRequest((request) => request.url().endsWith('/api/cases/search'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect((await search).headers().authorization).toBe(`Bearer ${sandbox.tokens.admin}`);
  await expect(page.getByRole('table', { name: 'Cases' })).toBeVisible();
  expectNoConsoleErrors();
});

test('read-only token shows the badge', async ({ page, sandbox }) => {
  await signIn(page, sandbox.appUrl, sandbox.tokens.readOnly);

  await expect(page.getByRole('banner')).toContainText('Grace Hopper');
  await expect(page.getByRole('banner').getByText('read-only', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New case' })).toHaveCount(0);
});

test('read-only token reaches no admin route', async ({ page, sandbox }) => {
  await signIn(page, sandbox.appUrl, sandbox.tokens.readOnly);

  await page.goto(new URL('cases/new', sandbox.appUrl).toString());
  await page.getByLabel('Access token').fill(sandbox.tokens.readOnly);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByText(/case-admin access/i).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /save|create/i })).toHaveCount(0);
});

test('no-role token is told it has no access', async ({ page, sandbox }) => {
  await page.goto(new URL('sign-in', sandbox.appUrl).toString());
  await page.getByLabel('Access token').fill(sandbox.tokens.noRole);

  await expect(page.locator('#token-preview')).toContainText('has no case access');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
});

test('expired token is caught before any request', async ({ page, sandbox }) => {
  const expired = await sandbox.token({ sub: 'agent-ada', name: 'Ada Lovelace', roles: ['CaseAdmin'], expiresIn: -60 });
  const apiRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) {
      apiRequests.push(request.url());
    }
  });

  await page.goto(new URL('sign-in', sandbox.appUrl).toString());
  await page.getByLabel('Access token').fill(expired);

  await expect(page.locator('#token-preview')).toContainText('has expired');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  expect(apiRequests).toEqual([]);
});

test('expired stored token asks to sign in again', async ({ page }) => {
  const sandbox = await startSandbox({ configOverride: { tokenStorage: 'session' } });
  try {
    const expired = await sandbox.token({ sub: 'agent-ada', name: 'Ada Lovelace', roles: ['CaseAdmin'], expiresIn: -60 });
    const apiRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) {
        apiRequests.push(request.url());
      }
    });
    await page.addInitScript(
      ([key, token]) => {
        if (!sessionStorage.getItem('seeded')) {
          sessionStorage.setItem(key, token);
          sessionStorage.setItem('seeded', '1');
        }
      },
      [STORAGE_KEY, expired],
    );

    await page.goto(new URL('cases', sandbox.appUrl).toString());

    const dialog = page.getByRole('dialog', { name: 'Sign in again' });
    await expect(dialog).toContainText('expired');
    expect(apiRequests).toEqual([]);

    await dialog.getByLabel('Access token').fill(sandbox.tokens.admin);
    await dialog.getByRole('button', { name: 'Sign in' }).click();

    await expect(dialog).toHaveCount(0);
    await expect(page).toHaveURL(/\/cases$/);
    await expect.poll(() => apiRequests.length).toBeGreaterThan(0);
  } finally {
    await sandbox.stop();
  }
});

test('sign-in-again dialog traps focus', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  consoleErrors.allow(/status of 401/);
  await signIn(page, sandbox.appUrl, sandbox.tokens.admin);
  await page.getByRole('table', { name: 'Cases' }).locator('tbody tr').first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // The next read is turned down, as when the token expires mid-work.
  await sandbox.setFaults([{ route: 'get', status: 401, rate: 1, count: 1 }]);
  const note = page.getByLabel('New internal note');
  await note.fill('Refund approved by phone.');
  await note.press('Control+Enter');

  const dialog = page.getByRole('dialog', { name: 'Sign in again' });
  const tokenField = dialog.getByLabel('Access token');
  const signInButton = dialog.getByRole('button', { name: 'Sign in' });
  await expect(dialog).toBeVisible();
  await expect(tokenField).toBeFocused();

  // With the field empty the button is disabled, so Tab has nowhere else to go.
  for (const key of ['Tab', 'Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    await expect(tokenField, `focus after ${key} with an empty field`).toBeFocused();
  }

  await tokenField.fill(sandbox.tokens.admin);
  await page.keyboard.press('Tab');
  await expect(signInButton).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(tokenField).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(signInButton).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(tokenField).toBeFocused();

  // Without a token nothing can continue, so Escape leaves the dialog open.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  await expect(tokenField).toBeFocused();
  await expect(note).toHaveValue('Refund approved by phone.');

  await signInButton.click();
  await expect(dialog).toHaveCount(0);
  await expect(note).toBeFocused();
  await expect(note).toHaveValue('Refund approved by phone.');

  await note.press('Control+Enter');
  await expect(note).toHaveValue('');
  expectNoConsoleErrors();
});

test('token endpoint is refreshed after a 401', async ({ page }) => {
  const rejected = await tokenWithWrongSignature();
  let sandboxOrigin = '';
  let validToken = '';
  let calls = 0;

  const portal = await startServer((request) => {
    if (request.url !== '/omnium-token') {
      return undefined;
    }
    calls += 1;
    const headers = {
      'content-type': 'application/json',
      'access-control-allow-origin': sandboxOrigin,
      'access-control-allow-credentials': 'true',
    };
    const token = calls === 1 ? rejected : validToken;
    return { headers, body: JSON.stringify({ accessToken: token, expiresIn: 3600 }) };
  });

  const sandbox = await startSandbox({
    configOverride: { tokenSource: { kind: 'endpoint', url: `${portal.origin}/omnium-token` } },
  });
  try {
    sandboxOrigin = new URL(sandbox.url).origin;
    validToken = sandbox.tokens.admin;
    const searches: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/api/cases/search')) {
        searches.push(response.status());
      }
    });

    await page.goto(new URL('cases', sandbox.appUrl).toString());

    await expect(page.getByRole('banner')).toContainText('Ada Lovelace');
    await expect.poll(() => searches).toContain(200);
    expect(searches[0]).toBe(401);
    expect(calls).toBe(2);
    await expect(page.getByRole('dialog', { name: 'Sign in again' })).toHaveCount(0);
  } finally {
    await sandbox.stop();
    await portal.close();
  }
});

/** A portal page that frames the app and answers its token requests. */
function framingPage(appUrl: string, token: string, appOrigin: string): string {
  return `<!DOCTYPE html><html><head><title>Portal</title></head><body>
<h1>Portal</h1>
<iframe id="cases" title="Omnium Cases" src=${jsString(appUrl)} width="1000" height="700"></iframe>
<script>
  const frame = document.getElementById('cases');
  window.tokenRequests = 0;
  window.addEventListener('message', (event) => {
    if (event.source === frame.contentWindow && event.data && event.data.type === 'omnium-cases:token-request') {
      window.tokenRequests += 1;
      frame.contentWindow.postMessage({ type: 'omnium-cases:token', token: ${jsString(token)} }, ${jsString(appOrigin)});
    }
  });
  window.pushToken = () => {
    frame.contentWindow.postMessage({ type: 'omnium-cases:token', token: ${jsString(token)} }, ${jsString(appOrigin)});
    frame.contentWindow.postMessage({ type: 'test:marker' }, ${jsString(appOrigin)});
  };
</script></body></html>`;
}

test('iframe host hands over a token', async ({ page }) => {
  let html = '';
  const portal = await startServer(() => ({ headers: { 'content-type': 'text/html' }, body: html }));
  const sandbox = await startSandbox({
    configOverride: { tokenSource: { kind: 'host' }, allowedParentOrigins: [portal.origin] },
  });
  try {
    html = framingPage(new URL('cases', sandbox.appUrl).toString(), sandbox.tokens.admin, new URL(sandbox.url).origin);

    await page.goto(`${portal.origin}/portal`);

    const app = page.frameLocator('#cases');
    const requests = () => page.evaluate(() => (window as unknown as { tokenRequests: number }).tokenRequests);
    await expect(app.getByRole('banner')).toContainText('Ada Lovelace');
    const atStart = await requests();
    expect(atStart).toBeGreaterThan(0);

    // Signing out inside the frame requests a token from the portal again,
    // and the portal sends one.
    await app.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(requests).toBeGreaterThan(atStart);
    await expect(app.getByRole('banner')).toContainText('Ada Lovelace');
  } finally {
    await sandbox.stop();
    await portal.close();
  }
});

test('iframe ignores a token from another origin', async ({ page }) => {
  let html = '';
  const portal = await startServer(() => ({ headers: { 'content-type': 'text/html' }, body: html }));
  const sandbox = await startSandbox({
    configOverride: { tokenSource: { kind: 'host' }, allowedParentOrigins: ['https://portal.example.com'] },
  });
  try {
    html = framingPage(new URL('cases', sandbox.appUrl).toString(), sandbox.tokens.admin, new URL(sandbox.url).origin);
    const apiRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/')) {
        apiRequests.push(request.url());
      }
    });

    await page.goto(`${portal.origin}/portal`);
    const app = page.frameLocator('#cases');
    await expect(app.getByText('Waiting for the portal to provide an access token')).toBeVisible();
    await expect(app.getByText(/listed in allowedParentOrigins in config\.json/)).toBeVisible({ timeout: 15_000 });

    // Messages arrive in order: once the marker is seen, the token message
    // before it has been handled (and must have been ignored).
    const frame = page.frames().find((candidate) => candidate.url().startsWith(sandbox.url))!;
    await frame.evaluate(() => {
      (window as unknown as { markerSeen: Promise<void> }).markerSeen = new Promise<void>((resolve) =>
        window.addEventListener('message', (event) => event.data?.type === 'test:marker' && resolve()),
      );
    });
    await page.evaluate(() => (window as unknown as { pushToken: () => void }).pushToken());
    await frame.evaluate(() => (window as unknown as { markerSeen: Promise<void> }).markerSeen);

    await expect(app.getByText('Waiting for the portal to provide an access token')).toBeVisible();
    await expect(app.getByRole('banner')).not.toContainText('Ada Lovelace');
    expect(apiRequests).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { tokenRequests: number }).tokenRequests)).toBe(0);
  } finally {
    await sandbox.stop();
    await portal.close();
  }
});

test('token leaks into no URL, log or storage', async ({ page, sandbox }) => {
  const token = sandbox.tokens.admin;
  const payload = token.split('.')[1];
  const urls: string[] = [];
  const messages: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  page.on('console', (message) => messages.push(message.text()));

  await signIn(page, sandbox.appUrl, token);
  await page.goto(new URL('cases?q=parcel', sandbox.appUrl).toString());
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/q=parcel/);
  const caseLink = page.locator('a[href*="/cases/"]').first();
  if (await caseLink.count()) {
    await caseLink.click();
    await page.goBack();
  }
  const storage = await page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    history: window.location.href,
  }));
  await page.getByRole('button', { name: 'Sign out' }).click();

  for (const text of [...urls, ...messages, storage.local, storage.session, storage.history]) {
    expect(text).not.toContain(token);
    expect(text).not.toContain(payload);
  }
});
