// End-to-end tests of the page served by the reference admin server, with SQLite behind it.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { TOKEN, freePort, listConfigs, startServer as launch, stopServer } from "./admin-server.mjs";
import { RESULTS, allStorage, field, start } from "./harness.mjs";
const SECRET = "e2e-client-secret-value-7d3b1e==";

let app;
let server;
let dataDir;
let port;

let serverLog = "";

function startServer() {
  return launch({ port, dataDir });
}

before(async () => {
  dataDir = mkdtempSync(join(RESULTS, "server-"));
  port = await freePort();
  server = startServer();
  await server.ready;
  app = await start();
});

after(async () => {
  await app?.close();
  if (server) await stopServer(server);
});

/** Opens the server-backed page with the admin token already in this tab's sessionStorage. */
async function openSignedIn() {
  const opened = await app.open(`http://127.0.0.1:${port}/`, {
    init: (token) => sessionStorage.setItem("oauth2-admin.token", JSON.stringify(token)),
    initArg: TOKEN,
  });
  opened.bodies = [];
  opened.page.on("response", async (response) => {
    if (response.url().includes("/api/")) opened.bodies.push(await response.text().catch(() => ""));
  });
  await opened.page.locator("[data-mode=server]").waitFor();
  return opened;
}

async function addConfig(page, name, secret) {
  await page.getByRole("button", { name: "Add OAuth2" }).click();
  await field(page, "Name").fill(name);
  await field(page, "Client ID").fill(`${name.toLowerCase()}-client`);
  if (secret) await field(page, "Client Secret").fill(secret);
  await field(page, "Grant Type").selectOption("client_credentials");
  await field(page, "Token URL").fill("https://auth.example.com/oauth/token");
  await field(page, "Scopes").fill("read write");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("rowheader", { name }).waitFor();
}

function row(page, name) {
  return page.locator("tr", { has: page.getByRole("rowheader", { name }) });
}

test("the token prompt signs in and loads the list", async () => {
  const { page, context } = await app.open(`http://127.0.0.1:${port}/`);
  const dialog = page.getByRole("dialog", { name: "Admin token required" });
  await dialog.waitFor();
  await dialog.getByLabel("Admin token").fill(TOKEN);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("No OAuth2 configurations yet").waitFor();
  assert.ok(!(await allStorage(page)).includes(TOKEN), "the token is not in localStorage");
  assert.match(await page.evaluate(() => sessionStorage.getItem("oauth2-admin.token")), /e2e-admin-token/);
  await context.close();
});

