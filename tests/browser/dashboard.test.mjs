// The dashboard in headless chromium against the real rtd-server (see support.mjs for the
// environment variables). The steps share one page and run in order; the last one restarts
// the server and checks that the page reconnects.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  buildDir, launchChromium, startServer, staticDir, temporaryDirectory,
} from "./support.mjs";

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
// A page opened from disk sends `Origin: null`, which the server refuses unless allowed.
const SERVER_ARGS = ["--market-interval-ms=300", "--system-interval-ms=500", "--allowed-origins=null"];
const FINAL_STATUSES = ["completed", "failed", "cancelled", "rejected", "interrupted"];
const STEP_MS = 30000; // generous: CI machines are often busy

let server;
let browser;
let page;
let dataDir;
const consoleErrors = [];

before(async () => {
  dataDir = temporaryDirectory("rtd-browser-data-");
  server = await startServer({ dataDir: dataDir.dir, args: SERVER_ARGS });
  browser = await launchChromium(DESKTOP);
  page = browser.context.pages()[0] || await browser.context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  dataDir?.remove();
});

/** Waits for the newest job card of `type` to reach a final status; returns what it shows. */
async function finishedJob(type, timeout = STEP_MS) {
  const handle = await page.waitForFunction(([jobType, finals]) => {
    const job = document.querySelector(`.job[data-type="${jobType}"]`);
    if (!job || !finals.includes(job.dataset.status)) return null;
    return {
      status: job.dataset.status,
      statuses: job.dataset.statuses,
      progress: job.querySelector("progress").value,
      message: job.querySelector("[data-role=message]").textContent,
    };
  }, [type, FINAL_STATUSES], { timeout });
  return handle.jsonValue();
}

function marketPoints() {
  return page.$$eval(".market-chart", (charts) => charts.map((chart) => Number(chart.dataset.points)));
}

test("the page loads, goes live and every field has a label", async () => {
  await page.goto(server.httpUrl + "/");
  await page.waitForSelector("#header-state[data-state=live]").catch((error) => {
    throw new Error(`${error.message}\nconsole errors:\n${consoleErrors.join("\n")}`);
  });
  assert.equal(await page.inputValue("#connection-url"), server.wsUrl);
  const unlabelled = await page.$$eval("input, textarea, select",
    (fields) => fields.filter((field) => field.labels.length === 0).map((field) => field.outerHTML));
  assert.deepEqual(unlabelled, []);
});

test("market charts receive at least three updates", async () => {
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll(".market-chart")];
    return charts.length === 5 && charts.every((chart) => Number(chart.dataset.points) >= 3);
  });
  assert.equal(await page.locator(".market-chart canvas").count(), 5);
  const values = await page.$$eval("[data-role=market-rows] [data-role=value]", (cells) => cells.map((c) => c.textContent));
  assert.ok(values.every((text) => /\d/.test(text)), `market table values: ${values}`);
});

test("client-side validation shows the error beside the field and sends nothing", async () => {
  await page.getByRole("tab", { name: "NPV" }).click();
  await page.fill("#calc-npv-discount_rate", "-2");
  await page.getByRole("button", { name: "Calculate NPV" }).click();
  assert.match(await page.textContent("#calc-npv-discount_rate-error"), /> -1/);
  assert.equal(await page.getAttribute("#calc-npv-discount_rate", "aria-invalid"), "true");
  assert.equal(await page.locator(".job").count(), 0);
  await page.fill("#calc-npv-discount_rate", "0.10");
});

test("an NPV calculation shows progress, then the correct value", async () => {
  // The form's defaults are the seed example: 100000, 120000, 140000 at 10% for 300000.
  await page.getByRole("button", { name: "Calculate NPV" }).click();
  const job = await finishedJob("npv");
  assert.equal(job.status, "completed", `NPV job ended ${job.status}: ${job.message}`);
  assert.match(job.statuses, /^sent,started(,processing)*,completed$/);
  assert.equal(job.progress, 100);
  const npv = page.locator(".job[data-type=npv] [data-field=npv]").first();
  assert.ok(Math.abs(Number(await npv.getAttribute("data-value")) - -4733.28) < 0.005);
  assert.equal(await npv.textContent(), "-$4,733.28");
});

test("a Monte Carlo calculation shows its histogram", async () => {
  await page.getByRole("tab", { name: "Monte Carlo" }).click();
  await page.fill("#calc-monte_carlo-iterations", "200000");
  await page.getByRole("button", { name: "Calculate Monte Carlo" }).click();
  const job = await finishedJob("monte_carlo", 60000);
  assert.equal(job.status, "completed", `Monte Carlo job ended ${job.status}: ${job.message}`);
  const histogram = page.locator(".job[data-type=monte_carlo] .histogram").first();
  assert.equal(await histogram.getAttribute("data-bins"), "20");
  assert.equal(await histogram.locator("canvas").count(), 1);
});

