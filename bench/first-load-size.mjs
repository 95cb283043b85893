#!/usr/bin/env node
// Measures what a browser transfers on an app's first page load: serves a
// built folder on 127.0.0.1, opens its start page in headless Chromium, and
// records every response until the network has been idle for a while. Each
// body is compressed here (gzip at zlib level 9, brotli at quality 11), so
// the numbers do not depend on how a given host compresses.
//
// Usage:
//   node bench/first-load-size.mjs DIR [--path /] [--wait-for-label TEXT] [--json]
//   node bench/first-load-size.mjs --compare [--no-build] [--max-ratio 0.5] [--json | --markdown]
//
// --compare builds the Leptos app (trunk build --release) and the react-admin
// baseline in bench/react-admin (vite build), measures both start pages and
// prints the ratio of their gzip totals. It exits with status 1 when the
// Leptos total is more than --max-ratio times the react-admin total.

import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASELINE_DIR = path.join(REPO, "bench/react-admin");
const TOOLS_DIR = path.join(REPO, "tools");
const DEFAULT_LEPTOS_DIST = path.join(REPO, "target/first-load/leptos");
const DEFAULT_BASELINE_DIST = path.join(REPO, "target/first-load/react-admin");

// Both start pages are sign-in pages whose token field has this label. The
// first load counts as done once that field is visible and the network is idle.
const SIGN_IN_LABEL = "Access token";

// How long no request may be in flight before the first load counts as over,
// the same quiet period as Playwright's "networkidle".
const QUIET_MS = 500;
const LOAD_TIMEOUT_MS = 60_000;

// Flags for Debian's Chromium running as root on a machine without outside
// network. Without the background-networking ones, Chromium keeps opening
// connections to Google's hosts that the closed network refuses.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

const USAGE = `Usage:
  node bench/first-load-size.mjs DIR [--path /] [--wait-for-label TEXT] [--json]
      Serve the built folder DIR on 127.0.0.1, load --path (default /) in headless
      Chromium and print every response of the first load with its raw, gzip -9 and
      brotli -11 size. --wait-for-label waits until a form field with that label is
      visible before waiting for the network to go idle.
  node bench/first-load-size.mjs --compare [--no-build] [--max-ratio R] [--json | --markdown]
      Build the Leptos app (trunk build --release) into ${path.relative(REPO, DEFAULT_LEPTOS_DIST)}
      and the react-admin baseline (vite build) into ${path.relative(REPO, DEFAULT_BASELINE_DIST)},
      measure both sign-in pages and print the ratio of the gzip totals. Exits with
      status 1 when the ratio is above R (default 0.5). --no-build measures the folders
      as they are. --markdown prints the tables for docs/BENCHMARKS.md.
`;

function parseArgs(argv) {
  const options = {
    compare: false,
    build: true,
    json: false,
    markdown: false,
    maxRatio: 0.5,
    path: "/",
    waitForLabel: null,
    dir: null,
  };

  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = () => {
      index += 1;
      if (index >= argv.length) {
        throw new Error(`option ${arg} needs a value`);
      }
      return argv[index];
    };

    switch (arg) {
      case "--compare":
        options.compare = true;
        break;
      case "--no-build":
        options.build = false;
        break;
      case "--json":
        options.json = true;
        break;
      case "--markdown":
        options.markdown = true;
        break;
      case "--max-ratio": {
        const text = value();
        options.maxRatio = Number(text);
        if (!Number.isFinite(options.maxRatio) || options.maxRatio <= 0) {
          throw new Error(`invalid --max-ratio ${JSON.stringify(text)}: expected a positive number`);
        }
        break;
      }
      case "--path":
        options.path = value();
        break;
      case "--wait-for-label":
        options.waitForLabel = value();
        break;
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        if (arg.startsWith("--") || options.dir !== null) {
          throw new Error(`unexpected argument ${JSON.stringify(arg)}: run with --help for the usage`);
        }
        options.dir = path.resolve(arg);
    }
  }

  if (!options.compare && options.dir === null) {
    throw new Error("name a built folder to measure, or pass --compare: run with --help for the usage");
  }
  if (options.json && options.markdown) {
    throw new Error("--json and --markdown cannot be combined: pass one of them");
  }
  return options;
}

