// Shared set-up for the end-to-end tests: the release dist/ served on 127.0.0.1 with the strict
// CSP, and Debian's Chromium driven by playwright-core.
import { mkdirSync, mkdtempSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

import { startServer } from "./serve.mjs";

export const RESULTS = resolve(import.meta.dirname, "test-results");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const STORAGE_KEY = "oauth2-admin.configs.v1";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts the static server and the browser; returns helpers and a close(). */
export async function start() {
  mkdirSync(RESULTS, { recursive: true });
  // Chromium leaves org.chromium.* folders in TMPDIR; keep them under the results folder.
  process.env.TMPDIR = mkdtempSync(join(RESULTS, "tmp-"));
  const server = await startServer({ dir: resolve(import.meta.dirname, "../dist") });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  /**
   * Opens a page in a fresh context and records console errors and page errors. `init` runs in
   * the page before its own scripts, with `initArg` as its argument.
   */
  async function open(url = server.url, { init, initArg } = {}) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    if (init) await context.addInitScript(init, initArg);
    const page = await context.newPage();
    const errors = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url);
    await page.getByRole("button", { name: "Add OAuth2" }).first().waitFor();
    return { page, context, errors };
  }

  return {
    url: server.url,
    open,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Returns the form control labelled exactly `label`. */
export function field(page, label) {
  return page.getByLabel(label, { exact: true });
}

/** Returns the problems (errors and warnings) listed under the field with `key`. */
export function problems(page, key, severity) {
  const selector = severity ? `[data-severity=${severity}]` : "[data-severity]";
  return page.locator(`[data-field=${key}] ${selector}`);
}

/** Returns the raw stored list from localStorage. */
export function storedText(page) {
  return page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
}

/** Returns every localStorage key and value, joined, for secret checks. */
export function allStorage(page) {
  return page.evaluate(() => Object.entries(localStorage).flat().join("\n"));
}

/** Fills localStorage with ever smaller blocks until not even one more character fits. */
export function fillStorage(page) {
  return page.evaluate(() => {
    let index = 0;
    for (let size = 1024 * 1024; size >= 1; ) {
      try {
        localStorage.setItem(`filler-${index}`, "x".repeat(size));
        index += 1;
      } catch {
        size = Math.floor(size / 2);
      }
    }
  });
}
