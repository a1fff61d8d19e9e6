// Fault tests of the server-backed page. Each test breaks the network, the server or browser
// storage in one way. It then checks the final data on the reference admin server and in the
// browser: the table rows, localStorage, and no client secret in browser storage.
//
// Faults the reference server can produce (a stopped or restarted server, a changed revision, a
// wrong token) are produced for real. `page.route` replaces the server only for responses it never sends:
// 500, 502, 503 with Retry-After, a request with no response, and a connection that drops after
// the server stored the change. Contexts that use `page.route` block the service worker, because
// Playwright 1.65 documents that routes miss requests a service worker intercepts.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { chromium } from "playwright-core";

import { TOKEN, freePort, listConfigs, startServer, stopServer } from "./admin-server.mjs";
import { CHROMIUM, CHROMIUM_ARGS, RESULTS, field, fillStorage } from "./harness.mjs";

const OUTBOX_KEY = "oauth2-admin.outbox.v1";
const DRAFTS_KEY = "oauth2-admin.drafts.v1";
const TOKEN_KEY = "oauth2-admin.token";
const SECRET = "fault-test-client-secret-4b9e2c==";
const TOKEN_URL = "https://auth.example.com/oauth/token";
const DIST = resolve(import.meta.dirname, "../dist");

/** The page's own timeout for one request, in milliseconds (`REQUEST_TIMEOUT_MS` in src/api.rs). */
const REQUEST_TIMEOUT_MS = 10_000;
/** The minimum first retry delay, which is half of `BASE_DELAY_MS` in src/sync/outbox.rs. */
const MIN_BACKOFF_MS = 500;

let browser;
let server;
let port;
let dataDir;
/** Browser contexts opened by the running test, closed after it even when it fails. */
const openContexts = new Set();

before(async () => {
  process.env.TMPDIR = mkdtempSync(join(RESULTS, "tmp-"));
  dataDir = mkdtempSync(join(RESULTS, "faults-"));
  port = await freePort();
  server = startServer({ port, dataDir });
  await server.ready;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterEach(async () => {
  for (const context of openContexts) await context.close();
  openContexts.clear();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
});

// ---------------------------------------------------------------------------------------------
// The server, reached directly.

/** Sends one API request with the admin token and returns the status and the JSON body. */
async function api(method, path, { body, revision } = {}) {
  const headers = { Authorization: `Bearer ${TOKEN}` };
  if (body) headers["Content-Type"] = "application/json";
  if (revision !== undefined) headers["If-Match"] = `"${revision}"`;
  const response = await fetch(`http://127.0.0.1:${port}/api/${path}`, { method, headers, body: body && JSON.stringify(body) });
  return { status: response.status, json: await response.json().catch(() => null) };
}

/** Creates a configuration on the server, as another admin would, and returns it. */
async function createOnServer(name, fields = {}) {
  const body = { name, client_id: `${slug(name)}-client`, token_url: TOKEN_URL, scopes: "read", grant_type: "refresh_token", ...fields };
  const { status, json } = await api("PUT", `oauth2-configs/${randomUUID()}`, { body });
  assert.equal(status, 201, `the server created ${name}`);
  return json;
}

/** Returns every configuration on the server called `name`. */
async function serverCopies(name) {
  return (await listConfigs(port)).filter((item) => item.name === name);
}

/** Returns the one configuration on the server called `name`, failing when there is not exactly one. */
async function serverConfig(name) {
  const copies = await serverCopies(name);
  assert.equal(copies.length, 1, `the server has exactly one configuration named ${name}`);
  return copies[0];
}

function slug(name) {
  return name.toLowerCase().replaceAll(" ", "-");
}

// ---------------------------------------------------------------------------------------------
// The page.

/**
 * Opens the server-backed page in `context` (a new one when none is given) with the admin token
 * in the tab's sessionStorage, unless the tab already has a token. `pageErrors` collects uncaught
 * exceptions, such as a panic in the wasm.
 */
async function openPage({ context, serviceWorkers = "block", url = `http://127.0.0.1:${port}/` } = {}) {
  if (!context) {
    context = await newContext({ serviceWorkers });
    await context.addInitScript(
      ([key, token]) => {
        if (sessionStorage.getItem(key) === null) sessionStorage.setItem(key, JSON.stringify(token));
      },
      [TOKEN_KEY, TOKEN],
    );
  }
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.locator("[data-mode=server]").waitFor();
  await page.locator("[data-role=loading]").waitFor({ state: "detached" });
  return { page, context, pageErrors };
}

/** Opens a browser context that is closed after the running test. */
async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
  openContexts.add(context);
  return context;
}

/** Returns the table row whose name is exactly `name`. */
function row(page, name) {
  return page.locator("tr[data-config-id]", { has: page.locator("th", { hasText: new RegExp(`^${name}`) }) });
}

/** Returns the outbox badge of the row called `name`. */
function badge(page, name) {
  return row(page, name).locator("[data-role=sync-state]");
}

/** Waits until the sync line counts `count` changes waiting for the server. */
function waitForWaiting(page, count, timeout = 15_000) {
  return page.locator(`[data-role=sync-line][data-waiting='${count}']`).waitFor({ timeout });
}

/** Opens the Add form and fills it in. A `secret` makes it a client-credentials client. */
async function fillNew(page, { name, secret, scopes = "read write" }) {
  await page.getByRole("button", { name: "Add OAuth2" }).click();
  await field(page, "Name").fill(name);
  await field(page, "Client ID").fill(`${slug(name)}-client`);
  if (secret) await field(page, "Client Secret").fill(secret);
  await field(page, "Grant Type").selectOption(secret ? "client_credentials" : "refresh_token");
  await field(page, "Token URL").fill(TOKEN_URL);
  await field(page, "Scopes").fill(scopes);
}

/** Adds a configuration and waits until the form has closed and its row is shown. */
async function addConfig(page, fields) {
  await fillNew(page, fields);
  await page.getByRole("button", { name: "Save" }).click();
  await row(page, fields.name).waitFor();
}

/** Edits the scopes of the row called `name` and waits until the form has closed. */
async function editScopes(page, name, scopes) {
  await page.getByRole("button", { name: `Edit ${name}`, exact: true }).click();
  await field(page, "Scopes").fill(scopes);
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: "Add OAuth2" }).waitFor();
}

