// Embeds the OAuth2 configuration manager in any page, in one of two ways:
//
//   import { mount } from "./oauth2-config-manager.js";
//   const manager = await mount(element, { apiBase: "/api" });
//   manager.setToken(token); manager.unmount();
//
//   <script type="module" src="./oauth2-config-manager.js"></script>
//   <oauth2-config-manager api-base="/api"></oauth2-config-manager>
//
// Both render into a shadow root, so the portal's CSS cannot reach the manager and the manager's
// CSS styles nothing outside it. Events (oauth2-config-saved, -deleted, -conflict, -error) bubble
// out of the element with { id, name } in `detail`, never a secret.
import init, { mountManager } from "./oauth2-admin.js";

const here = new URL(".", import.meta.url);
const stylesheet = new URL("manager.css", here).href;
let loading = null;

/** Loads the wasm once for every manager on the page. */
function load() {
  loading ??= init({ module_or_path: new URL("oauth2-admin_bg.wasm", here) });
  return loading;
}

/**
 * Mounts a manager in `element` and resolves to a handle.
 * Options: apiBase (URL of the admin API; without it, configurations stay in this browser),
 * token (bearer token; without it, same-origin cookies are used), initialRoute ("list", "new"
 * or "edit:<id>").
 */
export async function mount(element, options = {}) {
  if (!(element instanceof Element)) throw new TypeError("mount(element, options): element must be a DOM element");
  await load();
  const handle = mountManager(element, { ...options, stylesheet });
  let mounted = true;
  return {
    setToken(token) {
      if (mounted) handle.setToken(token ?? undefined);
    },
    setApiBase(apiBase) {
      if (mounted) handle.setApiBase(apiBase ?? undefined);
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      handle.unmount();
      handle.free();
    },
  };
}

/** `<oauth2-config-manager api-base="/api" initial-route="new">`; set `.token` for a bearer token. */
export class OAuth2ConfigManagerElement extends HTMLElement {
  static observedAttributes = ["api-base"];

  #handle = null;
  #mounting = null;
  #token = undefined;

  /** Sets the bearer token. It is a property, not an attribute, so it never appears in the DOM. */
  set token(value) {
    this.#token = value ?? undefined;
    this.#handle?.setToken(this.#token);
  }

  connectedCallback() {
    const mounting = mount(this, {
      apiBase: this.getAttribute("api-base") ?? undefined,
      token: this.#token,
      initialRoute: this.getAttribute("initial-route") ?? undefined,
    });
    this.#mounting = mounting;
    mounting.then(
      (handle) => {
        // The element may have been removed, or moved and mounted again, while loading.
        if (this.#mounting !== mounting) {
          handle.unmount();
          return;
        }
        this.#handle = handle;
      },
      (error) => this.#fail(error),
    );
  }

  disconnectedCallback() {
    this.#mounting = null;
    this.#handle?.unmount();
    this.#handle = null;
  }

  attributeChangedCallback(name, previous, value) {
    if (name === "api-base" && previous !== value) this.#handle?.setApiBase(value);
  }

  #fail(error) {
    const detail = { id: "", name: "", message: `The OAuth2 configuration manager failed to load: ${error.message}` };
    this.dispatchEvent(new CustomEvent("oauth2-config-error", { bubbles: true, composed: true, detail }));
  }
}

if (!customElements.get("oauth2-config-manager")) {
  customElements.define("oauth2-config-manager", OAuth2ConfigManagerElement);
}
