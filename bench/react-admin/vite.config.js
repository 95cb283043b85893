import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Vite's production defaults (minified, tree-shaken, one entry chunk) are what
// such a console would ship, so nothing here tunes the output size.
export default defineConfig({
  plugins: [react()],
  base: "./",
});
