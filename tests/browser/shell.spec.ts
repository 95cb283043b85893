import { expect, test } from './fixtures';

test('app shell loads from the sandbox', async ({ page, sandbox, expectNoConsoleErrors }) => {
  await page.goto(sandbox.appUrl);

  await expect(page.getByRole('banner')).toContainText('Omnium Cases');
  expectNoConsoleErrors();
});

test('standalone app announces on window', async ({ page, sandbox, expectNoConsoleErrors }) => {
  await page.addInitScript(() => {
    const events: unknown[] = [];
    (window as unknown as { events: unknown[] }).events = events;
    window.addEventListener('omnium-cases:navigate', (event) => events.push((event as CustomEvent).detail));
  });
  await page.goto(new URL('cases?q=parcel', sandbox.appUrl).toString());
  await expect(page.getByLabel('Access token')).toBeVisible();

  const events = () => page.evaluate(() => (window as unknown as { events: { path: string }[] }).events);
  await expect.poll(async () => (await events()).map((event) => event.path)).toContain(
    new URL('sign-in', sandbox.appUrl).pathname,
  );
  expectNoConsoleErrors();
});
