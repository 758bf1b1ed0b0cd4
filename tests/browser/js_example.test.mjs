// examples/websocket_client.js against the real rtd-server for a few seconds.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { repoRoot, startServer, temporaryDirectory } from "./support.mjs";

const run = promisify(execFile);
const client = path.join(repoRoot, "examples", "websocket_client.js");

let server;
let dataDir;
let result;

before(async () => {
  dataDir = temporaryDirectory("rtd-js-example-data-");
  server = await startServer({ dataDir: dataDir.dir, args: ["--market-interval-ms=200"] });
  // --duration ends the client; the timeout only guards against a hang.
  result = await run(process.execPath, [client, "--url", server.wsUrl, "--duration", "3"],
    { timeout: 20000 });
});

after(async () => {
  await server?.stop();
  dataDir?.remove();
});

test("the example exits 0 after --duration and prints market updates", () => {
  const updates = result.stdout.split("\n").filter((line) => /^market_data #\d+ market_update /.test(line));
  assert.ok(updates.length >= 3, `expected market updates, got:\n${result.stdout}`);
  assert.match(result.stderr, /summary: connections=1 received=\d+ problems=0/);
});

test("the example runs the seed NPV calculation", () => {
  assert.match(result.stdout, /npv of the seed example: -4733\.28/);
});

test("--quiet prints only the summary", async () => {
  const quiet = await run(process.execPath, [client, "--url", server.wsUrl, "--duration", "1", "--quiet"],
    { timeout: 20000 });
  assert.equal(quiet.stdout, "");
  assert.match(quiet.stderr, /summary: connections=1/);
});