/** Returns the scopes shown in the row called `name`. */
function shownScopes(page, name) {
  return row(page, name).locator(".oa-scope").allTextContents();
}

/** Returns the parsed outbox from localStorage, or null when there is none. */
async function readOutbox(page) {
  const text = await page.evaluate((key) => localStorage.getItem(key), OUTBOX_KEY);
  return text === null ? null : JSON.parse(text);
}

/** Returns every localStorage key whose name starts with `prefix`. */
function storageKeys(page, prefix) {
  return page.evaluate((start) => Object.keys(localStorage).filter((key) => key.startsWith(start)), prefix);
}

/** Checks that no secret is in this tab's localStorage or sessionStorage. */
async function assertNoSecretStored(page, secret = SECRET) {
  const stored = await page.evaluate(() => ({
    local: Object.entries(localStorage).flat().join("\n"),
    session: Object.entries(sessionStorage).flat().join("\n"),
  }));
  assert.ok(!stored.local.includes(secret), "the client secret is not in localStorage");
  assert.ok(!stored.session.includes(secret), "the client secret is not in sessionStorage");
}

/**
 * Waits until the rows called `names` are shown and nothing waits for the server, then checks
 * that no row has a sync badge and the stored outbox is empty.
 */
async function assertAllSynced(page, names, timeout = 15_000) {
  for (const name of names) await row(page, name).waitFor({ timeout });
  try {
    await waitForWaiting(page, 0, timeout);
  } catch {
    const entries = (await readOutbox(page))?.entries ?? [];
    const states = entries.map((entry) => `${entry.change.config?.name ?? entry.change.name} (${entry.state})`);
    assert.fail(`changes still waiting for the server after ${timeout} ms: ${states.join(", ")}`);
  }
  for (const name of names) {
    assert.equal(await badge(page, name).count(), 0, `${name} has no sync badge`);
  }
  assert.deepEqual((await readOutbox(page))?.entries ?? [], [], "the stored outbox is empty");
}

/** Records when each PUT to the API reaches `page.route`, then hands it to `answer`. */
function routePuts(page, answer) {
  const times = [];
  const handler = async (route) => {
    if (route.request().method() !== "PUT") return route.fallback();
    times.push(Date.now());
    return answer(route, times.length);
  };
  return { times, ready: page.route("**/api/oauth2-configs/*", handler) };
}

