// Analytics panel: per indicator, from the `analytics` channel, the value, both EWMAs, the trend
// (an arrow and its strength), the rolling volatility and the z-score of the last value.
(function (rtd) {
  "use strict";

  const { element } = rtd.dom;
  const ARROWS = { up: "▲", down: "▼", flat: "▶" };

  function number(value, digits = 4) {
    return Number.isFinite(value) ? Number(value).toPrecision(digits) : "–";
  }

  class AnalyticsPanel {
    constructor(root) {
      this.rows = root.querySelector("[data-role=analytics-rows]");
      this.updated = root.querySelector("[data-role=analytics-updated]");
      this.updates = 0;
    }

    /** One analytics_update: every indicator's row replaced. */
    update(message) {
      this.updates += 1;
      this.rows.dataset.updates = String(this.updates);
      this.rows.replaceChildren(...Object.entries(message.data).map(([name, a]) => {
        const row = element("tr", { "data-indicator": name, "data-trend": a.trend });
        const trend = element("td", { class: `trend trend-${a.trend}` });
        trend.append(element("span", { "aria-hidden": "true" }, ARROWS[a.trend] ?? "?"),
          element("span", {}, ` ${a.trend} ${number(a.trend_strength, 2)}`));
        row.append(element("th", { scope: "row" }, name),
          element("td", { "data-role": "value" }, number(a.value)),
          element("td", {}, number(a.ewma_fast)), element("td", {}, number(a.ewma_slow)), trend,
          element("td", { "data-role": "volatility" }, number(a.volatility, 3)),
          element("td", { "data-role": "zscore", class: Math.abs(a.zscore) > 2 ? "zscore-far" : "" },
            number(a.zscore, 3)));
        return row;
      }));
      this.updated.textContent = `After market update #${message.market_seq}`;
    }
  }

  rtd.AnalyticsPanel = AnalyticsPanel;
})(globalThis.rtd ??= {});
