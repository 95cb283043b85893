/**
 * Shared fixtures for the browser tests: a sandbox API server per test, a
 * recorder of console errors and page errors, and a sign-in helper.
 *
 * Every spec imports `test` and `expect` from here instead of from
 * `@playwright/test`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';

import { test as base, expect, type Page } from '@playwright/test';

export { expect };

const repoRoot = path.resolve(__dirname, '../..');

/** Sandbox binary; `cargo xtask test` sets `OMNIUM_SANDBOX_BIN`. */
export const sandboxBinary = process.env.OMNIUM_SANDBOX_BIN ?? path.join(repoRoot, 'target/debug/omnium-sandbox');

/** Built app that the sandbox serves; `cargo xtask test` sets `OMNIUM_DIST`. */
export const appDir = process.env.OMNIUM_DIST ?? path.join(repoRoot, 'dist');

/** The sandbox's first stdout line. */
const LISTENING_LINE = /^omnium-sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/;

/** Time the sandbox gets to seed its database and bind its port, in milliseconds. */
const START_TIMEOUT_MS = 30_000;

/** Time the sandbox gets to exit after SIGTERM before it is killed, in milliseconds. */
const STOP_TIMEOUT_MS = 5_000;

/** Lines of sandbox output kept for the failure report. */
const MAX_LOG_LINES = 2_000;

const execFileAsync = promisify(execFile);

/** The sandbox's three demo tokens, one per kind of user. */
export interface Tokens {
  admin: string;
  readOnly: string;
  noRole: string;
}

/** Route names that faults and latency apply to; `*` is every route. */
export type SandboxRoute = 'get' | 'create' | 'update' | 'patch' | 'delete' | 'search' | 'assign' | 'changestatus' | '*';

/** A fault: the sandbox fails `rate` (0 to 1) of the requests to `route` with HTTP `status`. */
export interface Fault {
  route: SandboxRoute;
  status: number;
  rate: number;
  /** Fails only this many requests, then the fault ends. */
  count?: number;
}

/** Extra delay for every request to `route`, in milliseconds. */
export interface Latency {
  route: SandboxRoute;
  ms: number;
}

/** Arguments of `omnium-sandbox token`. */
export interface TokenOptions {
  sub: string;
  name: string;
  roles?: string[];
  /** Claim that carries the roles. */
  claim?: 'role' | 'roles' | 'ms';
  /** Lifetime in seconds; a negative value makes an expired token. */
  expiresIn?: number;
}

/** Options of `startSandbox`. */
export interface SandboxOptions {
  /** Extra command-line arguments, such as `['--fault', 'search:503:1']`. */
  args?: string[];
  /** Extra environment variables for the sandbox and its `tokens` and `token` commands. */
  env?: Record<string, string>;
  /** Object written to a temporary file and passed as `--config-override`. */
  configOverride?: object;
  /** Path the app is served under, such as `/support/cases/`; passed as `--base-path`. */
  basePath?: string;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL of the API, such as `http://127.0.0.1:41234`. */
  url: string;
  /** URL of the app's start page, which includes the base path. */
  appUrl: string;
  tokens: Tokens;
  /** Replaces the fault and latency settings through the control API. */
  setFaults(faults: Fault[], latency?: Latency[]): Promise<void>;
  /** Mints a token with `omnium-sandbox token`. */
  token(options: TokenOptions): Promise<string>;
  /** Returns what the sandbox printed so far, for failure reports. */
  output(): string;
  /** Stops the sandbox and removes its temporary files. */
  stop(): Promise<void>;
}

/**
 * Starts a sandbox with an in-memory database on a free port, serving the
 * built app, and waits until it listens.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const env = { ...process.env, ...options.env };
  const args = ['--in-memory', '--port', '0', '--control', '--app-dir', appDir];
  if (options.basePath !== undefined) {
    args.push('--base-path', options.basePath);
  }

  let tempDir: string | undefined;
  if (options.configOverride !== undefined) {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'omnium-sandbox-'));
    const overridePath = path.join(tempDir, 'config-override.json');
    await writeFile(overridePath, JSON.stringify(options.configOverride));
    args.push('--config-override', overridePath);
  }
  args.push(...(options.args ?? []));

  const log: string[] = [];
  const child = spawn(sandboxBinary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    await stopProcess(child);
    if (tempDir !== undefined) {
      await rm(tempDir, { recursive: true, force: true });
    }
  };

  let url: string;
  let tokens: Tokens;
  try {
    url = await waitForListening(child, log);
    tokens = parseTokens(await runSandboxCommand(['tokens'], env));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    appUrl: new URL(options.basePath ?? '/', url).toString(),
    tokens,
    setFaults: (faults, latency = []) => putFaults(url, faults, latency),
    token: async (tokenOptions) => (await runSandboxCommand(tokenArgs(tokenOptions), env)).trim(),
    output: () => log.join('\n'),
    stop,
  };
}

/**
 * Resolves with the URL from the first stdout line, and keeps collecting
 * stdout and stderr lines into `log` afterwards.
 */
