// Offline use end to end: the page opens with no network once it has been opened before, and
// changes made offline reach the server once it is back, with no duplicates.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

import { TOKEN, freePort, listConfigs, startServer, stopServer } from "./admin-server.mjs";
import { CHROMIUM, CHROMIUM_ARGS, RESULTS, field } from "./harness.mjs";

let server;
let port;
let dataDir;

before(async () => {
  mkdirSync(RESULTS, { recursive: true });
  process.env.TMPDIR = mkdtempSync(join(RESULTS, "tmp-"));
  dataDir = mkdtempSync(join(RESULTS, "offline-"));
  port = await freePort();
  server = startServer({ port, dataDir });
  await server.ready;
});

after(async () => {
  if (server) await stopServer(server);
});

/** Opens the page in a browser profile kept in `profile`, signed in for this tab. */
async function openProfile(profile, { offline = false } = {}) {
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
  await context.addInitScript((token) => sessionStorage.setItem("oauth2-admin.token", JSON.stringify(token)), TOKEN);
  if (offline) await context.setOffline(true);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.locator("[data-mode=server]").waitFor();
  return { context, page };
}

async function addConfig(page, name, scopes) {
  await page.getByRole("button", { name: "Add OAuth2" }).click();
  await field(page, "Name").fill(name);
  await field(page, "Client ID").fill(`${name.toLowerCase().replaceAll(" ", "-")}-client`);
  await field(page, "Grant Type").selectOption("refresh_token");
  await field(page, "Token URL").fill("https://auth.example.com/oauth/token");
  await field(page, "Scopes").fill(scopes);
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("rowheader", { name }).waitFor();
}

function row(page, name) {
  return page.locator("tr", { has: page.getByRole("rowheader", { name }) });
}

test("drafted offline, reopened offline, synced online", async () => {
  const profile = mkdtempSync(join(RESULTS, "profile-"));
  let { context, page } = await openProfile(profile);
  await addConfig(page, "Online first", "read");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null || caches.has("oauth2-admin-shell-v1"));

  await context.setOffline(true);
  await addConfig(page, "Made offline", "write");
  await page.getByRole("button", { name: "Edit Online first" }).click();
  await field(page, "Scopes").fill("read admin");
  await page.getByRole("button", { name: "Save" }).click();
  await page.locator("[data-role=sync-line][data-waiting='2']").waitFor();
  await context.close();

  ({ context, page } = await openProfile(profile, { offline: true }));
  await row(page, "Made offline").waitFor();
  assert.match(await row(page, "Online first").textContent(), /admin/);
  assert.equal(await page.locator("[data-role=sync-line]").getAttribute("data-waiting"), "2");
  await page.screenshot({ path: join(RESULTS, "offline.png"), fullPage: true });

  await context.setOffline(false);
  await page.locator("[data-role=sync-line][data-waiting='0']").waitFor({ timeout: 20_000 });
  const items = await listConfigs(port);
  assert.deepEqual(items.map((item) => item.name).sort(), ["Made offline", "Online first"]);
  assert.deepEqual(items.find((item) => item.name === "Online first").scopes, ["read", "admin"]);
  await context.close();
});
