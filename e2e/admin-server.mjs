// Starts and stops the reference admin server for end-to-end tests, on a free port of 127.0.0.1
// with its data in a folder of the test's own.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const SERVER_BIN = process.env.OAUTH2_ADMIN_SERVER ?? join(ROOT, "target/server/oauth2-admin-server");
export const TOKEN = "e2e-admin-token-5f0c9a";

/** Returns a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail).listen(0, "127.0.0.1", () => {
      const { port: found } = probe.address();
      probe.close(() => done(found));
    });
  });
}

/**
 * Starts the server on `port` with the database in `dataDir` and the page from `dist`; the
 * returned handle's `ready` resolves when it responds, and `log` collects its output.
 */
export function startServer({ port, dataDir, dist = join(ROOT, "dist") }) {
  const child = spawn(SERVER_BIN, ["--bind", `127.0.0.1:${port}`, "--database", join(dataDir, "db.sqlite3"), "--dist", dist], {
    env: { ...process.env, OAUTH2_ADMIN_TOKEN: TOKEN, RUST_LOG: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const handle = { child, log: "" };
  const collect = (chunk) => {
    handle.log += chunk.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  handle.exited = new Promise((done) => child.once("exit", done));
  handle.ready = (async () => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      if (child.exitCode !== null) throw new Error(`server exited early:\n${handle.log}`);
      await new Promise((wait) => setTimeout(wait, 50));
    }
    throw new Error(`server did not start:\n${handle.log}`);
  })();
  return handle;
}

/** Stops the server with SIGTERM and waits for it to exit. */
export async function stopServer(handle) {
  handle.child.kill("SIGTERM");
  await handle.exited;
}

/** Lists the configurations on the server. */
export async function listConfigs(port) {
  const response = await fetch(`http://127.0.0.1:${port}/api/oauth2-configs`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return (await response.json()).items;
}
