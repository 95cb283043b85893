import path from 'node:path';

import { defineConfig } from '@playwright/test';

const repoRoot = path.resolve(__dirname, '../..');

/**
 * Flags for Debian's Chromium running as root in a closed network. Without
 * the networking flags Chromium keeps trying to reach Google's services.
 */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: path.join(repoRoot, 'target/browser-tests/artifacts'),
  // Each test starts its own sandbox, so tests in one file may run in parallel.
  fullyParallel: true,
  // Each worker runs a Chromium and a sandbox, and the CI machine has 2 cores.
  // `npx playwright test --workers N` overrides this.
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ?? path.join(repoRoot, 'target/browser-tests/results.json'),
      },
    ],
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
