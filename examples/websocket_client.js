#!/usr/bin/env node
// Example rtd client in Node.js (npm package "ws"): subscribe, calculate, ping, stay connected.
//
// The practices every long-lived rtd client should follow (see docs/protocol.md):
//  * reconnect with exponential backoff and jitter, so that a restarted server is not hit by
//    every client at the same instant;
//  * remember the last `seq` and `epoch` seen on each channel and resubscribe with `since_seq`
//    and `epoch`, so that publications missed while disconnected are replayed;
//  * check `seq` is exactly +1 per publication (a gap is reported, a duplicate dropped);
//  * exit cleanly on Ctrl-C: close the WebSocket normally (code 1000) and exit 0.
//
// Usage: node examples/websocket_client.js [--url ws://localhost:8000/ws]
//          [--channels market_data,system] [--duration SECONDS] [--quiet]
// Needs `npm ci` (or `npm install ws`) at the repository root.
"use strict";

const WebSocket = require("ws");

// The seed's calculation example, as written in docs/protocol.md, plus an `id` for the reply.
const NPV_EXAMPLE = {
  type: "calculate",
  id: "npv-example",
  calculation_id: "unique_id",
  calculation_type: "npv",
  parameters: {
    cash_flows: [100000, 120000, 140000],
    discount_rate: 0.10,
    initial_investment: 300000,
  },
};

const PING_INTERVAL_MS = 15000;
const BACKOFF_INITIAL_MS = 500;
const BACKOFF_MAX_MS = 30000;
const OPEN_TIMEOUT_MS = 10000;
const CLOSE_TIMEOUT_MS = 2000;

const USAGE = `usage: websocket_client.js [--url URL] [--channels LIST] [--duration SECONDS] [--quiet]
  --url URL           server WebSocket URL (default ws://localhost:8000/ws)
  --channels LIST     comma-separated channels to subscribe to (default market_data)
  --duration SECONDS  exit 0 after this many seconds (default: run until Ctrl-C)
  --quiet             print only warnings and the summary`;

function parseArgs(argv) {
  const options = { url: "ws://localhost:8000/ws", channels: "market_data", duration: null, quiet: false };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === "--url") options.url = value();
    else if (flag === "--channels") options.channels = value();
    else if (flag === "--duration") options.duration = Number(value());
    else if (flag === "--quiet") options.quiet = true;
    else if (flag === "--help" || flag === "-h") { console.log(USAGE); process.exit(0); }
    else { console.error(`unknown argument ${argv[i]}\n${USAGE}`); process.exit(2); }
  }
  if (options.duration !== null && !(options.duration > 0)) {
    console.error("--duration needs a positive number of seconds");
    process.exit(2);
  }
  return options;
}

/** Last seq/epoch seen on one channel: builds the resubscribe and checks continuity. */
class ChannelTracker {
  constructor(channel) {
    this.channel = channel;
    this.epoch = null;
    this.lastSeq = null;
  }

  subscribeRequest() {
    const request = { type: "subscribe", channel: this.channel, id: `sub-${this.channel}` };
    if (this.epoch !== null) Object.assign(request, { since_seq: this.lastSeq, epoch: this.epoch });
    return request;
  }

  /** Returns a note for the user when the server could not recover what we missed. */
  onSubscribed(ack) {
    if (ack.recovered === true && ack.epoch === this.epoch) return null;
    const note = "recovered" in ack ? `${this.channel}: recovery impossible (epoch ${ack.epoch}), starting afresh` : null;
    // The channel's latest publication (seq == ack.seq) may follow a fresh subscribe at once.
    this.epoch = ack.epoch;
    this.lastSeq = ack.seq - 1;
    return note;
  }

  /** Returns {accept, problem}: duplicates are dropped, gaps accepted but reported. */
  onPublication({ seq, epoch }) {
    if (epoch !== this.epoch || this.lastSeq === null) {
      const problem = this.epoch === null ? null : `${this.channel}: epoch changed to ${epoch}`;
      this.epoch = epoch;
      this.lastSeq = seq;
      return { accept: true, problem };
    }
    if (seq <= this.lastSeq) {
      return { accept: false, problem: `${this.channel}: duplicate or old seq ${seq} (last ${this.lastSeq})` };
    }
    const problem = seq > this.lastSeq + 1 ? `${this.channel}: gap, seq ${this.lastSeq + 1}..${seq - 1} missed` : null;
    this.lastSeq = seq;
    return { accept: true, problem };
  }
}

class Client {
  constructor({ url, channels, quiet }) {
    this.url = url;
    this.quiet = quiet;
    this.trackers = new Map(channels.map((channel) => [channel, new ChannelTracker(channel)]));
    this.stopping = false;
    this.socket = null;
    this.calculationRequested = false;
    this.attempt = 0; // reconnection attempts since the last welcome
    this.received = 0;
    this.problems = 0;
    this.connections = 0;
    this.pingTimer = null;
    this.retryTimer = null;
    this.nextPingId = 1;
    this.done = new Promise((resolve) => { this.finish = resolve; });
  }

  show(text) {
    if (!this.quiet) console.log(text);
  }

  warn(text) {
    console.error(`warning: ${text}`);
  }

  problem(text) {
    this.problems += 1;
    this.warn(text);
  }

