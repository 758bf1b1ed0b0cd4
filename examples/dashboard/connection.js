// The WebSocket link to rtd: connects, reconnects with backoff, resubscribes with recovery.
// No DOM here; panels listen to its events:
//   "state"   detail {state: "connecting"|"live"|"reconnecting"|"offline", retryAt, attempt, welcome}
//   "message" detail: every parsed message, publications only once and in order per channel
(function (rtd) {
  "use strict";

  const BACKOFF_INITIAL_MS = 500;
  const BACKOFF_MAX_MS = 30000;
  const PING_INTERVAL_MS = 10000;
  const RATE_WINDOW_MS = 5000;

  /** Last seq and epoch seen on one channel: what to ask for on resubscribe. */
  class ChannelCursor {
    constructor(channel) {
      this.channel = channel;
      this.epoch = null;
      this.lastSeq = null;
    }

    subscribeRequest() {
      const request = { type: "subscribe", channel: this.channel, id: `subscribe-${this.channel}` };
      if (this.epoch !== null) Object.assign(request, { since_seq: this.lastSeq, epoch: this.epoch });
      return request;
    }

    /** Returns how many missed publications the server is about to replay. */
    onSubscribed(ack) {
      if (ack.recovered === true && ack.epoch === this.epoch) return ack.seq - this.lastSeq;
      // Fresh start: the channel's latest publication (seq == ack.seq) may follow at once.
      this.epoch = ack.epoch;
      this.lastSeq = ack.seq - 1;
      return 0;
    }

    /** True when the publication is new; duplicates are dropped. */
    accept(publication) {
      if (publication.epoch !== this.epoch) {
        this.epoch = publication.epoch;
      } else if (this.lastSeq !== null && publication.seq <= this.lastSeq) {
        return false;
      }
      this.lastSeq = publication.seq;
      return true;
    }
  }

  class Connection extends EventTarget {
    constructor(channels) {
      super();
      this.cursors = new Map(channels.map((channel) => [channel, new ChannelCursor(channel)]));
      this.url = null;
      this.socket = null;
      this.wanted = false;      // the user wants a connection: reconnect when it drops
      this.attempt = 0;         // reconnection attempts since the last welcome
      this.retryTimer = null;
      this.pingTimer = null;
      this.pingSentAt = new Map();
      this.nextPingId = 1;
      this.state = "offline";
      this.welcome = null;
      this.retryAt = null;
      this.receivedTimes = [];  // arrival times within RATE_WINDOW_MS, for the message rate
      this.received = 0;
      this.sent = 0;
      this.recovered = 0;       // publications replayed after a reconnect
      this.latencyMs = null;
    }

    connect(url) {
      this.close();
      this.url = url;
      this.wanted = true;
      this.attempt = 0;
      this.open();
    }

    disconnect() {
      this.close();
      this.setState("offline");
    }

    reconnectNow() {
      if (this.state !== "reconnecting") return;
      clearTimeout(this.retryTimer);
      this.open();
    }

    /** Sends a message when live; returns false (and sends nothing) otherwise. */
    send(message) {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN || this.state !== "live") {
        return false;
      }
      this.socket.send(JSON.stringify(message));
      this.sent += 1;
      return true;
    }

    messagesPerSecond() {
      const cutoff = performance.now() - RATE_WINDOW_MS;
      while (this.receivedTimes.length && this.receivedTimes[0] < cutoff) this.receivedTimes.shift();
      return this.receivedTimes.length / (RATE_WINDOW_MS / 1000);
    }

    close() {
      this.wanted = false;
      clearTimeout(this.retryTimer);
      clearInterval(this.pingTimer);
      if (this.socket) {
        const socket = this.socket;
        this.socket = null;
        socket.onclose = socket.onmessage = socket.onerror = null;
        socket.close(1000, "closed by the user");
      }
    }

    open() {
      this.welcome = null;
      this.setState("connecting");
      let socket;
      try {
        socket = new WebSocket(this.url);
      } catch (error) {
        // A malformed URL throws at once: no point retrying it.
        this.wanted = false;
        this.emit("message", { type: "error", code: "invalid_url", message: error.message });
        this.setState("offline");
        return;
      }
      this.socket = socket;
      socket.onmessage = (event) => this.onFrame(event.data);
      socket.onclose = () => this.onClose();
      // Errors are always followed by a close; the close does the work.
      socket.onerror = () => {};
    }

    onFrame(text) {
      this.received += 1;
      this.receivedTimes.push(performance.now());
      let message;
      try {
        message = JSON.parse(text);
      } catch {
        return this.emit("message", { type: "error", code: "client", message: "server sent non-JSON text" });
      }
      if (message === null || typeof message !== "object" || typeof message.type !== "string") return;

      const cursor = this.cursors.get(message.channel);
      if (message.type === "welcome") return this.onWelcome(message);
      if (message.type === "subscribed" && cursor) {
        this.recovered += cursor.onSubscribed(message);
      } else if (message.type === "pong") {
        const sentAt = this.pingSentAt.get(message.id);
        this.pingSentAt.delete(message.id);
        if (sentAt !== undefined) this.latencyMs = performance.now() - sentAt;
      } else if (typeof message.seq === "number" && cursor) {
        if (!cursor.accept(message)) return;
      }
      this.emit("message", message);
    }

    onWelcome(welcome) {
      this.welcome = welcome;
      this.attempt = 0;
      this.setState("live");
      for (const cursor of this.cursors.values()) this.send(cursor.subscribeRequest());
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
      this.ping();
      this.emit("message", welcome);
    }

    ping() {
      const id = this.nextPingId++;
      if (this.send({ type: "ping", id })) this.pingSentAt.set(id, performance.now());
    }

    onClose() {
      this.socket = null;
      clearInterval(this.pingTimer);
      this.pingSentAt.clear();
      if (!this.wanted) return this.setState("offline");
      // Exponential backoff with "equal jitter": half fixed, half random, so that clients
      // dropped together by a restart do not all come back at the same instant.
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** this.attempt);
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      this.attempt += 1;
      this.retryAt = Date.now() + delay;
      this.retryTimer = setTimeout(() => this.open(), delay);
      this.setState("reconnecting");
    }

    setState(state) {
      this.state = state;
      this.emit("state", {
        state, retryAt: this.retryAt, attempt: this.attempt, welcome: this.welcome,
      });
    }

    emit(type, detail) {
      this.dispatchEvent(new CustomEvent(type, { detail }));
    }
  }

  rtd.Connection = Connection;
})(globalThis.rtd ??= {});
