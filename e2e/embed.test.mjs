// The manager embedded in the example portal (examples/portal), served by the admin server: both
// ways in, under deliberately hostile global CSS.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { TOKEN, freePort, listConfigs, startServer, stopServer } from "./admin-server.mjs";
import { RESULTS, field, start } from "./harness.mjs";

let app;
let server;
let port;

before(async () => {
  app = await start();
  port = await freePort();
  server = startServer({ port, dataDir: mkdtempSync(join(RESULTS, "embed-")) });
  await server.ready;
});

after(async () => {
  await app?.close();
  if (server) await stopServer(server);
});

async function openPortal() {
  const opened = await app.open(`http://127.0.0.1:${port}/embed/portal/`, {
    init: (token) => sessionStorage.setItem("oauth2-admin.token", JSON.stringify(token)),
    initArg: TOKEN,
  });
  const { page } = opened;
  opened.mounted = page.locator("#mounted-manager");
  opened.element = page.locator("#element-manager");
  await opened.mounted.locator("[data-mode=server]").waitFor();
  await opened.element.locator("[data-mode=server]").waitFor();
  return opened;
}

/** Returns computed style properties of the first element matching `locator`. */
function styleOf(locator, ...names) {
  return locator.first().evaluate((element, names) => {
    const style = getComputedStyle(element);
    return Object.fromEntries(names.map((name) => [name, style.getPropertyValue(name)]));
  }, names);
}