/** Polls `check` until it returns true; fails with `message` after `timeout` milliseconds. */
async function eventually(check, message, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeout} ms waiting until ${message}`);
    await new Promise((next) => setTimeout(next, 25));
  }
}

/** Returns whether `check` becomes true within `timeout` milliseconds. */
async function becomesTrue(check, timeout) {
  try {
    await eventually(check, "", timeout);
    return true;
  } catch {
    return false;
  }
}

/** Returns the gaps between consecutive times, in milliseconds. */
function gaps(times) {
  return times.slice(1).map((time, index) => time - times[index]);
}

// ---------------------------------------------------------------------------------------------
// One test per fault.

test("offline before save queues and syncs", async () => {
  const target = await createOnServer("Offline edit target");
  const { page, context, pageErrors } = await openPage();
  await row(page, "Offline edit target").waitFor();

  await context.setOffline(true);
  await editScopes(page, "Offline edit target", "read offline");
  await addConfig(page, { name: "Offline create", secret: SECRET });
  await waitForWaiting(page, 2);
  assert.match(await page.locator("[data-role=status]").textContent(), /This browser is offline/);
  assert.equal(await badge(page, "Offline edit target").count(), 1);
  assert.equal(await badge(page, "Offline create").count(), 1);
  assert.deepEqual(await shownScopes(page, "Offline edit target"), ["read", "offline"], "the table shows the queued edit");

  const queued = await readOutbox(page);
  assert.equal(queued.version, 1);
  assert.deepEqual(queued.entries.map((entry) => entry.change.config.name), ["Offline edit target", "Offline create"], "queued in save order");
  assert.equal(queued.entries[0].config_id, target.id);
  assert.equal(queued.entries[0].change.base_revision, 1);
  assert.equal(queued.entries[1].change.secret, "set");
  await assertNoSecretStored(page);
  assert.equal((await serverCopies("Offline create")).length, 0, "nothing reached the server while offline");
  assert.equal((await serverConfig("Offline edit target")).revision, 1);

  await context.setOffline(false);
  await assertAllSynced(page, ["Offline edit target", "Offline create"]);
  const edited = await serverConfig("Offline edit target");
  assert.deepEqual(edited.scopes, ["read", "offline"]);
  assert.equal(edited.revision, 2);
  const created = await serverConfig("Offline create");
  assert.equal(created.client_secret_set, true, "the secret held in memory reached the server");
  assert.equal(created.revision, 1);
  assert.match(await row(page, "Offline create").textContent(), /configured/);
  await assertNoSecretStored(page);
  assert.deepEqual(pageErrors, []);
});

test("mid-request disconnect applies once", async () => {
  const target = await createOnServer("Mid-request edit");
  const { page, context, pageErrors } = await openPage();
  await row(page, "Mid-request edit").waitFor();

  // The server stores each change, then the connection drops before its response arrives.
  let cutsLeft = 0;
  const delivered = [];
  const puts = routePuts(page, async (route) => {
    if (cutsLeft === 0) return route.continue();
    cutsLeft -= 1;
    const response = await route.fetch();
    delivered.push(response.status());
    await context.setOffline(true);
    await route.abort("internetdisconnected");
  });
  await puts.ready;

  cutsLeft = 1;
  await editScopes(page, "Mid-request edit", "read cut");
  await waitForWaiting(page, 1);
  assert.deepEqual(delivered, [200], "the edit reached the server");
  assert.equal(await badge(page, "Mid-request edit").count(), 1);
  await context.setOffline(false);
  await assertAllSynced(page, ["Mid-request edit"]);
  assert.equal(await page.locator("[data-role=notices]").count(), 0, "a change already stored is not reported as a conflict");

  cutsLeft = 1;
  await addConfig(page, { name: "Mid-request create", secret: SECRET });
  await waitForWaiting(page, 1);
  assert.deepEqual(delivered, [200, 201], "the create reached the server");
  await assertNoSecretStored(page);
  await context.setOffline(false);
  await assertAllSynced(page, ["Mid-request edit", "Mid-request create"]);

  const edited = await serverConfig("Mid-request edit");
  assert.equal(edited.id, target.id);
  assert.deepEqual(edited.scopes, ["read", "cut"]);
  assert.equal(edited.revision, 2, "the replayed edit did not make a second revision");
  const created = await serverConfig("Mid-request create");
  assert.equal(created.revision, 1, "the replayed create did not make a second revision");
  assert.equal(created.client_secret_set, true);
  assert.deepEqual(await shownScopes(page, "Mid-request edit"), ["read", "cut"]);
  await assertNoSecretStored(page);
  assert.deepEqual(pageErrors, []);
});

test("500 retried with backoff", async () => {
  const { page, pageErrors } = await openPage();
  let failing = true;
  const problem = JSON.stringify({ type: "about:blank", title: "Internal Server Error", status: 500 });
  const puts = routePuts(page, (route) =>
    failing ? route.fulfill({ status: 500, contentType: "application/problem+json", body: problem }) : route.continue(),
  );
  await puts.ready;

  await addConfig(page, { name: "Answered 500", secret: SECRET });
  await waitForWaiting(page, 1);
  let entry;
  await eventually(async () => {
    [entry] = (await readOutbox(page)).entries;
    return entry.state === "failed" && entry.attempts >= 3;
  }, "the outbox has recorded three failed attempts");
  failing = false;

  assert.match(entry.reason, /status 500: Internal Server Error/);
  assert.equal(await badge(page, "Answered 500").count(), 1);
  for (const [index, gap] of gaps(puts.times).entries()) {
    assert.ok(gap >= MIN_BACKOFF_MS, `retry ${index + 1} came ${gap} ms after a 500, at least ${MIN_BACKOFF_MS} ms expected`);
  }
  await assertNoSecretStored(page);
  assert.equal((await serverCopies("Answered 500")).length, 0);

  // No click: the backoff timer alone sends it once the server recovers.
  await assertAllSynced(page, ["Answered 500"]);
  const created = await serverConfig("Answered 500");
  assert.equal(created.client_secret_set, true);
  assert.equal(created.revision, 1);
  assert.deepEqual(pageErrors, []);
});

test("502 replays in order", async () => {
  const first = await createOnServer("Gateway first");
  const second = await createOnServer("Gateway second");
  const { page, pageErrors } = await openPage();
  await row(page, "Gateway second").waitFor();
  let gatewayDown = true;
  const sent = [];
  const puts = routePuts(page, (route) => {
    if (gatewayDown) return route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" });
    sent.push(new URL(route.request().url()).pathname.split("/").pop());
    return route.continue();
  });
  await puts.ready;

  await editScopes(page, "Gateway first", "read first");
  await waitForWaiting(page, 1);
  assert.match(await page.locator("[data-role=status]").textContent(), /502/, "the status names the gateway error");
  await editScopes(page, "Gateway second", "read second");
  await waitForWaiting(page, 2);
  await badge(page, "Gateway first").filter({ hasText: "sync failed, will retry" }).waitFor();
  await eventually(async () => (await readOutbox(page)).entries[0].state === "failed", "the first entry is stored as failed");
  const queued = await readOutbox(page);
  assert.deepEqual(queued.entries.map((entry) => entry.config_id), [first.id, second.id]);
  assert.match(queued.entries[0].reason, /status 502/);
  assert.equal((await serverConfig("Gateway first")).revision, 1, "the 502 stored nothing");

  gatewayDown = false;
  await page.getByRole("button", { name: "Retry now" }).click();
  await assertAllSynced(page, ["Gateway first", "Gateway second"]);
  assert.deepEqual(sent, [first.id, second.id], "the replay kept the save order, one request each");
  for (const [name, scopes] of [["Gateway first", ["read", "first"]], ["Gateway second", ["read", "second"]]]) {
    const stored = await serverConfig(name);
    assert.deepEqual(stored.scopes, scopes);
    assert.equal(stored.revision, 2);
    assert.deepEqual(await shownScopes(page, name), scopes);
  }
  assert.deepEqual(pageErrors, []);
});

test("503 waits out Retry-After", async () => {
  await createOnServer("Unavailable target");
  const { page, pageErrors } = await openPage();
  await row(page, "Unavailable target").waitFor();
  const puts = routePuts(page, (route, attempt) =>
    attempt <= 2
      ? route.fulfill({ status: 503, headers: { "Retry-After": "1" }, contentType: "application/problem+json", body: '{"title":"Service Unavailable","status":503}' })
      : route.continue(),
  );
  await puts.ready;

  await editScopes(page, "Unavailable target", "read later");
  await assertAllSynced(page, ["Unavailable target"]);
  assert.equal(puts.times.length, 3, "two answers of 503, then one successful request");
  for (const [index, gap] of gaps(puts.times).entries()) {
    // Retry-After has one-second resolution, so a retry within a few milliseconds of 1 s is due.
    assert.ok(gap >= 990, `retry ${index + 1} came ${gap} ms after a 503 with Retry-After: 1`);
  }
  const stored = await serverConfig("Unavailable target");
  assert.deepEqual(stored.scopes, ["read", "later"]);
  assert.equal(stored.revision, 2);
  assert.deepEqual(await shownScopes(page, "Unavailable target"), ["read", "later"]);
  assert.deepEqual(pageErrors, []);
});

test("hanging request times out, replays", async () => {
  const { page, pageErrors } = await openPage();
  const failedAt = [];
  page.on("requestfailed", (request) => {
    if (request.method() === "PUT") failedAt.push(Date.now());
  });
  const puts = routePuts(page, (route, attempt) => (attempt === 1 ? new Promise(() => {}) : route.continue()));
  await puts.ready;

  await fillNew(page, { name: "Never answered", secret: SECRET });
  await page.getByRole("button", { name: "Save" }).click();
  await eventually(() => puts.times.length === 1, "the save is sent");
  const save = page.locator("[data-action=save]");
  assert.equal(await save.getAttribute("aria-busy"), "true", "the form shows the save in flight");
  assert.equal(await field(page, "Name").inputValue(), "Never answered", "the form keeps what was typed while it waits");

  await assertAllSynced(page, ["Never answered"], REQUEST_TIMEOUT_MS + 5_000);
  assert.equal(failedAt.length, 1, "the page aborted the unanswered request");
  const waited = failedAt[0] - puts.times[0];
  assert.ok(waited >= REQUEST_TIMEOUT_MS - 50, `the page gave up after ${waited} ms, before its ${REQUEST_TIMEOUT_MS} ms timeout`);
  assert.ok(waited < REQUEST_TIMEOUT_MS + 2_000, `the page gave up after ${waited} ms, long after its ${REQUEST_TIMEOUT_MS} ms timeout`);
  assert.equal(puts.times.length, 2, "one replay after the timeout");
  assert.ok(puts.times[1] >= failedAt[0], "the replay was sent after the first request was aborted");
  const created = await serverConfig("Never answered");
  assert.equal(created.client_secret_set, true);
  assert.equal(created.revision, 1);
  await assertNoSecretStored(page);
  assert.deepEqual(pageErrors, []);
});

test("server restart between save and replay", async () => {
  await createOnServer("Restart target");
  const { page, pageErrors } = await openPage();
  await row(page, "Restart target").waitFor();

  await stopServer(server);
  await editScopes(page, "Restart target", "read restarted");
  await addConfig(page, { name: "Restart create", secret: SECRET });
  await waitForWaiting(page, 2);
  await badge(page, "Restart target").filter({ hasText: "sync failed, will retry" }).waitFor();
  await assertNoSecretStored(page);

  server = startServer({ port, dataDir });
  await server.ready;
  // No click: the replay timer notices the server is back.
  await assertAllSynced(page, ["Restart target", "Restart create"]);
  const edited = await serverConfig("Restart target");
  assert.deepEqual(edited.scopes, ["read", "restarted"]);
  assert.equal(edited.revision, 2);
  const created = await serverConfig("Restart create");
  assert.equal(created.client_secret_set, true, "the secret survived the server restart in the page's memory");
  assert.equal(created.revision, 1);
  assert.ok(!server.log.includes(SECRET), "the restarted server did not log the secret");
  assert.deepEqual(pageErrors, []);
});

test("412 on replay resolved by merge", async () => {
  const target = await createOnServer("Conflict target", { scopes: "read", token_url: "https://old.example.com/token" });
  const { page, context, pageErrors } = await openPage();
  await row(page, "Conflict target").waitFor();

  await context.setOffline(true);
  await editScopes(page, "Conflict target", "read mine");
  await waitForWaiting(page, 1);
  const theirs = { name: "Conflict target", client_id: "their-client", token_url: "https://new.example.com/token", scopes: "read", grant_type: "refresh_token" };
  const changed = await api("PUT", `oauth2-configs/${target.id}`, { body: theirs, revision: 1 });
  assert.equal(changed.status, 200, "another admin changed the configuration");

  await context.setOffline(false);
  await badge(page, "Conflict target").filter({ hasText: "conflict" }).waitFor();
  assert.match(await page.locator("[data-role=notices]").textContent(), /Conflict target.*changed on the server/);
  assert.equal(await page.locator("[data-role=sync-line]").getAttribute("data-waiting"), "1", "the conflicting change is still queued");
  const waiting = await serverConfig("Conflict target");
  assert.equal(waiting.revision, 2, "the replay did not overwrite the other admin's change");
  assert.equal(waiting.client_id, "their-client");
  const [entry] = (await readOutbox(page)).entries;
  assert.equal(entry.state, "conflict");
  assert.equal(entry.current.revision, 2);

  await page.getByRole("button", { name: "Edit Conflict target", exact: true }).click();
  const conflict = page.locator("[data-role=conflict]");
  await conflict.waitFor();
  const changedFields = await conflict.locator("tr[data-changed=true]").evaluateAll((rows) => rows.map((tr) => tr.dataset.field));
  assert.deepEqual(changedFields.sort(), ["client_id", "scopes", "token_url"]);
  assert.match(await conflict.locator("[data-field=scopes]").textContent(), /read mine.*read/s);
  await conflict.getByRole("radio", { name: "Take the server's Client ID" }).check();
  await conflict.getByRole("radio", { name: "Take the server's Token URL" }).check();
  assert.ok(await conflict.getByRole("radio", { name: "Keep your Scopes" }).isChecked());
  await conflict.getByRole("button", { name: "Save these choices" }).click();

  await assertAllSynced(page, ["Conflict target"]);
  const merged = await serverConfig("Conflict target");
  assert.deepEqual(merged.scopes, ["read", "mine"], "the queued change was kept");
  assert.equal(merged.client_id, "their-client", "the other admin's client ID was kept");
  assert.equal(merged.token_url, "https://new.example.com/token", "the other admin's token URL was kept");
  assert.equal(merged.revision, 3);
  assert.deepEqual(await shownScopes(page, "Conflict target"), ["read", "mine"]);
  assert.match(await row(page, "Conflict target").textContent(), /their-client/);
  assert.deepEqual(pageErrors, []);
});

test("401 on replay prompts once", async () => {
  await createOnServer("Token target");
  const { page, context, pageErrors } = await openPage();
  await row(page, "Token target").waitFor();
  const unauthorized = [];
  page.on("response", (response) => {
    if (response.request().method() === "PUT" && response.status() === 401) unauthorized.push(Date.now());
  });

  await context.setOffline(true);
  await page.getByRole("button", { name: "Edit Token target", exact: true }).click();
  await field(page, "Scopes").fill("read signed");
  await field(page, "Client Secret").fill(SECRET);
  await page.getByRole("button", { name: "Save" }).click();
  await waitForWaiting(page, 1);
  await page.evaluate((key) => sessionStorage.setItem(key, JSON.stringify("expired-admin-token")), TOKEN_KEY);
  await context.setOffline(false);

  const dialog = page.getByRole("dialog", { name: "Admin token required" });
  await dialog.waitFor();
  assert.equal((await serverConfig("Token target")).revision, 1, "nothing was stored with the wrong token");
  assert.equal(await page.locator("[data-role=sync-line]").getAttribute("data-waiting"), "1", "the change is still queued");
  const flooded = await becomesTrue(() => unauthorized.length > 2, 1_500);
  assert.ok(!flooded, `the page kept resending with the rejected token: ${unauthorized.length} answers of 401 within 1.5 s of the dialog opening`);

  await dialog.getByLabel("Admin token").fill(TOKEN);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await assertAllSynced(page, ["Token target"]);
  const stored = await serverConfig("Token target");
  assert.deepEqual(stored.scopes, ["read", "signed"]);
  assert.equal(stored.client_secret_set, true, "the secret held in memory was sent with the new token");
  assert.equal(stored.revision, 2);
  await assertNoSecretStored(page);
  assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY), JSON.stringify(TOKEN));
  assert.ok(!(await page.evaluate(() => Object.entries(localStorage).flat().join("\n"))).includes(TOKEN), "the token is not in localStorage");
  assert.deepEqual(pageErrors, []);
});

test("reload keeps and replays outbox", async () => {
  await createOnServer("Reload target");
  const { page, context, pageErrors } = await openPage({ serviceWorkers: "allow" });
  await row(page, "Reload target").waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(async () => (await caches.match(new URL("./", location.href).href)) !== undefined);

  await context.setOffline(true);
  await editScopes(page, "Reload target", "read reloaded");
  await addConfig(page, { name: "Reload create", secret: SECRET });
  await waitForWaiting(page, 2);
  await page.reload();
  await page.locator("[data-mode=server]").waitFor();

  await waitForWaiting(page, 2);
  assert.deepEqual(await shownScopes(page, "Reload target"), ["read", "reloaded"], "the queued edit is shown after the reload");
  assert.match(await badge(page, "Reload create").textContent(), /^secret needed/);
  const queued = await readOutbox(page);
  assert.deepEqual(queued.entries.map((entry) => entry.change.config.name), ["Reload target", "Reload create"]);
  await assertNoSecretStored(page);

  await context.setOffline(false);
  await waitForWaiting(page, 1);
  assert.equal(await badge(page, "Reload target").count(), 0);
  assert.equal((await serverCopies("Reload create")).length, 0, "a create whose secret was lost is not sent without it");

  await page.getByRole("button", { name: "Edit Reload create", exact: true }).click();
  assert.match(await page.locator("[data-field=client_secret]").textContent(), /not kept when the page reloaded/);
  await field(page, "Client Secret").fill(SECRET);
  await page.getByRole("button", { name: "Save" }).click();
  await assertAllSynced(page, ["Reload target", "Reload create"]);

  const edited = await serverConfig("Reload target");
  assert.deepEqual(edited.scopes, ["read", "reloaded"]);
  assert.equal(edited.revision, 2);
  const created = await serverConfig("Reload create");
  assert.equal(created.client_secret_set, true);
  assert.equal(created.revision, 1);
  await assertNoSecretStored(page);
  assert.deepEqual(pageErrors, []);
});

test("two tabs replay one outbox once", async () => {
  await createOnServer("Twin target");
  const first = await openPage();
  const second = await openPage({ context: first.context });
  await row(second.page, "Twin target").waitFor();

  await stopServer(server);
  await first.context.setOffline(true);
  await editScopes(first.page, "Twin target", "read twin");
  await addConfig(first.page, { name: "Twin create" });
  await waitForWaiting(first.page, 2);
  await waitForWaiting(second.page, 2);

  server = startServer({ port, dataDir });
  await server.ready;
  await first.context.setOffline(false);
  for (const { page } of [first, second]) {
    await assertAllSynced(page, ["Twin target", "Twin create"]);
  }

  const edited = await serverConfig("Twin target");
  assert.deepEqual(edited.scopes, ["read", "twin"]);
  assert.equal(edited.revision, 2, "the edit was stored once");
  assert.equal((await serverConfig("Twin create")).revision, 1, "the create was stored once");

  // The tab without the secret replays first, while the server is still down. The change must
  // stay sendable by the tab that keeps the secret in memory.
  await stopServer(server);
  await addConfig(first.page, { name: "Twin secret", secret: SECRET });
  await waitForWaiting(second.page, 1);
  await second.page.getByRole("button", { name: "Retry now" }).click();
  await second.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  server = startServer({ port, dataDir });
  await server.ready;
  await first.context.setOffline(true);
  await first.context.setOffline(false);
  for (const { page } of [first, second]) {
    await assertAllSynced(page, ["Twin target", "Twin create", "Twin secret"]);
  }
  const secretCreate = await serverConfig("Twin secret");
  assert.equal(secretCreate.client_secret_set, true, "the tab that holds the secret sent it after the other tab tried");
  assert.equal(secretCreate.revision, 1);

  for (const { page, pageErrors } of [first, second]) {
    assert.equal(await page.locator("[data-role=notices]").count(), 0, "no tab reports a conflict with itself");
    assert.deepEqual(await shownScopes(page, "Twin target"), ["read", "twin"]);
    await assertNoSecretStored(page);
    assert.deepEqual(pageErrors, []);
  }
});

test("full storage keeps the form", async () => {
  const { page, context, pageErrors } = await openPage();
  await fillStorage(page);
  const outboxBefore = await page.evaluate((key) => localStorage.getItem(key), OUTBOX_KEY);

  await context.setOffline(true);
  await fillNew(page, { name: "Quota create", secret: SECRET, scopes: "read quota" });
  await page.getByRole("button", { name: "Save" }).click();
  const message = page.locator("[data-role=save-error]").filter({ hasText: "could not be queued" });
  await message.waitFor();
  assert.match(await message.textContent(), /storage is full/);
  assert.equal(await field(page, "Name").inputValue(), "Quota create", "the form keeps the name");
  assert.equal(await field(page, "Client Secret").inputValue(), SECRET, "the form keeps the secret");
  assert.equal(await field(page, "Scopes").inputValue(), "read quota", "the form keeps the scopes");
  assert.equal(await page.locator("[data-role=sync-line]").getAttribute("data-waiting"), "0");
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), OUTBOX_KEY), outboxBefore, "the outbox is unchanged");

  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith("filler-")) localStorage.removeItem(key);
  });
  await page.getByRole("button", { name: "Save" }).click();
  await row(page, "Quota create").waitFor();
  await waitForWaiting(page, 1);
  await assertNoSecretStored(page);
  await context.setOffline(false);
  await assertAllSynced(page, ["Quota create"]);
  const created = await serverConfig("Quota create");
  assert.deepEqual(created.scopes, ["read", "quota"]);
  assert.equal(created.client_secret_set, true);
  assert.deepEqual(pageErrors, []);
});

test("corrupted outbox entry is kept aside", async () => {
  const { page, pageErrors } = await openPage();
  const config = (name, tokenUrl) => ({ name, client_id: `${slug(name)}-client`, token_url: tokenUrl, refresh_token_url: null, auth_url: null, scopes: ["read"], grant_type: "refresh_token" });
  const entry = (name, tokenUrl) => ({
    config_id: randomUUID(),
    change: { kind: "put", config: config(name, tokenUrl), base_revision: null, secret: "keep" },
    state: "pending",
    attempts: 0,
    not_before_ms: 0,
  });
  // Plain http to a remote host is never a valid Token URL, so this entry cannot be read.
  const bad = entry("Outbox bad", "http://evil.example/token");
  const good = entry("Outbox good", TOKEN_URL);
  await page.evaluate(([key, text]) => localStorage.setItem(key, text), [OUTBOX_KEY, JSON.stringify({ version: 1, entries: [bad, good] })]);
  await page.reload();
  await page.locator("[data-mode=server]").waitFor();

  await assertAllSynced(page, ["Outbox good"]);
  const backups = await storageKeys(page, `${OUTBOX_KEY}.backup-`);
  assert.equal(backups.length, 1, "one backup key");
  assert.match(backups[0], /^oauth2-admin\.outbox\.v1\.backup-\d+$/);
  const kept = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), backups[0]));
  assert.deepEqual(kept, [bad], "the backup holds the unreadable entry as it was");
  assert.match(await page.locator("[data-role=notices]").textContent(), new RegExp(backups[0].replaceAll(".", "\\.")));

  const created = await serverConfig("Outbox good");
  assert.equal(created.id, good.config_id);
  assert.equal(created.revision, 1);
  assert.equal((await serverCopies("Outbox bad")).length, 0, "the unreadable entry was not sent");
  assert.equal(await row(page, "Outbox bad").count(), 0);
  assert.deepEqual(pageErrors, []);
});

test("new build keeps the draft", async () => {
  // A server of its own, because this test changes the files it serves.
  const dist = mkdtempSync(join(RESULTS, "dist-"));
  cpSync(DIST, dist, { recursive: true });
  const deployPort = await freePort();
  const deployServer = startServer({ port: deployPort, dataDir: mkdtempSync(join(RESULTS, "deploy-")), dist });
  await deployServer.ready;
  const url = `http://127.0.0.1:${deployPort}/`;

  try {
    const context = await newContext();
    await context.addInitScript(([key, token]) => sessionStorage.setItem(key, JSON.stringify(token)), [TOKEN_KEY, TOKEN]);
    // Drafts written by a newer page, before this one first loads.
    const newer = JSON.stringify({ version: 99, drafts: [{ config_id: "from-a-newer-page", layout: "unknown" }] });
    const seed = await context.newPage();
    await seed.goto(`${url}sw.js`);
    await seed.evaluate(([key, text]) => localStorage.setItem(key, text), [DRAFTS_KEY, newer]);
    await seed.close();

    const { page, pageErrors } = await openPage({ context, url });
    const [draftsBackup] = await storageKeys(page, `${DRAFTS_KEY}.backup-`);
    assert.ok(draftsBackup, "the newer drafts were kept under a backup key");
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), draftsBackup), newer, "the backup holds them unchanged");
    assert.match(await page.locator("[data-role=notices]").textContent(), /drafts version 99/);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(async () => navigator.serviceWorker.controller !== null && (await caches.match(new URL("./", location.href).href)) !== undefined);

    await page.getByRole("button", { name: "Add OAuth2" }).click();
    await field(page, "Name").fill("Draft across deploy");
    await field(page, "Client ID").fill("draft-across-deploy");
    await field(page, "Client Secret").fill(SECRET);
    await page.waitForFunction((key) => localStorage.getItem(key)?.includes("draft-across-deploy"), DRAFTS_KEY);
    await assertNoSecretStored(page);

    // Deploy: the same build under a new wasm name, as a rebuild with changed code would be.
    const wasm = readdirSync(dist).find((name) => name.endsWith("_bg.wasm"));
    const nextWasm = wasm.replace(/-[0-9a-f]+_bg\.wasm$/, "-00000000deploy02_bg.wasm");
    renameSync(join(dist, wasm), join(dist, nextWasm));
    const html = readFileSync(join(dist, "index.html"), "utf8");
    writeFileSync(join(dist, "index.html"), html.replaceAll(wasm, nextWasm));

    const other = await openPage({ context, url });
    await page.locator("[data-role=update-ready]").waitFor();
    assert.equal(await other.page.locator("[data-role=update-ready]").count(), 0, "a tab already on the new build is not told to reload");

    // The open form warns before unloading; the admin confirms.
    page.on("dialog", (dialog) => dialog.accept());
    await page.locator("[data-role=update-ready]").getByRole("button", { name: "Reload" }).click();
    await page.waitForFunction((name) => document.querySelector("script[data-wasm]")?.dataset.wasm.endsWith(name), nextWasm);
    await page.locator("[data-mode=server]").waitFor();
    await page.getByRole("button", { name: "Add OAuth2" }).click();
    const offer = page.locator("[data-role=draft-offer]");
    await offer.waitFor();
    await offer.getByRole("button", { name: "Restore draft" }).click();
    assert.equal(await field(page, "Name").inputValue(), "Draft across deploy");
    assert.equal(await field(page, "Client ID").inputValue(), "draft-across-deploy");
    assert.equal(await field(page, "Client Secret").inputValue(), "", "the draft never held the secret");

    assert.deepEqual(await storageKeys(page, `${DRAFTS_KEY}.backup-`), [draftsBackup], "the backup of the newer drafts is still there");
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), draftsBackup), newer);
    assert.deepEqual(await listConfigs(deployPort), [], "a draft is never sent to the server");
    assert.deepEqual([...pageErrors, ...other.pageErrors], []);
  } finally {
    await stopServer(deployServer);
  }
});
