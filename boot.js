// Loads the wasm bundle. Trunk's own loader is an inline script, which the page's
// Content-Security-Policy (script-src 'self') blocks, so Trunk.toml points its
// script pattern at this file and passes the bundle paths as data attributes.
const script = document.querySelector("script[data-bindings]");
const { bindings, wasm } = script.dataset;

// The service worker keeps the page usable offline. When it has cached a newer build it posts a message,
// and the page offers a reload; a tab never switches builds by itself.
if ("serviceWorker" in navigator) {
  const loaded = new URL(wasm, document.baseURI).href;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "oauth2-admin-update" && event.data.wasm !== loaded) {
      window.dispatchEvent(new CustomEvent("oauth2-admin-update"));
    }
  });
  navigator.serviceWorker.register("./sw.js").catch((error) => {
    console.warn(`Offline use is unavailable: the service worker did not register (${error.message}).`);
  });
}

const init = (await import(bindings)).default;
await init({ module_or_path: wasm });
