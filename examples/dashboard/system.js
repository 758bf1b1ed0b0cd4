// System panel: the server's own figures from system_status (connections, subscribers, cache,
// calculations, messages per second as a chart, cluster nodes).
(function (rtd) {
  "use strict";

  const { format } = rtd;
  const { element } = rtd.dom;

  class SystemPanel {
    constructor(root) {
      this.root = root;
      this.subscribers = root.querySelector("[data-role=subscribers]");
      this.nodes = root.querySelector("[data-role=nodes]");
      this.messagesChart = new rtd.charts.RollingChart(root.querySelector("[data-role=messages-chart]"), [
        { label: "in/s", color: "#2563eb" },
        { label: "out/s", color: "#16a34a" },
      ], { height: 150, format: format.decimal });
    }

    /** Sets the text of the element marked data-stat=name. */
    stat(name, text) {
      this.root.querySelector(`[data-stat=${name}]`).textContent = text;
    }

    update(message) {
      const data = message.data || {};
      const connections = data.connections || {};
      const cache = data.cache || {};
      const calculations = data.calculations || {};
      const messages = data.messages || {};
      // "degraded" says why (the history store cannot write, ...).
      const reasons = (data.reasons || []).join("; ");
      this.stat("status", reasons ? `${data.status}: ${reasons}` : data.status || "unknown");
      this.root.querySelector("[data-stat=status]").dataset.status = data.status || "";
      this.stat("node", data.node || "–");
      this.stat("uptime", format.seconds(data.uptime_s));
      this.stat("connections-active", format.integer(connections.active));
      this.stat("connections-total", format.integer(connections.total));
      this.stat("cache-hit-rate", format.percent(cache.hit_rate, 1));
      this.stat("cache-detail", `${format.integer(cache.hits)} hits, ${format.integer(cache.misses)} misses, `
        + `${format.integer(cache.entries)} entries`);
      this.stat("calculations-running", format.integer(calculations.running));
      this.stat("calculations-completed", format.integer(calculations.completed));
      this.stat("calculations-failed", format.integer(calculations.failed));
      this.stat("calculations-avg", format.milliseconds(calculations.avg_ms));
      this.stat("memory", data.memory ? format.bytes(data.memory.rss_bytes) : "–");
      this.showSubscribers(data.subscribers || {});
      this.showNodes((data.cluster || {}).nodes || []);
      this.messagesChart.push(format.epochSeconds(message.timestamp),
        [messages.in_per_s ?? null, messages.out_per_s ?? null]);
    }

    showSubscribers(subscribers) {
      this.subscribers.replaceChildren(...Object.entries(subscribers).map(([channel, count]) => {
        const row = element("tr");
        row.append(element("th", { scope: "row" }, channel), element("td", {}, format.integer(count)));
        return row;
      }));
    }

    showNodes(nodes) {
      this.nodes.replaceChildren(...nodes.map((node) => {
        const item = element("li", { "data-status": node.status || "" });
        item.append(element("span", { class: "node-name" }, node.node || "?"),
          element("span", { class: "node-status" }, node.status || "unknown"));
        return item;
      }));
    }
  }

  rtd.SystemPanel = SystemPanel;
})(globalThis.rtd ??= {});