function waitForListening(child: ChildProcess, log: string[]): Promise<string> {
  const keep = (line: string) => {
    log.push(line);
    if (log.length > MAX_LOG_LINES) {
      log.shift();
    }
  };
  readline.createInterface({ input: child.stderr! }).on('line', keep);
  const stdoutLines = readline.createInterface({ input: child.stdout! });

  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      reject(new Error(`${message}\n--- sandbox output ---\n${log.join('\n')}`));
    };
    const timer = setTimeout(
      () => fail(`the sandbox printed no listening line within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );

    child.once('error', (error) =>
      fail(`failed to start the sandbox ${sandboxBinary}: ${error.message}; build it with \`cargo build -p omnium-sandbox\` or set OMNIUM_SANDBOX_BIN`),
    );
    child.once('exit', (code, signal) => fail(`the sandbox exited (code ${code}, signal ${signal}) before it listened`));

    let first = true;
    stdoutLines.on('line', (line) => {
      keep(line);
      if (!first) {
        return;
      }
      first = false;

      const match = LISTENING_LINE.exec(line.trim());
      if (match === null) {
        fail(`the sandbox's first output line is ${JSON.stringify(line)}, expected "omnium-sandbox listening on http://127.0.0.1:PORT"`);
        return;
      }
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(match[1]);
    });
  });
}

/** Sends SIGTERM, then SIGKILL if the sandbox is still running after `STOP_TIMEOUT_MS`. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function runSandboxCommand(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await execFileAsync(sandboxBinary, args, { env });
    return stdout;
  } catch (error) {
    throw new Error(`\`${sandboxBinary} ${args.join(' ')}\` failed: ${(error as Error).message}`);
  }
}

function parseTokens(json: string): Tokens {
  const value = JSON.parse(json) as Partial<Tokens>;
  for (const key of ['admin', 'readOnly', 'noRole'] as const) {
    if (typeof value[key] !== 'string') {
      throw new Error(`\`omnium-sandbox tokens\` printed no string field "${key}": ${json}`);
    }
  }
  return value as Tokens;
}

function tokenArgs(options: TokenOptions): string[] {
  const args = ['token', '--sub', options.sub, '--name', options.name];
  for (const role of options.roles ?? []) {
    args.push('--role', role);
  }
  if (options.claim !== undefined) {
    args.push('--claim', options.claim);
  }
  if (options.expiresIn !== undefined) {
    args.push('--expires-in', String(options.expiresIn));
  }
  return args;
}

async function putFaults(url: string, faults: Fault[], latency: Latency[]): Promise<void> {
  const response = await fetch(`${url}/_sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ faults, latency }),
  });
  if (!response.ok) {
    throw new Error(`PUT /_sandbox/faults failed with HTTP ${response.status}: ${await response.text()}`);
  }
}

/**
 * Console errors and uncaught page errors of every page in a test's browser
 * context. Chromium also logs each failed HTTP response as a console error,
 * so a test that provokes one declares it with `allow`.
 */
export class ConsoleErrors {
  /** Every recorded error, allowed or not, in order. */
  readonly messages: string[] = [];
  private readonly allowed: RegExp[] = [];

  /** Starts recording the errors of `page`. */
  watch(page: Page): void {
    page.on('console', (message) => {
      if (message.type() !== 'error') {
        return;
      }
      const { url, lineNumber } = message.location();
      const where = url ? ` (${url}:${lineNumber})` : '';
      this.messages.push(`console error: ${message.text()}${where}`);
    });
    page.on('pageerror', (error) => {
      this.messages.push(`page error: ${error.name}: ${error.message}`);
    });
  }

  /** Accepts errors that match `pattern`, such as the log line of an injected 503. */
  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  /** Returns the recorded errors that no `allow` pattern matches. */
  unexpected(): string[] {
    return this.messages.filter((message) => !this.allowed.some((pattern) => pattern.test(message)));
  }

  /** Fails the test if any error other than the allowed ones was recorded. */
  expectNone(): void {
    expect(this.unexpected(), 'console errors and page errors').toEqual([]);
  }
}

/**
 * Signs in on the app's sign-in page with `token` and waits until the app
 * leaves that page.
 */
export async function signIn(page: Page, appUrl: string, token: string): Promise<void> {
  await page.goto(new URL('sign-in', appUrl).toString());
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

interface Fixtures {
  /** A sandbox started for this test and stopped after it. */
  sandbox: Sandbox;
  /** Console and page errors of every page of this test. */
  consoleErrors: ConsoleErrors;
  /** Fails the test if a page logged an error that was not allowed. */
  expectNoConsoleErrors: () => void;
}

export const test = base.extend<Fixtures>({
  sandbox: async ({}, use, testInfo) => {
    const sandbox = await startSandbox();
    try {
      await use(sandbox);
    } finally {
      await sandbox.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('sandbox.log', { body: sandbox.output(), contentType: 'text/plain' });
      }
    }
  },

  // Automatic, so pages are watched from their first request even in tests
  // that only ask for `expectNoConsoleErrors` at the end.
  consoleErrors: [
    async ({ context }, use) => {
      const recorder = new ConsoleErrors();
      for (const page of context.pages()) {
        recorder.watch(page);
      }
      context.on('page', (page) => recorder.watch(page));
      await use(recorder);
    },
    { auto: true },
  ],

  expectNoConsoleErrors: async ({ consoleErrors }, use) => {
    await use(() => consoleErrors.expectNone());
  },
});
