// Serves a built dist/ folder on 127.0.0.1 with the page's security headers.
// `make run` uses it from the command line; the end-to-end tests import startServer().
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

const HEADERS = {
  "Content-Security-Policy": `${CSP}; frame-ancestors 'self'`,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-cache",
};

/** Starts the server and resolves to { url, close() }. Port 0 picks a free port. */
export async function startServer({ dir, port = 0, host = "127.0.0.1" }) {
  const root = resolve(dir);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!file.startsWith(root + sep) || !["GET", "HEAD"].includes(request.method)) {
      response.writeHead(404, HEADERS).end("not found\n");
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      const type = TYPES[extname(file)] ?? "application/octet-stream";
      response.writeHead(200, { ...HEADERS, "Content-Type": type });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch {
      response.writeHead(404, HEADERS).end("not found\n");
    }
  });
  await new Promise((done, fail) => server.once("error", fail).listen(port, host, done));
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}/`,
    close: () => new Promise((done) => server.close(done)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dir: { type: "string", default: "dist" }, port: { type: "string", default: "8080" } } });
  const server = await startServer({ dir: values.dir, port: Number(values.port) });
  console.log(`Serving ${values.dir} at ${server.url} (Ctrl+C stops it)`);
}