test("both ways in render and resist the portal's CSS", async () => {
  const { page, context, mounted, element, errors } = await openPortal();
  for (const host of [mounted, element]) {
    const add = host.getByRole("button", { name: "Add OAuth2" });
    const button = await styleOf(add, "background-color", "font-family", "text-transform", "border-top-style");
    assert.equal(button["background-color"], "rgb(11, 92, 173)", "the accent colour, not the portal's yellow");
    assert.doesNotMatch(button["font-family"], /Comic Sans/);
    assert.equal(button["text-transform"], "none");
    assert.equal(button["border-top-style"], "solid");
    const table = await styleOf(host.locator("table"), "border-top-color", "transform", "display");
    assert.notEqual(table["border-top-color"], "rgb(0, 255, 0)", "the portal's lime table border does not apply");
    assert.equal(table.transform, "none");
    assert.equal(table.display, "table", "all: unset does not reach inside");
  }
  const portalButton = await styleOf(page.locator("#unmount"), "background-color");
  assert.equal(portalButton["background-color"], "rgb(255, 255, 0)", "the manager's CSS does not style the portal");
  await page.screenshot({ path: join(RESULTS, "portal.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("add, edit and delete in the portal raise events", async () => {
  const { page, context, mounted } = await openPortal();
  await mounted.getByRole("button", { name: "Add OAuth2" }).click();
  await field(mounted, "Name").fill("Portal app");
  await field(mounted, "Client ID").fill("portal-client");
  await field(mounted, "Client Secret").fill("portal-secret-value-1");
  await field(mounted, "Grant Type").selectOption("client_credentials");
  await field(mounted, "Token URL").fill("https://auth.example.com/oauth/token");
  await mounted.getByRole("button", { name: "Save" }).click();
  await mounted.getByRole("rowheader", { name: "Portal app" }).waitFor();

  const saved = page.locator("#event-log li[data-type=oauth2-config-saved]");
  await saved.waitFor();
  const stored = (await listConfigs(port)).find((item) => item.name === "Portal app");
  const text = await saved.textContent();
  assert.match(text, new RegExp(`"id":"${stored.id}"`));
  assert.match(text, /"name":"Portal app"/);
  assert.doesNotMatch(text, /portal-secret-value-1/);

  await mounted.getByRole("button", { name: "Edit Portal app" }).click();
  await field(mounted, "Scopes").fill("read");
  await mounted.getByRole("button", { name: "Save" }).click();
  await page.locator("#event-log li[data-type=oauth2-config-saved]").nth(1).waitFor();

  await mounted.getByRole("button", { name: "Delete Portal app" }).click();
  await mounted.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  const deleted = page.locator("#event-log li[data-type=oauth2-config-deleted]");
  await deleted.waitFor();
  assert.match(await deleted.textContent(), /"name":"Portal app"/);
  assert.equal((await listConfigs(port)).filter((item) => item.name === "Portal app").length, 0);
  await context.close();
});

test("one sign-in serves both instances", async () => {
  const { page, context } = await app.open(`http://127.0.0.1:${port}/embed/portal/`);
  const dialogs = page.getByRole("dialog", { name: "Admin token required" });
  await page.waitForFunction(() => document.querySelectorAll("oauth2-config-manager, #mounted-manager").length === 2);
  await dialogs.first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll("#mounted-manager, #element-manager")]
    .every((host) => host.shadowRoot?.querySelector("dialog[open]")));
  // Both managers ask at once. The modal on top has focus, so the admin types into it.
  await page.keyboard.type(TOKEN);
  await page.keyboard.press("Enter");

  for (const host of [page.locator("#mounted-manager"), page.locator("#element-manager")]) {
    await host.getByText("No OAuth2 configurations yet").or(host.locator("tr[data-config-id]").first()).waitFor();
  }
  await page.waitForFunction(() => [...document.querySelectorAll("#mounted-manager, #element-manager")]
    .every((host) => ![...host.shadowRoot.querySelectorAll("dialog")].some((dialog) => dialog.open)));
  await context.close();
});

test("two instances work independently", async () => {
  const { context, mounted, element } = await openPortal();
  await mounted.getByRole("button", { name: "Add OAuth2" }).click();
  await field(mounted, "Name").fill("Only in the first");
  assert.equal(await element.getByRole("button", { name: "Add OAuth2" }).count(), 1, "the second still shows its table");
  assert.equal(await element.locator("input[name=name]").count(), 0);

  await element.getByRole("button", { name: "Add OAuth2" }).click();
  await field(element, "Name").fill("Second form");
  assert.equal(await field(mounted, "Name").inputValue(), "Only in the first", "typing in one does not touch the other");
  await context.close();
});

test("attribute changes take effect", async () => {
  const { page, context, element } = await openPortal();
  await element.evaluate((node) => node.removeAttribute("api-base"));
  await element.locator("[data-mode=local]").waitFor();
  await element.evaluate((node) => node.setAttribute("api-base", "../../api"));
  await element.locator("[data-mode=server]").waitFor();

  await element.evaluate((node) => node.remove());
  assert.equal(await page.locator("oauth2-config-manager").count(), 0);
  await context.close();
});

test("unmount removes everything and leaks nothing", async () => {
  const { page, context, mounted } = await openPortal();
  const session = await context.newCDPSession(page);
  const windowListeners = async () => {
    const { result } = await session.send("Runtime.evaluate", { expression: "window" });
    const { listeners } = await session.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
    return listeners.length;
  };
  // Track live timers: every setTimeout not yet fired or cleared.
  await page.evaluate(() => {
    const live = new Set();
    const { setTimeout: set, clearTimeout: clear } = window;
    window.setTimeout = (callback, delay, ...rest) => {
      const id = set((...args) => {
        live.delete(id);
        if (typeof callback === "function") callback(...args);
      }, delay, ...rest);
      live.add(id);
      return id;
    };
    window.clearTimeout = (id) => {
      live.delete(id);
      clear(id);
    };
    window.liveTimers = live;
  });
  await page.locator("#unmount").click();
  await page.waitForFunction(() => document.getElementById("mounted-manager").shadowRoot.childElementCount === 0);
  const before = await windowListeners();
  const timersBefore = await page.evaluate(() => window.liveTimers.size);

  const cycles = 100;
  await page.evaluate(async (cycles) => {
    const { mount } = await import("../oauth2-config-manager.js");
    const host = document.getElementById("mounted-manager");
    for (let index = 0; index < cycles; index += 1) {
      const manager = await mount(host, { apiBase: "../../api" });
      await new Promise((settled) => requestAnimationFrame(settled));
      manager.unmount();
    }
  }, cycles);
  const afterCycles = await windowListeners();
  const children = await mounted.evaluate((host) => host.shadowRoot.childElementCount);
  const timersAfter = await page.evaluate(() => window.liveTimers.size);
  console.log(`mount/unmount x${cycles}: window listeners ${before} before, ${afterCycles} after; live timers ${timersBefore} before, ${timersAfter} after; shadow root children after: ${children}`);
  assert.equal(timersAfter, timersBefore, "no timer is left behind");
  assert.equal(children, 0, "unmount empties the shadow root");
  assert.equal(afterCycles, before, "no window listener is left behind");
  await context.close();
});
