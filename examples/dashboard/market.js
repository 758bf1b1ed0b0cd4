// Market data panel: a table of the indicators (value, change since the previous update,
// direction) and one rolling chart per indicator, filled on load from the channel's history
// so that it does not start empty.
(function (rtd) {
  "use strict";

  const { format } = rtd;
  const WINDOW_POINTS = 120;

  // Ratios are shown as percentages and their changes in percentage points.
  const INDICATORS = [
    { key: "discount_rate", label: "Discount rate", ratio: true, color: "#2563eb" },
    { key: "inflation_rate", label: "Inflation rate", ratio: true, color: "#dc2626" },
    { key: "market_growth", label: "Market growth", ratio: true, color: "#16a34a" },
    { key: "tech_index", label: "Tech index", ratio: false, color: "#9333ea" },
    { key: "ai_adoption_rate", label: "AI adoption rate", ratio: true, color: "#d97706" },
  ];

  const DIRECTIONS = {
    up: { symbol: "▲", text: "up" },
    down: { symbol: "▼", text: "down" },
    flat: { symbol: "▬", text: "unchanged" },
  };

  function showValue(indicator, value) {
    return indicator.ratio ? format.percent(value) : format.decimal(value);
  }

  function showChange(indicator, change) {
    return indicator.ratio ? format.signed(change * 100, 2, " pp") : format.signed(change, 2);
  }

  const HISTORY_ID = "market-history";

  class MarketPanel {
    constructor(root, connection) {
      this.root = root;
      this.connection = connection;
      this.rows = new Map();
      this.charts = new Map();
      this.previous = {};
      this.oldestSeq = null; // of the first point in the charts
      this.newestSeq = null; // and of the last
      this.updatedAt = root.querySelector("[data-role=market-updated]");
      const tableBody = root.querySelector("[data-role=market-rows]");
      const chartList = root.querySelector("[data-role=market-charts]");
      const rowTemplate = root.querySelector("#market-row-template");
      const chartTemplate = root.querySelector("#market-chart-template");
      for (const indicator of INDICATORS) {
        const row = rowTemplate.content.firstElementChild.cloneNode(true);
        row.querySelector("[data-role=name]").textContent = indicator.label;
        tableBody.append(row);
        this.rows.set(indicator.key, row);

        const figure = chartTemplate.content.firstElementChild.cloneNode(true);
        figure.querySelector("figcaption").textContent = indicator.label;
        const container = figure.querySelector("[data-role=chart]");
        container.dataset.indicator = indicator.key;
        container.setAttribute("aria-label", `${indicator.label} over time`);
        chartList.append(figure);
        this.charts.set(indicator.key, new rtd.charts.RollingChart(
          container, [{ label: indicator.label, color: indicator.color }],
          { windowSize: WINDOW_POINTS, format: (value) => showValue(indicator, value) }));
      }
    }

    /** Once live with empty charts: asks for the last points the charts can show. */
    onState(state) {
      if (state === "live" && this.oldestSeq === null) {
        this.connection.send({ type: "history", channel: "market_data", limit: WINDOW_POINTS, id: HISTORY_ID });
      }
    }

    /** Returns false when the `history` reply is not the one asked for here. */
    fill(reply) {
      if (reply.id !== HISTORY_ID) return false;
      const older = (reply.items || []).filter((item) => this.oldestSeq === null || item.seq < this.oldestSeq);
      if (this.oldestSeq === null) {
        older.forEach((item) => this.update(item));
      } else if (older.length) {
        const xs = older.map((item) => format.epochSeconds(item.timestamp));
        for (const indicator of INDICATORS) {
          this.charts.get(indicator.key).prepend(xs, [older.map((item) => item.data[indicator.key])]);
        }
        this.oldestSeq = older[0].seq;
      }
      this.root.dataset.historyPoints = String(older.length);
      return true;
    }

    update(message) {
      // The history may have brought the latest value already (a reply can beat the
      // subscription's first publication).
      if (this.newestSeq !== null && message.seq <= this.newestSeq) return;
      if (this.oldestSeq === null) this.oldestSeq = message.seq;
      this.newestSeq = message.seq;
      const data = message.data || {};
      const x = format.epochSeconds(message.timestamp);
      for (const indicator of INDICATORS) {
        const value = data[indicator.key];
        if (typeof value !== "number") continue;
        this.showRow(indicator, value, this.previous[indicator.key]);
        this.charts.get(indicator.key).push(x, [value]);
        this.previous[indicator.key] = value;
      }
      this.updatedAt.textContent = `Updated ${format.clock(message.timestamp)} (seq ${message.seq})`;
    }

    showRow(indicator, value, previous) {
      const row = this.rows.get(indicator.key);
      const change = previous === undefined ? null : value - previous;
      const direction = change === null ? null : change > 0 ? "up" : change < 0 ? "down" : "flat";
      row.querySelector("[data-role=value]").textContent = showValue(indicator, value);
      row.querySelector("[data-role=change]").textContent = change === null ? "–" : showChange(indicator, change);
      const cell = row.querySelector("[data-role=direction]");
      cell.dataset.direction = direction || "";
      cell.querySelector("[aria-hidden]").textContent = direction ? DIRECTIONS[direction].symbol : "";
      cell.querySelector(".visually-hidden").textContent = direction ? DIRECTIONS[direction].text : "no change yet";
    }
  }

  rtd.MarketPanel = MarketPanel;
})(globalThis.rtd ??= {});
