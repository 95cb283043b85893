// Starts the app. Trunk writes the names of the generated JavaScript and
// WebAssembly files into the #omnium-boot data block; both resolve against
// the page's <base href>, so the same build runs under any path.
const bootData = document.getElementById("omnium-boot");

function showStartFailure(message) {
  const box = document.createElement("div");
  box.setAttribute("role", "alert");
  box.className = "start-failure";
  box.textContent = message;
  document.body.replaceChildren(box);
}

try {
  const files = JSON.parse(bootData.textContent);
  const bindings = await import(new URL(files.js, document.baseURI).href);
  await bindings.default({ module_or_path: new URL(files.wasm, document.baseURI).href });
  bindings.start();
} catch (error) {
  showStartFailure(
    `Omnium Cases could not start: ${error && error.message ? error.message : error}. ` +
      "Reload the page; if this persists, check that the browser supports WebAssembly.",
  );
  throw error;
}