  /** Connects, and reconnects with backoff until stop(); resolves once stopped. */
  run() {
    this.connect();
    return this.done;
  }

  stop() {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      const socket = this.socket;
      socket.close(1000, "client exiting");
      // A server that never answers the close must not keep us waiting.
      setTimeout(() => socket.terminate(), CLOSE_TIMEOUT_MS).unref();
    } else {
      if (this.socket) this.socket.terminate();
      this.finish();
    }
  }

  connect() {
    const socket = new WebSocket(this.url, { handshakeTimeout: OPEN_TIMEOUT_MS });
    this.socket = socket;
    socket.on("message", (data, isBinary) => this.onFrame(data, isBinary));
    socket.on("error", (error) => this.warn(`connection: ${error.message || error.code}`));
    socket.on("close", (code, reason) => this.onClose(code, reason.toString()));
  }

  onClose(code, reason) {
    clearInterval(this.pingTimer);
    this.socket = null;
    if (this.stopping) return this.finish();
    if (code !== 1006) this.show(`server closed the connection: ${code} ${reason}`);
    // Exponential backoff with "equal jitter": half fixed, half random.
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.show(`reconnecting in ${(delay / 1000).toFixed(2)} s`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
    return undefined;
  }

  send(message) {
    this.show(`-> ${JSON.stringify(message)}`);
    this.socket.send(JSON.stringify(message));
  }

  onFrame(data, isBinary) {
    this.received += 1;
    let message;
    try {
      if (isBinary) throw new Error("binary frame");
      message = JSON.parse(data.toString("utf8"));
    } catch (error) {
      return this.problem(`not JSON text: ${error.message}`);
    }
    if (message === null || typeof message !== "object" || typeof message.type !== "string") {
      return this.problem(`not an object with a string type: ${String(data).slice(0, 200)}`);
    }
    return this.handle(message);
  }

  onWelcome(welcome) {
    this.connections += 1;
    this.attempt = 0;
    this.show(`connected: session=${welcome.session_id} node=${welcome.node}`);
    for (const tracker of this.trackers.values()) this.send(tracker.subscribeRequest());
    if (!this.calculationRequested) {
      this.calculationRequested = true;
      this.send(NPV_EXAMPLE);
    }
    this.ping();
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
  }

  ping() {
    this.send({ type: "ping", id: this.nextPingId++ });
  }

  handle(message) {
    const tracker = this.trackers.get(message.channel);
    if (message.type === "welcome") {
      this.onWelcome(message);
    } else if (message.type === "subscribed" && tracker) {
      const note = tracker.onSubscribed(message);
      if (note) this.warn(note);
      const recovered = "recovered" in message ? ` recovered=${message.recovered}` : "";
      this.show(`subscribed to ${message.channel} at seq ${message.seq}${recovered}`);
    } else if (typeof message.seq === "number" && tracker) {
      const { accept, problem } = tracker.onPublication(message);
      if (problem) this.problem(problem);
      if (accept) this.showPublication(message);
    } else if (message.type === "error") {
      this.showError(message);
    } else if (message.type === "pong") {
      this.show(`pong id=${message.id} at ${message.timestamp}`);
    } else if (message.type === "calculation_update") {
      this.showCalculation(message);
    } else {
      this.show(`<- ${JSON.stringify(message)}`);
    }
  }

  showPublication(message) {
    const head = `${message.channel} #${message.seq}`;
    if (message.type === "market_update") {
      const values = Object.entries(message.data || {})
        .map(([key, value]) => `${key}=${Number(value).toPrecision(4)}`).join(" ");
      this.show(`${head} market_update ${values}`);
    } else if (message.type === "system_status") {
      const data = message.data || {};
      const connections = data.connections || {};
      this.show(`${head} system_status ${data.status} connections active=${connections.active} total=${connections.total}`);
    } else {
      this.show(`${head} ${JSON.stringify(message)}`);
    }
  }

  showCalculation(update) {
    let detail = update.progress !== undefined ? `${update.progress}%` : "";
    if (update.status === "completed") detail = JSON.stringify(update.result);
    if (update.status === "failed") detail = `${update.error?.code}: ${update.error?.message}`;
    this.show(`calculation ${update.calculation_id}: ${update.status} ${detail}`.trimEnd());
    if (update.calculation_id === NPV_EXAMPLE.calculation_id && update.status === "completed") {
      this.show(`npv of the seed example: ${update.result.npv.toFixed(2)}`);
    }
  }

  showError(error) {
    if (error.id === NPV_EXAMPLE.id || error.request_type === "calculate") {
      // A server without calculations (or refusing this one): carry on without it.
      this.show(`calculation not run: ${error.code}: ${error.message}`);
    } else {
      this.warn(`server error ${error.code}: ${error.message} (id=${error.id})`);
    }
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const channels = options.channels.split(",").filter(Boolean);
  const client = new Client({ url: options.url, channels, quiet: options.quiet });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => client.stop());
  if (options.duration !== null) setTimeout(() => client.stop(), options.duration * 1000);
  await client.run();
  console.error(`summary: connections=${client.connections} received=${client.received} problems=${client.problems}`);
  return 0;
}

main().then((code) => process.exit(code));
