// Shared by the browser tests: start and stop the real rtd-server, launch Debian's chromium.
//
// Environment:
//   RTD_BUILD_DIR   build folder (default: <repo>/build); screenshots are written there
//   RTD_SERVER      server binary (default: $RTD_BUILD_DIR/rtd-server)
//   RTD_STATIC_DIR  dashboard folder passed as --static-dir (default: $RTD_BUILD_DIR/static)
//   CHROMIUM        browser binary (default: /usr/bin/chromium); never downloaded
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const buildDir = process.env.RTD_BUILD_DIR || path.join(repoRoot, "build");
export const serverBinary = process.env.RTD_SERVER || path.join(buildDir, "rtd-server");
export const staticDir = process.env.RTD_STATIC_DIR || path.join(buildDir, "static");
export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

const START_DEADLINE_MS = 15000;
const STOP_DEADLINE_MS = 10000;

/** Rejects with `message` unless `promise` settles within `ms`. */
export async function withDeadline(promise, ms, message) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (after ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts rtd-server with `args` (plus --port, --data-dir and --static-dir) and resolves once it
 * logs "listening on http(s)://HOST:PORT". Returns {port, httpUrl, wsUrl, stop(), output()}.
 */
export async function startServer({ port = 0, dataDir, args = [] } = {}) {
  const child = spawn(serverBinary, [
    `--port=${port}`, `--data-dir=${dataDir}`, `--static-dir=${staticDir}`, "--log-level=info", ...args,
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const listening = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk;
      const match = /listening on (https?):\/\/([^\s:]+):(\d+)/.exec(log);
      if (match) resolve({ scheme: match[1], host: match[2], port: Number(match[3]) });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`rtd-server exited with ${code} before listening:\n${log}`)));
  });
  const exited = once(child, "exit");
  let address;
  try {
    address = await withDeadline(listening, START_DEADLINE_MS, `rtd-server did not start:\n${log}`);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const httpUrl = `${address.scheme}://${address.host}:${address.port}`;
  const wsScheme = address.scheme === "https" ? "wss" : "ws";
  return {
    port: address.port,
    httpUrl,
    wsUrl: `${wsScheme}://${address.host}:${address.port}/ws`,
    output: () => log,
    /** SIGTERM, then waits for the exit; resolves to the exit code. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const [code] = await withDeadline(exited, STOP_DEADLINE_MS, "rtd-server did not stop on SIGTERM");
      return code;
    },
  };
}

export function temporaryDirectory(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Headless Debian chromium with a fresh profile; the profile is removed on close. */
export async function launchChromium(viewport, { ignoreHTTPSErrors = false } = {}) {
  const { chromium } = await import("playwright-core");
  const profile = temporaryDirectory("rtd-chromium-");
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    ignoreHTTPSErrors,
    args: [
      "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      profile.remove();
    },
  };
}