test("create, edit, reload and delete through the server", async () => {
  const { page, context, errors, bodies } = await openSignedIn();
  await addConfig(page, "Payments", SECRET);
  assert.match(await row(page, "Payments").textContent(), /configured/);

  await page.reload();
  await row(page, "Payments").waitFor();
  await page.getByRole("button", { name: "Edit Payments" }).click();
  assert.equal(await page.locator("[data-role=secret-status]").textContent(), "Configured");
  await field(page, "Scopes").fill("read write admin");
  await page.getByRole("button", { name: "Save" }).click();
  await row(page, "Payments").locator(".oa-scope", { hasText: "admin" }).waitFor();

  const stored = (await listConfigs(port)).find((item) => item.name === "Payments");
  assert.deepEqual(stored.scopes, ["read", "write", "admin"]);
  assert.equal(stored.client_secret_set, true, "editing without typing a secret keeps it");
  assert.equal(stored.revision, 2);

  await page.getByRole("button", { name: "Delete Payments" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await page.getByText("No OAuth2 configurations yet").waitFor();

  assert.ok(bodies.length >= 3, "responses were recorded");
  assert.ok(bodies.every((body) => !body.includes(SECRET)), "no response body contains the secret");
  assert.ok(!(await allStorage(page)).includes(SECRET), "the secret is not in localStorage");
  assert.deepEqual(errors, []);
  await context.close();
});

test("two editors of one configuration get a conflict", async () => {
  const first = await openSignedIn();
  await addConfig(first.page, "Shared", SECRET);
  const second = await openSignedIn();
  await row(second.page, "Shared").waitFor();

  await first.page.getByRole("button", { name: "Edit Shared" }).click();
  await second.page.getByRole("button", { name: "Edit Shared" }).click();
  await field(first.page, "Scopes").fill("first-editor");
  await first.page.getByRole("button", { name: "Save" }).click();
  await row(first.page, "Shared").locator(".oa-scope", { hasText: "first-editor" }).waitFor();

  await field(second.page, "Scopes").fill("second-editor");
  await second.page.getByRole("button", { name: "Save" }).click();
  const conflict = second.page.locator("[data-role=conflict]");
  await conflict.waitFor();
  assert.match(await conflict.locator("[data-field=scopes]").textContent(), /second-editor.*first-editor/s);
  assert.equal(await field(second.page, "Scopes").inputValue(), "second-editor", "the typed value is kept");

  await conflict.getByRole("button", { name: "Save these choices" }).click();
  await row(second.page, "Shared").locator(".oa-scope", { hasText: "second-editor" }).waitFor();
  const shared = (await listConfigs(port)).find((item) => item.name === "Shared");
  assert.deepEqual(shared.scopes, ["second-editor"]);
  assert.equal(shared.revision, 3);

  await first.context.close();
  await second.context.close();
});

test("a save in one tab shows in the other", async () => {
  const first = await openSignedIn();
  const second = await first.context.newPage();
  await second.goto(`http://127.0.0.1:${port}/`);
  await second.locator("[data-mode=server]").waitFor();

  await addConfig(first.page, "Seen in both", SECRET);
  await row(second, "Seen in both").waitFor();
  await first.page.getByRole("button", { name: "Edit Seen in both" }).click();
  await field(first.page, "Scopes").fill("read write audit");
  await first.page.getByRole("button", { name: "Save" }).click();
  await row(second, "Seen in both").locator(".oa-scope", { hasText: "audit" }).waitFor();
  await first.context.close();
});

test("a stopped server loses nothing typed", async () => {
  const { page, context } = await openSignedIn();
  await page.getByRole("button", { name: "Add OAuth2" }).click();
  await field(page, "Name").fill("Offline draft");
  await field(page, "Client ID").fill("offline-client");
  await field(page, "Client Secret").fill(SECRET);
  await field(page, "Grant Type").selectOption("client_credentials");
  await field(page, "Token URL").fill("https://auth.example.com/oauth/token");

  await stopServer(server);
  serverLog += server.log;
  await page.getByRole("button", { name: "Save" }).click();
  await row(page, "Offline draft").locator("[data-role=sync-state]").waitFor();
  assert.equal(await page.locator("[data-role=sync-line]").getAttribute("data-waiting"), "1");
  assert.match(await page.locator("[data-role=status]").textContent(), /waiting to sync/);
  assert.ok(!(await allStorage(page)).includes(SECRET), "the queued change does not store the secret");

  server = startServer();
  await server.ready;
  await page.getByRole("button", { name: "Retry now" }).click();
  await page.locator("[data-role=sync-line][data-waiting='0']").waitFor();
  assert.equal(await row(page, "Offline draft").locator("[data-role=sync-state]").count(), 0);
  assert.match(await row(page, "Offline draft").textContent(), /configured/);
  await context.close();
});

test("the server log has no secret and no token", async () => {
  await stopServer(server);
  const log = serverLog + server.log;
  server = null;

  assert.match(log, /PUT/, "the log has request lines");
  assert.match(log, /\/oauth2-configs\/\{id\}/, "requests are logged by matched path");
  assert.ok(!log.includes(SECRET), "the secret never appears in the server log");
  assert.ok(!log.includes(TOKEN), "the admin token never appears in the server log");
});
