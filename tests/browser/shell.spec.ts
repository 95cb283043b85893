import { expect, test } from './fixtures';

test('app shell loads from the sandbox', async ({ page, sandbox, expectNoConsoleErrors }) => {
  await page.goto(sandbox.appUrl);

  await expect(page.getByRole('banner')).toContainText('Omnium Cases');
  expectNoConsoleErrors();
});
