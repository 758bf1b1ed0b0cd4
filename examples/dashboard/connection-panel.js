// Connection panel: the URL, connect/disconnect, the link's state (with the reconnect
// countdown), message rate, latency, per-channel position and the last error.
(function (rtd) {
  "use strict";

  const { format } = rtd;
  const { element } = rtd.dom;

  /** ws://host/ws of the page's own server; the default server when opened from disk. */
  function defaultUrl(location) {
    if (location.protocol === "http:" || location.protocol === "https:") {
      return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
    }
    return "ws://localhost:8000/ws";
  }

  class ConnectionPanel {
    constructor(root, badge, connection) {
      this.root = root;
      this.badges = [root.querySelector("[data-role=state]"), badge];
      this.connection = connection;
      this.url = root.querySelector("#connection-url");
      this.url.value = defaultUrl(window.location);
      this.reconnectButton = root.querySelector("[data-role=reconnect-now]");
      this.disconnectButton = root.querySelector("[data-role=disconnect]");
      this.channels = root.querySelector("[data-role=channels]");
      this.lastError = root.querySelector("[data-role=last-error]");
      this.countdownTimer = null;

      root.querySelector("[data-role=connect-form]").addEventListener("submit", (event) => {
        event.preventDefault();
        connection.connect(this.url.value.trim());
      });
      this.disconnectButton.addEventListener("click", () => connection.disconnect());
      this.reconnectButton.addEventListener("click", () => connection.reconnectNow());
      setInterval(() => this.showFigures(), 1000);
    }

    start() {
      this.connection.connect(this.url.value.trim());
    }

    onState({ state, retryAt, attempt, welcome }) {
      clearInterval(this.countdownTimer);
      const show = (text) => {
        for (const badge of this.badges) {
          badge.dataset.state = state;
          badge.textContent = text;
        }
      };
      if (state === "reconnecting") {
        const tick = () => {
          const seconds = Math.max(0, (retryAt - Date.now()) / 1000);
          show(`reconnecting in ${seconds.toFixed(1)} s (attempt ${attempt})`);
        };
        tick();
        this.countdownTimer = setInterval(tick, 100);
      } else {
        show(state);
      }
      this.reconnectButton.hidden = state !== "reconnecting";
      this.disconnectButton.disabled = state === "offline";
      if (state === "live" && welcome) {
        this.stat("session", welcome.session_id);
        this.stat("node", welcome.node);
      }
    }

    stat(name, text) {
      this.root.querySelector(`[data-stat=${name}]`).textContent = text;
    }

    showFigures() {
      const c = this.connection;
      this.stat("rate", `${format.decimal(c.messagesPerSecond())} /s`);
      this.stat("received", format.integer(c.received));
      this.stat("sent", format.integer(c.sent));
      this.stat("recovered", format.integer(c.recovered));
      this.stat("latency", c.latencyMs === null ? "–" : format.milliseconds(c.latencyMs));
      this.channels.replaceChildren(...[...c.cursors.values()].map((cursor) => {
        const row = element("tr");
        row.append(element("th", { scope: "row" }, cursor.channel),
          element("td", {}, cursor.lastSeq === null ? "–" : String(Math.max(cursor.lastSeq, 0))),
          element("td", { class: "epoch", title: cursor.epoch || "" }, cursor.epoch ? cursor.epoch.slice(0, 8) : "–"));
        return row;
      }));
    }

    showError(error) {
      const request = error.request_type ? ` (${error.request_type})` : "";
      this.lastError.textContent = `${format.clock()} ${error.code}${request}: ${error.message}`;
      this.lastError.hidden = false;
    }
  }

  rtd.ConnectionPanel = ConnectionPanel;
})(globalThis.rtd ??= {});