test("a running calculation can be cancelled", async () => {
  await page.fill("#calc-monte_carlo-iterations", "5000000");
  // Submit and press Cancel in one go, so the cancel reaches the server long before the
  // 5 million iterations could finish, however busy the machine is.
  await page.evaluate(() => {
    document.querySelector("#calc-form-monte_carlo button[type=submit]").click();
    document.querySelector(".job[data-type=monte_carlo] [data-role=cancel]").click();
  });
  const job = await finishedJob("monte_carlo");
  assert.equal(job.status, "cancelled", `job ended ${job.status}: ${job.message}`);
  await page.fill("#calc-monte_carlo-iterations", "100000");
});

test("a calculation the server fails shows its error in the job", async () => {
  // A sign change passes the client's check, but this npv never crosses 0: no IRR exists.
  await page.getByRole("tab", { name: "IRR" }).click();
  await page.fill("#calc-irr-cash_flows", "2, -2");
  await page.fill("#calc-irr-initial_investment", "1");
  await page.getByRole("button", { name: "Calculate IRR" }).click();
  const job = await finishedJob("irr");
  assert.ok(["failed", "rejected"].includes(job.status), `IRR job ended ${job.status}`);
  assert.match(job.message, /IRR/);
});

test("the live NPV follows the market discount rate", async () => {
  await page.check("#live-npv-toggle");
  await page.waitForFunction(
    () => Number(document.querySelector("[data-role=live-npv-value]").dataset.updates) >= 2);
  assert.match(await page.textContent("[data-role=live-npv-value]"), /\$/);
  await page.uncheck("#live-npv-toggle");
});

test("the live NPV shows the market update it follows", async () => {
  await page.check("#live-npv-toggle");
  // Read together, once this job's first update shows: the value keeps the last job's
  // market_seq until then, and a later update may land between two separate reads.
  const shown = await page.waitForFunction(() => {
    const details = document.querySelector("[data-role=live-npv-details]").textContent;
    const seq = document.querySelector("[data-role=live-npv-value]").dataset.marketSeq;
    return /market update #\d+/.test(details) && { seq, details };
  });
  const { seq, details } = await shown.jsonValue();
  assert.ok(Number(seq) >= 1, `market_seq ${seq}`);
  assert.match(details, new RegExp(`market update #${seq}\\b`));
  await page.uncheck("#live-npv-toggle");
});

test("an alert set in the form fires into the feed, highlighted, and can be removed", async () => {
  // Above 0 holds at once: it fires on the latest market update.
  await page.selectOption("#alert-metric", "discount_rate");
  await page.selectOption("#alert-condition", "above");
  await page.fill("#alert-threshold", "0");
  await page.getByRole("button", { name: "Set alert" }).click();
  const listed = page.locator(".alert-item[data-set=true]");
  await listed.waitFor();
  const id = await listed.getAttribute("data-alert-id");
  const fired = page.locator(`#notification-feed li.alert-fired[data-alert-id="${id}"]`);
  await fired.waitFor();
  assert.match(await fired.textContent(), /discount_rate above 0/);
  // A bad threshold is refused in the page, before anything is sent.
  await page.fill("#alert-threshold", "lots");
  await page.getByRole("button", { name: "Set alert" }).click();
  assert.match(await page.textContent("[data-role=alert-error]"), /number/);
  await page.getByRole("button", { name: `Remove ${id}` }).click();
  await page.waitForFunction(() => document.querySelectorAll(".alert-item").length === 0);
  assert.equal(await page.locator(`#notification-feed li.alert-fired[data-alert-id="${id}"]`).count(), 1);
});

test("an alert on an analytics figure is set from the form, a reversal without threshold", async () => {
  // A volatility is never negative: above -1 holds at once, on the latest analytics update.
  await page.selectOption("#alert-metric", "analytics.tech_index.volatility");
  await page.selectOption("#alert-condition", "above");
  await page.fill("#alert-threshold", "-1");
  await page.getByRole("button", { name: "Set alert" }).click();
  const fired = page.locator("#notification-feed li.alert-fired", { hasText: "analytics.tech_index.volatility above -1" });
  await fired.first().waitFor();
  await page.selectOption("#alert-metric", "analytics.discount_rate.trend_reversal");
  assert.equal(await page.inputValue("#alert-condition"), "reversal");
  assert.equal(await page.isDisabled("#alert-threshold"), true);
  await page.getByRole("button", { name: "Set alert" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".alert-item[data-set=true]").length === 2);
  for (const id of await page.$$eval(".alert-item", (items) => items.map((item) => item.dataset.alertId))) {
    await page.getByRole("button", { name: `Remove ${id}` }).click();
  }
  await page.waitForFunction(() => document.querySelectorAll(".alert-item").length === 0);
});

