// End-to-end tests of the release build in Chromium, with storage in localStorage.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { RESULTS, STORAGE_KEY, allStorage, field, fillStorage, problems, start, storedText } from "./harness.mjs";

const GITHUB = {
  name: "GitHub",
  clientId: "Iv1.8a61f9b3a7aba766",
  secret: "c2VjcmV0LXZhbHVlLWZvci10ZXN0aW5nMQ==",
  tokenUrl: "https://github.com/login/oauth/access_token",
  authUrl: "https://github.com/login/oauth/authorize",
  scopes: "repo read:user",
};

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

async function fillGitHub(page) {
  await page.getByRole("button", { name: "Add OAuth2" }).click();
  await field(page, "Name").fill(GITHUB.name);
  await field(page, "Client ID").fill(GITHUB.clientId);
  await field(page, "Client Secret").fill(GITHUB.secret);
  await field(page, "Grant Type").selectOption("authorization_code");
  await field(page, "Token URL").fill(GITHUB.tokenUrl);
  await field(page, "Auth URL").fill(GITHUB.authUrl);
  await field(page, "Scopes").fill(GITHUB.scopes);
}

test("add, reload, edit and delete a GitHub configuration", async () => {
  const { page, context, errors } = await app.open();
  await page.getByText("No OAuth2 configurations yet").waitFor();
  const headers = await page.locator("thead th").allTextContents();
  assert.deepEqual(headers, ["Name", "Client ID", "Client Secret", "Token URL", "Refresh Token URL", "Auth URL", "Scopes", "Grant Type", "Action"]);

  await fillGitHub(page);
  await page.getByRole("button", { name: "Save" }).click();
  const row = page.locator("tr", { has: page.getByRole("rowheader", { name: "GitHub" }) });
  await row.waitFor();
  assert.deepEqual(await row.locator(".oa-scope").allTextContents(), ["repo", "read:user"]);
  assert.match(await row.textContent(), /secret not stored in this browser/);
  assert.match(await row.textContent(), /Same as Token URL/);
  assert.equal(await row.getByRole("link").count(), 0, "URLs are shown as text, not links");
  await page.screenshot({ path: join(RESULTS, "table.png"), fullPage: true });

  await page.reload();
  await row.waitFor();
  assert.ok(!(await allStorage(page)).includes(GITHUB.secret), "the secret is nowhere in localStorage");
  assert.match(await storedText(page), /"scopes":\["repo","read:user"\]/);

  await page.getByRole("button", { name: "Edit GitHub" }).click();
  assert.equal(await field(page, "Scopes").inputValue(), GITHUB.scopes);
  assert.equal(await page.locator("[data-role=secret-status]").textContent(), "Secret not stored in this browser");
  assert.equal(await page.locator("input[name=client_secret]").count(), 0, "no secret input until Replace is chosen");
  await field(page, "Scopes").fill("repo read:user user:email");
  await page.getByRole("button", { name: "Save" }).click();
  await row.waitFor();
  assert.deepEqual(await row.locator(".oa-scope").allTextContents(), ["repo", "read:user", "user:email"]);
  await page.getByRole("button", { name: "Edit GitHub" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Edit GitHub", "focus returns to the row");

  await page.getByRole("button", { name: "Delete GitHub" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /GitHub/);
  await dialog.getByRole("button", { name: "Delete" }).click();
  await page.getByText("No OAuth2 configurations yet").waitFor();
  assert.equal(await storedText(page), JSON.stringify({ version: 1, items: [] }));

  assert.deepEqual(errors, []);
  await context.close();
});

test("invalid input shows messages that name the field and the fix", async () => {
  const { page, context, errors } = await app.open();
  await page.getByRole("button", { name: "Add OAuth2" }).click();
  assert.equal(await page.locator("[data-severity]").count(), 0, "no message before the first edit");

  await field(page, "Client ID").fill("abc\u200B123");
  await problems(page, "client_id", "error").filter({ hasText: "zero-width space" }).waitFor();

  await field(page, "Token URL").fill("http://idp.example.com/token");
  await problems(page, "token_url", "error").filter({ hasText: "Token URL must use https" }).waitFor();

  await field(page, "Auth URL").fill("javascript:alert(1)");
  await problems(page, "auth_url", "error").filter({ hasText: "Auth URL must be an https URL" }).waitFor();

  await field(page, "Scopes").fill('read "write"');
  await problems(page, "scopes", "error").first().waitFor();
  assert.match(await problems(page, "scopes", "error").first().textContent(), /"write"/);

  await field(page, "Grant Type").selectOption("custom");
  await field(page, "Custom grant type URI").fill("my_grant");
  await problems(page, "grant_type", "error").filter({ hasText: "absolute URI" }).waitFor();

  await field(page, "Token URL").fill("https://sso.example.com/realms/demo/");
  await problems(page, "token_url", "warning").filter({ hasText: "base URL" }).waitFor();
  assert.equal(await problems(page, "token_url", "error").count(), 0);

  await page.getByRole("button", { name: "Save" }).click();
  await page.locator("[data-role=error-summary]").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "name", "focus moves to the first invalid field");
  await page.screenshot({ path: join(RESULTS, "form-errors.png"), fullPage: true });
  assert.equal(await storedText(page), null, "nothing was saved");

  assert.deepEqual(errors, []);
  await context.close();
});

test("scope split fix and public-client warning", async () => {
  const { page, context, errors } = await app.open();
  await page.getByRole("button", { name: "Add OAuth2" }).click();

  await field(page, "Scopes").fill("openid,profile,email,offline_access");
  await page.getByRole("button", { name: "Split into 4 scopes" }).click();
  assert.equal(await field(page, "Scopes").inputValue(), "openid profile email offline_access");

  await field(page, "Name").fill("Public app");
  await field(page, "Client ID").fill("public-app");
  await field(page, "Token URL").fill("https://auth.example.com/oauth/token");
  await field(page, "Auth URL").fill("https://auth.example.com/oauth/authorize");
  await field(page, "Client Secret").fill("typed then removed");
  await field(page, "Client Secret").fill("");
  await problems(page, "client_secret", "warning").filter({ hasText: "PKCE" }).waitFor();
  await page.getByRole("button", { name: "Save" }).click();
  const row = page.locator("tr", { has: page.getByRole("rowheader", { name: "Public app" }) });
  await row.waitFor();
  assert.match(await row.textContent(), /not set/);

  assert.deepEqual(errors, []);
  await context.close();
});

test("unsaved changes ask before they are discarded", async () => {
  const { page, context } = await app.open();
  await page.getByRole("button", { name: "Add OAuth2" }).click();
  await field(page, "Name").fill("Draft only");

  await page.keyboard.press("Escape");
  const dialog = page.getByRole("alertdialog", { name: "Discard unsaved changes?" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await field(page, "Name").inputValue(), "Draft only", "cancelling keeps the text");

  const question = page.waitForEvent("dialog");
  await page.evaluate(() => setTimeout(() => location.reload(), 0));
  const beforeUnload = await question;
  assert.equal(beforeUnload.type(), "beforeunload", "leaving the page with unsaved changes asks first");
  await beforeUnload.dismiss();
  assert.equal(await field(page, "Name").inputValue(), "Draft only", "staying keeps the text");

  await page.keyboard.press("Escape");
  await dialog.getByRole("button", { name: "Discard changes" }).click();
  await page.getByRole("button", { name: "Add OAuth2" }).waitFor();
  assert.equal(await storedText(page), null, "discarding saves nothing");
  await context.close();
});

test("keyboard alone adds and deletes a configuration", async () => {
  const { page, context, errors } = await app.open();
  const active = () => page.evaluate(() => document.activeElement?.getAttribute("name") ?? document.activeElement?.textContent);

  await page.getByRole("button", { name: "Add OAuth2" }).focus();
  await page.keyboard.press("Enter");
  await field(page, "Name").waitFor();
  assert.equal(await active(), "name");
  await page.keyboard.type("Keyboard");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "client_id");
  await page.keyboard.type("kb-client");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "client_secret");
  await page.keyboard.type("kb-secret-value");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "grant_type");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "token_url");
  await page.keyboard.type("https://auth.example.com/oauth/token");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "auth_url");
  await page.keyboard.type("https://auth.example.com/oauth/authorize");
  await page.keyboard.press("Enter");

  const row = page.locator("tr", { has: page.getByRole("rowheader", { name: "Keyboard" }) });
  await row.waitFor();
  assert.equal(await active(), "Edit");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.getByRole("alertdialog").waitFor();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.getByText("No OAuth2 configurations yet").waitFor();

  assert.deepEqual(errors, []);
  await context.close();
});

test("a full storage quota keeps the form and says why", async () => {
  const { page, context } = await app.open();
  await fillStorage(page);
  await fillGitHub(page);
  await page.getByRole("button", { name: "Save" }).click();
  const message = page.locator("[data-role=save-error]");
  await message.waitFor();
  assert.match(await message.textContent(), /storage is full/);
  assert.equal(await field(page, "Name").inputValue(), GITHUB.name, "the form keeps what was typed");
  assert.equal(await storedText(page), null);
  await context.close();
});

test("the page is served under the strict CSP", async () => {
  const response = await fetch(app.url);
  assert.match(response.headers.get("content-security-policy"), /script-src 'self' 'wasm-unsafe-eval'/);
  const html = await readFile(new URL("../dist/index.html", import.meta.url), "utf8");
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "dist/index.html has no inline script");
});
