// The dashboard over https and wss: rtd-server with a certificate the test makes with the
// openssl CLI, the page loaded from it in headless chromium (which is told to accept the
// self-signed certificate), live market data over the encrypted WebSocket.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { launchChromium, startServer, temporaryDirectory } from "./support.mjs";

const STEP_MS = 30000;

let server;
let browser;
let page;
let dir;

before(async () => {
  dir = temporaryDirectory("rtd-browser-tls-");
  const cert = path.join(dir.dir, "cert.pem");
  const key = path.join(dir.dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
  ], { stdio: "ignore" });
  server = await startServer({
    dataDir: path.join(dir.dir, "data"),
    args: ["--market-interval-ms=300", `--tls-cert=${cert}`, `--tls-key=${key}`],
  });
  browser = await launchChromium({ width: 1280, height: 900 }, { ignoreHTTPSErrors: true });
  page = browser.context.pages()[0] || await browser.context.newPage();
  page.setDefaultTimeout(STEP_MS);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  dir?.remove();
});

test("served over https, the page connects with wss and receives market data", async () => {
  assert.match(server.httpUrl, /^https:/);
  await page.goto(server.httpUrl + "/");
  await page.waitForSelector("#header-state[data-state=live]");
  assert.equal(await page.inputValue("#connection-url"), server.wsUrl);
  assert.match(server.wsUrl, /^wss:/);
  await page.waitForFunction(() => [...document.querySelectorAll(".market-chart")]
    .every((chart) => Number(chart.dataset.points) >= 2));
});