// ---------------------------------------------------------------------------
// Static server

/** Maps a request path to a file in `root`, or null when it leaves `root`. */
function resolveFile(root, requestPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(requestPath.split("?")[0]);
  } catch {
    return null;
  }

  const file = path.resolve(root, "." + path.posix.normalize("/" + decoded));
  if (file !== root && !file.startsWith(root + path.sep)) {
    return null;
  }
  return file;
}

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Starts a static server for `root` on 127.0.0.1 at a free port. A path
 * without a file extension that names no file gets index.html, as from a
 * single-page app's host. Any other missing file gets 404. Bodies are sent
 * uncompressed and uncached, because this script compresses them itself.
 */
function serveFolder(root) {
  const server = createServer(async (request, response) => {
    let file = resolveFile(root, request.url ?? "/");
    if (file !== null && !isFile(file)) {
      const dirIndex = path.join(file, "index.html");
      if (isFile(dirIndex)) {
        file = dirIndex;
      } else if (path.extname(file) === "") {
        file = path.join(root, "index.html");
      } else {
        file = null;
      }
    }

    if (file === null) {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
      response.end("not found");
      return;
    }

    try {
      const body = await readFile(file);
      response.writeHead(200, {
        "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-store",
      });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch (error) {
      response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      response.end(`failed to read ${path.basename(file)}: ${error.message}`);
    }
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// ---------------------------------------------------------------------------
// Measuring

function loadPlaywright() {
  const require = createRequire(path.join(REPO, "tests/browser/package.json"));
  try {
    return require("playwright-core");
  } catch {
    throw new Error(
      "playwright-core is not installed in tests/browser: run `npm ci` in tests/browser, then rerun",
    );
  }
}

/**
 * Counts the page's requests in flight, so the first load can be waited out:
 * `waitForIdle` resolves once none has been in flight for QUIET_MS.
 */
function trackNetwork(page) {
  let inFlight = 0;
  let lastChange = Date.now();

  const started = () => {
    inFlight += 1;
    lastChange = Date.now();
  };
  const ended = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastChange = Date.now();
  };
  page.on("request", started);
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);

  return {
    async waitForIdle() {
      const deadline = Date.now() + LOAD_TIMEOUT_MS;
      while (inFlight > 0 || Date.now() - lastChange < QUIET_MS) {
        if (Date.now() > deadline) {
          throw new Error(`the network did not go idle within ${LOAD_TIMEOUT_MS} ms (${inFlight} requests in flight)`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

function compressedSizes(body) {
  return {
    raw: body.length,
    gzip: zlib.gzipSync(body, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }).length,
  };
}

/**
 * Loads `startPath` from a server for `dir` in a fresh headless Chromium
 * profile and returns every response of the first load with its sizes.
 */
async function measure(dir, { startPath = "/", waitForLabel = null } = {}) {
  if (!isFile(path.join(dir, "index.html"))) {
    throw new Error(`${dir} has no index.html: build the app first`);
  }

  const { chromium } = loadPlaywright();
  const server = await serveFolder(dir);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

  try {
    const context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    const pending = [];
    const failures = [];
    const consoleErrors = [];

    page.on("response", (response) => {
      pending.push(
        response
          .body()
          .catch(() => Buffer.alloc(0))
          .then((body) => ({
            url: response.url(),
            status: response.status(),
            type: response.request().resourceType(),
            contentType: response.headers()["content-type"] ?? "",
            ...compressedSizes(body),
          })),
      );
    });
    page.on("requestfailed", (request) => {
      failures.push({ url: request.url(), error: request.failure()?.errorText ?? "failed" });
    });
    page.on("console", (message) => {
      if (message.type() === "error") {
        const source = message.location()?.url;
        consoleErrors.push(source ? `${message.text()} (${source})` : message.text());
      }
    });

    const network = trackNetwork(page);
    await page.goto(origin + startPath, { waitUntil: "load", timeout: LOAD_TIMEOUT_MS });
    if (waitForLabel !== null) {
      await page.getByLabel(waitForLabel).first().waitFor({ state: "visible", timeout: LOAD_TIMEOUT_MS });
    }
    await network.waitForIdle();

    const finalUrl = new URL(page.url());
    const finalPath = finalUrl.pathname + finalUrl.hash;
    if (process.env.FIRST_LOAD_SCREENSHOT) {
      await page.screenshot({ path: process.env.FIRST_LOAD_SCREENSHOT });
    }
    const responses = (await Promise.all(pending)).map((entry) => ({
      ...entry,
      path: entry.url.startsWith(origin) ? entry.url.slice(origin.length) : entry.url,
    }));
    await context.close();

    const counted = responses.filter((entry) => entry.status >= 200 && entry.status < 300);
    const total = counted.reduce(
      (sum, entry) => ({
        raw: sum.raw + entry.raw,
        gzip: sum.gzip + entry.gzip,
        brotli: sum.brotli + entry.brotli,
      }),
      { raw: 0, gzip: 0, brotli: 0 },
    );

    return {
      dir,
      startPath,
      finalPath,
      browser: browser.version(),
      responses,
      failures,
      consoleErrors,
      total,
    };
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

// ---------------------------------------------------------------------------
// Building

function run(command, args, options = {}) {
  process.stderr.write(`$ ${[command, ...args].join(" ")}\n`);
  execFileSync(command, args, { stdio: ["ignore", process.stderr, process.stderr], ...options });
}

function read(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], ...options })
      .trim()
      .split("\n")[0];
  } catch {
    return "not found";
  }
}

function packageVersion(dir, name) {
  try {
    return JSON.parse(readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "not installed";
  }
}

function lockedVersion(dir, name) {
  const lock = JSON.parse(readFileSync(path.join(dir, "package-lock.json"), "utf8"));
  return lock.packages?.[`node_modules/${name}`]?.version ?? null;
}

/** Runs `npm ci` in `dir` unless `package` is installed at its locked version. */
function ensureNpmInstall(dir, name) {
  if (packageVersion(dir, name) === lockedVersion(dir, name)) {
    return;
  }
  run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir });
}

function toolPath() {
  return `${path.join(TOOLS_DIR, "node_modules/.bin")}${path.delimiter}${process.env.PATH}`;
}

function buildLeptos(dist) {
  ensureNpmInstall(TOOLS_DIR, "binaryen");
  run("trunk", ["build", "--release", "--dist", dist], {
    cwd: REPO,
    env: { ...process.env, PATH: toolPath() },
  });
}

function buildBaseline(dist) {
  ensureNpmInstall(BASELINE_DIR, "react-admin");
  run(path.join(BASELINE_DIR, "node_modules/.bin/vite"), ["build", "--outDir", dist, "--emptyOutDir"], {
    cwd: BASELINE_DIR,
  });
}

function machineFacts(browserVersion) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    rustc: read("rustc", ["-V"]),
    trunk: read("trunk", ["-V"]),
    wasmOpt: read("wasm-opt", ["--version"], { env: { ...process.env, PATH: toolPath() } }),
    node: process.version,
    vite: packageVersion(BASELINE_DIR, "vite"),
    reactAdmin: packageVersion(BASELINE_DIR, "react-admin"),
    react: packageVersion(BASELINE_DIR, "react"),
    mui: packageVersion(BASELINE_DIR, "@mui/material"),
    chromium: browserVersion,
  };
}

// ---------------------------------------------------------------------------
// Output

const kB = (bytes) => (bytes / 1000).toFixed(1);

function textTable(title, result) {
  const rows = result.responses.map((entry) => [
    entry.path,
    entry.status >= 200 && entry.status < 300 ? entry.type : `${entry.type} (${entry.status}, not counted)`,
    kB(entry.raw),
    kB(entry.gzip),
    kB(entry.brotli),
  ]);
  rows.push(["total", `${result.responses.length} responses`, kB(result.total.raw), kB(result.total.gzip), kB(result.total.brotli)]);

  const header = ["file", "type", "raw kB", "gzip kB", "brotli kB"];
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (row) =>
    row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");

  const lines = [`${title}: ${result.dir}, start ${result.startPath} -> ${result.finalPath}`, line(header)];
  lines.push(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) {
    lines.push(line(row));
  }
  for (const failure of result.failures) {
    lines.push(`failed request: ${failure.url} (${failure.error})`);
  }
  for (const message of result.consoleErrors) {
    lines.push(`console error: ${message}`);
  }
  return lines.join("\n");
}

function markdownTable(result) {
  const lines = ["| file | type | raw bytes | gzip bytes | brotli bytes |", "|---|---|--:|--:|--:|"];
  for (const entry of result.responses) {
    const counted = entry.status >= 200 && entry.status < 300;
    const type = counted ? entry.type : `${entry.type} (HTTP ${entry.status}, not counted)`;
    lines.push(`| \`${entry.path}\` | ${type} | ${entry.raw} | ${entry.gzip} | ${entry.brotli} |`);
  }
  lines.push(`| **total** | | **${result.total.raw}** | **${result.total.gzip}** | **${result.total.brotli}** |`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------

async function compare(options) {
  const leptosDist = DEFAULT_LEPTOS_DIST;
  const baselineDist = DEFAULT_BASELINE_DIST;

  if (options.build) {
    buildLeptos(leptosDist);
    buildBaseline(baselineDist);
  }

  const waitForLabel = SIGN_IN_LABEL;
  const leptos = await measure(leptosDist, { waitForLabel });
  const baseline = await measure(baselineDist, { waitForLabel });
  const ratio = leptos.total.gzip / baseline.total.gzip;
  const brotliRatio = leptos.total.brotli / baseline.total.brotli;
  const report = {
    date: new Date().toISOString(),
    machine: machineFacts(leptos.browser),
    leptos,
    reactAdmin: baseline,
    ratio,
    brotliRatio,
    maxRatio: options.maxRatio,
    withinBudget: ratio <= options.maxRatio,
  };

  if (options.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  } else if (options.markdown) {
    const lines = [
      `Leptos app (\`trunk build --release\`):`,
      "",
      markdownTable(leptos),
      "",
      `react-admin baseline (\`vite build\`):`,
      "",
      markdownTable(baseline),
      "",
      `Ratio of gzip totals: ${leptos.total.gzip} / ${baseline.total.gzip} = **${ratio.toFixed(3)}** (brotli: ${brotliRatio.toFixed(3)}); budget ${options.maxRatio}.`,
      "",
      "```json",
      JSON.stringify({ date: report.date, machine: report.machine }, null, 2),
      "```",
    ];
    process.stdout.write(lines.join("\n") + "\n");
  } else {
    process.stdout.write(`${textTable("Leptos app", leptos)}\n\n${textTable("react-admin baseline", baseline)}\n\n`);
    process.stdout.write(
      `gzip total: Leptos ${kB(leptos.total.gzip)} kB, react-admin ${kB(baseline.total.gzip)} kB, ratio ${ratio.toFixed(3)} (budget ${options.maxRatio})\n`,
    );
    process.stdout.write(`brotli total: Leptos ${kB(leptos.total.brotli)} kB, react-admin ${kB(baseline.total.brotli)} kB, ratio ${brotliRatio.toFixed(3)}\n`);
    process.stdout.write(`machine: ${JSON.stringify(report.machine)}\n`);
  }

  if (!report.withinBudget) {
    process.stderr.write(
      `first-load size over budget: the Leptos app's gzip total is ${ratio.toFixed(3)} of react-admin's, above ${options.maxRatio}\n`,
    );
    process.exitCode = 1;
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));

  if (options.compare) {
    await compare(options);
    return;
  }

  const result = await measure(options.dir, { startPath: options.path, waitForLabel: options.waitForLabel });
  if (options.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  } else if (options.markdown) {
    process.stdout.write(markdownTable(result) + "\n");
  } else {
    process.stdout.write(textTable("first load", result) + "\n");
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(2);
  });
}