test("the analytics panel shows every indicator's trend, volatility and z-score", async () => {
  await page.waitForFunction(() => Number(document.querySelector("[data-role=analytics-rows]").dataset.updates) >= 2);
  const rows = await page.$$eval("[data-role=analytics-rows] tr", (trs) => trs.map((tr) => ({
    indicator: tr.dataset.indicator, trend: tr.dataset.trend,
    zscore: tr.querySelector("[data-role=zscore]").textContent,
    volatility: tr.querySelector("[data-role=volatility]").textContent,
  })));
  assert.deepEqual(rows.map((r) => r.indicator),
    ["discount_rate", "inflation_rate", "market_growth", "tech_index", "ai_adoption_rate"]);
  for (const row of rows) {
    assert.ok(["up", "down", "flat"].includes(row.trend), JSON.stringify(row));
    assert.ok(Number.isFinite(Number(row.zscore)) && Number.isFinite(Number(row.volatility)), JSON.stringify(row));
  }
});

test("a forecast draws its fan chart", async () => {
  // Holt's method needs 10 recorded steps: the page has seen every step since the server
  // started (history, then live), so it waits for them on its tech_index chart.
  await page.waitForFunction(() =>
    Number(document.querySelector(".market-chart[data-indicator=tech_index]").dataset.points) > 10);
  await page.selectOption("#forecast-indicator", "tech_index");
  await page.fill("#forecast-horizon", "15");
  await page.getByRole("button", { name: "Forecast" }).click();
  await page.waitForSelector(".forecast-chart[data-points='15'] canvas");
  assert.match(await page.textContent("[data-role=forecast-status]"), /^holt: 15 steps, next /);
  // The bands are drawn: the canvas is not blank.
  const painted = await page.$eval(".forecast-chart canvas", (canvas) => {
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
    return false;
  });
  assert.ok(painted);
});

test("a page opened later fills its market charts from the history", async () => {
  const later = await browser.context.newPage();
  try {
    await later.goto(server.httpUrl + "/");
    await later.waitForSelector("#header-state[data-state=live]");
    // Every update since the server started (one per 300 ms, a dozen or more by now), at once.
    await later.waitForFunction(() => document.getElementById("market-panel").dataset.historyPoints);
    const filled = Number(await later.getAttribute("#market-panel", "data-history-points"));
    assert.ok(filled >= 10, `filled from history: ${filled}`);
    const points = await later.$$eval(".market-chart", (charts) => charts.map((c) => Number(c.dataset.points)));
    assert.ok(points.every((n) => n >= filled), `points: ${points}`);
  } finally {
    await later.close();
  }
});

test("a notification posted over HTTP appears in the feed", async () => {
  const message = `browser test notification ${Date.now()}`;
  const response = await fetch(`${server.httpUrl}/api/notifications`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ message, level: "warning", notification_type: "info" }),
  });
  assert.equal(response.status, 202);
  const item = page.locator("#notification-feed li", { hasText: message });
  await item.waitFor();
  assert.equal(await item.getAttribute("data-level"), "warning");
  assert.ok(Number(await page.textContent("[data-role=unread]")) >= 1);
});

test("the system panel shows at least one connection", async () => {
  await page.waitForFunction(
    () => Number(document.getElementById("system-connections-active").textContent) >= 1);
  await page.waitForSelector("[data-role=nodes] li");
});

test("no console errors, and screenshots at desktop and phone width", async () => {
  assert.deepEqual(consoleErrors, []);
  await page.screenshot({ path: path.join(buildDir, "dashboard-desktop.png"), fullPage: true });
  await page.setViewportSize(PHONE);
  // Nothing may stick out sideways at phone width (charts follow their container's width).
  await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth);
  await page.screenshot({ path: path.join(buildDir, "dashboard-phone.png"), fullPage: true });
  await page.setViewportSize(DESKTOP);
});

test("opened from disk, the page defaults to localhost:8000 and connects to the URL typed", async () => {
  const diskPage = await browser.context.newPage();
  try {
    await diskPage.goto(pathToFileURL(path.join(staticDir, "realtime_dashboard.html")).href);
    assert.equal(await diskPage.inputValue("#connection-url"), "ws://localhost:8000/ws");
    await diskPage.fill("#connection-url", server.wsUrl);
    await diskPage.getByRole("button", { name: "Connect", exact: true }).click();
    await diskPage.waitForSelector("#header-state[data-state=live]");
    // Charts drawn means uPlot loaded from vendor/ beside the page.
    await diskPage.waitForFunction(() => [...document.querySelectorAll(".market-chart")]
      .every((chart) => Number(chart.dataset.points) >= 1 && chart.querySelector("canvas")));
  } finally {
    await diskPage.close();
  }
});

test("the page reconnects after the server restarts", async () => {
  const { port } = server;
  assert.equal(await server.stop(), 0);
  await page.waitForSelector("#header-state[data-state=reconnecting]");
  server = await startServer({ port, dataDir: dataDir.dir, args: SERVER_ARGS });
  await page.waitForSelector("#header-state[data-state=live]", { timeout: 40000 });
  const before = Math.min(...await marketPoints());
  await page.waitForFunction(
    (count) => [...document.querySelectorAll(".market-chart")].every((c) => Number(c.dataset.points) > count),
    before);
});
