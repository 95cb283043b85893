// The mount API for embedding the console into a portal page:
//
//   import { mount } from "https://cdn.example.com/support/cases/embed.js";
//   const app = await mount(document.getElementById("cases"), {
//     apiBaseUrl: "https://api.omnium.no",
//     basePath: "/portal/cases",
//     tokenSource: { kind: "host" },
//   });
//   app.setToken(token);   // at start and whenever the portal has a new one
//   app.unmount();         // when the portal removes the console
//
// The generated file names are read from the index.html beside this file, so
// this file keeps one name across builds. Serve it with `Cache-Control:
// no-cache`, like index.html.

const appRoot = new URL("./", import.meta.url);
let loading = null;

async function loadApp() {
  const indexUrl = new URL("index.html", appRoot);
  const response = await fetch(indexUrl, { cache: "no-cache" });

  if (!response.ok) {
    throw new Error(`Omnium Cases: loading ${indexUrl} failed with HTTP ${response.status}.`);
  }

  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const bootData = page.getElementById("omnium-boot");

  if (!bootData) {
    throw new Error(`Omnium Cases: ${indexUrl} is not an Omnium Cases build (no #omnium-boot).`);
  }

  const files = JSON.parse(bootData.textContent);
  const stylesheets = [...page.querySelectorAll('link[rel="stylesheet"]')].map((link) => ({
    href: new URL(link.getAttribute("href"), appRoot).href,
    integrity: link.getAttribute("integrity"),
  }));

  const bindings = await import(new URL(files.js, appRoot).href);
  await bindings.default({ module_or_path: new URL(files.wasm, appRoot).href });

  return { bindings, stylesheets };
}

/**
 * Mounts the console into `element`, inside a shadow root so the page's
 * styles and the console's stay apart. `settings` takes the keys of
 * config.json. Returns `{ setToken(token), unmount() }`.
 */
export async function mount(element, settings) {
  if (!(element instanceof HTMLElement)) {
    throw new TypeError("Omnium Cases: mount(element, settings) needs an HTML element.");
  }

  loading ??= loadApp();
  const { bindings, stylesheets } = await loading;
  const app = bindings.mount(element, settings ?? {}, stylesheets);

  return {
    setToken: (token) => app.setToken(String(token)),
    unmount: () => {
      app.unmount();
      app.free();
    },
  };
}
