#!/usr/bin/env node
// Times the case list in headless Chromium against a sandbox with many
// seeded cases:
//   - cold load: from the start of navigation to the first result row drawn,
//     in a fresh browser context (empty cache) each run;
//   - settled keystroke: from the last key of a typed query to the rows of
//     that query drawn, which includes the 300 ms search debounce.
//
// Usage, from the repository root, after `cargo xtask dist` and
// `cargo build -p omnium-sandbox --profile server`:
//   node bench/list-timing.mjs [--runs 15] [--seed-count 100000]
//     [--dist dist] [--sandbox target/server/omnium-sandbox] [--json]
//
// Times come from the page's own clock (performance.now), so the test
// driver's overhead is not in them. The sandbox runs on loopback.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repoRoot, 'tests/browser/package.json'));
const { chromium } = require('@playwright/test');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Queries typed for the keystroke timing; each matches seeded cases, so rows are drawn. */
const QUERIES = ['refund', 'warranty', 'delivery', 'exchange', 'account'];

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

const runs = Number(option('runs', '15'));
const seedCount = option('seed-count', '100000');
const distDir = path.resolve(repoRoot, option('dist', 'dist'));
const sandboxBin = path.resolve(repoRoot, option('sandbox', 'target/server/omnium-sandbox'));
const asJson = process.argv.includes('--json');

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function summary(values) {
  return { runs: values.length, medianMs: percentile(values, 0.5), p95Ms: percentile(values, 0.95) };
}

async function startSandbox() {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'omnium-bench-'));
  const overridePath = path.join(tempDir, 'config.json');
  // Session storage lets each fresh page start signed in, without a sign-in
  // page in the measured load.
  writeFileSync(overridePath, JSON.stringify({ tokenStorage: 'session' }));

  const child = spawn(
    sandboxBin,
    ['--in-memory', '--port', '0', '--seed-count', seedCount, '--app-dir', distDir, '--config-override', overridePath],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const firstLine = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sandbox exited with code ${code} before it listened`)));
    readline.createInterface({ input: child.stdout }).once('line', resolve);
  });
  const url = firstLine.trim().split(' ').pop();
  const tokens = JSON.parse(execFileSync(sandboxBin, ['tokens'], { encoding: 'utf8' }));

  return {
    url,
    token: tokens.readOnly,
    stop() {
      child.kill('SIGTERM');
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** Installs a recorder of when result rows were drawn, on the page's clock. */
function recordRows(token) {
  sessionStorage.setItem('omnium-cases.token', token);
  window.__rows = [];
  window.__states = [];
  new MutationObserver(() => {
    const first = document.querySelector('.results tbody tr');
    const busy = document.querySelector('.results')?.getAttribute('aria-busy') === 'true';
    const state = { at: performance.now(), busy, text: first?.textContent ?? '', url: location.search };
    const last = window.__states[window.__states.length - 1];
    if (!last || last.busy !== state.busy || last.text !== state.text || last.url !== state.url) {
      window.__states.push(state);
    }
    if (first && !busy && window.__rows.length === 0) {
      window.__rows.push(state);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
}

async function main() {
  const sandbox = await startSandbox();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const coldLoads = [];
  const keystrokes = [];

  try {
    for (let run = 0; run < runs; run += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(recordRows, sandbox.token);

      await page.goto(`${sandbox.url}/cases`);
      await page.waitForFunction(() => window.__rows.length > 0);
      coldLoads.push(await page.evaluate(() => window.__rows[0].at));

      const query = QUERIES[run % QUERIES.length];
      const search = page.getByLabel('Search', { exact: true });
      await search.click();
      await page.evaluate(() => {
        window.__lastKey = 0;
        document.addEventListener('keydown', () => (window.__lastKey = performance.now()), true);
      });
      await page.keyboard.type(query);
      // The new rows are drawn when the search for the typed query has
      // finished: the first state after the last key with that query in the
      // URL, rows present and no search running, after one had started.
      const settledAt = (expected) => {
        const states = window.__states.filter((state) => state.at > window.__lastKey);
        const started = states.findIndex((state) => state.busy && state.url.includes(`q=${expected}`));
        if (started === -1) {
          return null;
        }
        const done = states.slice(started).find((state) => !state.busy && state.text !== '');
        return done ? done.at - window.__lastKey : null;
      };
      await page.waitForFunction(settledAt, query);
      keystrokes.push(await page.evaluate(settledAt, query));

      await context.close();
    }
  } finally {
    await browser.close();
    sandbox.stop();
  }

  const results = { seedCount: Number(seedCount), coldLoad: summary(coldLoads), settledKeystroke: summary(keystrokes) };

  if (asJson) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }

  console.log(`Case list timings over ${runs} runs, ${seedCount} seeded cases:`);
  console.log(`  cold load to first rows:         median ${results.coldLoad.medianMs.toFixed(0)} ms, p95 ${results.coldLoad.p95Ms.toFixed(0)} ms`);
  console.log(`  last keystroke to the new rows:  median ${results.settledKeystroke.medianMs.toFixed(0)} ms, p95 ${results.settledKeystroke.p95Ms.toFixed(0)} ms (includes the 300 ms debounce)`);
}

await main();
