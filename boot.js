// Loads the wasm bundle. Trunk's own loader is an inline script, which the page's
// Content-Security-Policy (script-src 'self') blocks, so Trunk.toml points its
// script pattern at this file and passes the bundle paths as data attributes.
const script = document.querySelector("script[data-bindings]");
const { bindings, wasm } = script.dataset;
const init = (await import(bindings)).default;
await init({ module_or_path: wasm });
