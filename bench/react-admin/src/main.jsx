import React from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App.jsx";

// Like the Leptos app, one build serves every tenant: the API address and the
// tenant's statuses, priorities and sources come from config.json at start.
const root = createRoot(document.getElementById("root"));

try {
  const response = await fetch(new URL("config.json", document.baseURI));
  if (!response.ok) {
    throw new Error(`loading config.json failed with HTTP ${response.status}`);
  }
  const config = await response.json();
  root.render(
    <React.StrictMode>
      <App config={config} />
    </React.StrictMode>,
  );
} catch (error) {
  root.render(<p role="alert">The console could not start: {String(error.message ?? error)}</p>);
}
