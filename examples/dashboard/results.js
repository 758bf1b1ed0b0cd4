// Turns a completed calculation's `result` into readable DOM: amounts as currency, ratios as
// percentages, the Monte Carlo histogram as a chart and sensitivity as a tornado-ordered table.
(function (rtd) {
  "use strict";

  const { format } = rtd;
  const { element } = rtd.dom;

  /** rows: [label, shown text, field name, raw value]; the raw value is kept for tests and tools. */
  function definitions(rows) {
    const list = element("dl", { class: "result-list" });
    for (const [label, text, field, value] of rows) {
      list.append(element("dt", {}, label));
      const attributes = { "data-field": field };
      if (typeof value === "number") attributes["data-value"] = String(value);
      list.append(element("dd", attributes, text));
    }
    return list;
  }

  function npv(result) {
    return [definitions([
      ["NPV", format.currency(result.npv), "npv", result.npv],
      ["Discount rate used", format.percent(result.discount_rate), "discount_rate", result.discount_rate],
      ["Present values", (result.present_values || []).slice(0, 12).map(format.currency).join(", ")
        + ((result.present_values || []).length > 12 ? ", …" : ""), "present_values"],
    ])];
  }

  function irr(result) {
    return [definitions([["IRR", format.percent(result.irr), "irr", result.irr]])];
  }

  function roi(result) {
    return [definitions([
      ["ROI", format.percent(result.roi), "roi", result.roi],
      ["Annualized ROI", format.percent(result.annualized_roi), "annualized_roi", result.annualized_roi],
      ["Net gain", format.currency(result.net_gain), "net_gain", result.net_gain],
    ])];
  }

  function payback(result) {
    return [definitions([
      ["Payback period", format.periods(result.payback_period), "payback_period", result.payback_period],
      ["Discounted payback", format.periods(result.discounted_payback_period),
        "discounted_payback_period", result.discounted_payback_period],
    ])];
  }

  function monteCarlo(result) {
    const list = definitions([
      ["Mean NPV", format.currency(result.mean_npv), "mean_npv", result.mean_npv],
      ["Std deviation", format.currency(result.std_npv), "std_npv", result.std_npv],
      ["5th / 50th / 95th percentile",
        [result.p5, result.p50, result.p95].map(format.currency).join(" / "), "percentiles"],
      ["Probability of loss", format.percent(result.probability_of_loss), "probability_of_loss",
        result.probability_of_loss],
      ["Value at risk (95%)", format.currency(result.var_95), "var_95", result.var_95],
      ["Iterations", format.integer(result.iterations), "iterations", result.iterations],
    ]);
    const figure = element("figure", { class: "histogram-figure" });
    figure.append(element("figcaption", {}, "Distribution of simulated NPV"));
    const chart = element("div", {
      class: "chart histogram", role: "img",
      "aria-label": `Histogram of ${format.integer(result.iterations)} simulated NPVs`,
    });
    figure.append(chart);
    // The chart measures its container, so it is drawn once the figure is in the page.
    const draw = () => rtd.charts.histogram(chart, {
      edges: result.histogram.edges, counts: result.histogram.counts,
      label: "Iterations", color: "#2563eb", formatX: format.compactCurrency,
    });
    return [list, figure, draw];
  }

  function sensitivity(result) {
    const table = element("table", { class: "result-table" });
    table.append(element("caption", {}, "NPV when each input moves on its own, largest swing first"));
    const head = element("tr");
    for (const title of ["Input", "Low", "High", "NPV low", "NPV high", "Swing"]) {
      head.append(element("th", { scope: "col" }, title));
    }
    table.appendChild(element("thead")).append(head);
    const body = table.appendChild(element("tbody"));
    for (const input of result.inputs || []) {
      // cash_flows varies by a scale factor; the others by value.
      const showInput = input.input === "discount_rate" ? format.percent
        : input.input === "cash_flows" ? (v) => `×${format.decimal(v)}` : format.wholeCurrency;
      const row = element("tr", { "data-input": input.input });
      row.append(element("th", { scope: "row" }, input.input));
      for (const text of [showInput(input.low_value), showInput(input.high_value),
        format.wholeCurrency(input.npv_low), format.wholeCurrency(input.npv_high), format.wholeCurrency(input.swing)]) {
        row.append(element("td", {}, text));
      }
      body.append(row);
    }
    const base = definitions([["Base NPV", format.currency(result.base_npv), "base_npv", result.base_npv]]);
    return [base, table];
  }

  const RENDERERS = { npv, irr, roi, payback, monte_carlo: monteCarlo, sensitivity };

  /**
   * Fills `container` with the result of a `completed` calculation_update. Renderers return
   * nodes, and optionally a function run after they are attached (charts need their width).
   */
  function showResult(container, update) {
    const render = RENDERERS[update.calculation_type];
    const parts = render ? render(update.result || {}) : [element("pre", {}, JSON.stringify(update.result, null, 2))];
    const after = parts.filter((part) => typeof part === "function");
    container.replaceChildren(...parts.filter((part) => typeof part !== "function"));
    const notes = [];
    if (update.cached) notes.push("from cache");
    if (typeof update.duration_ms === "number") notes.push(`took ${format.milliseconds(update.duration_ms)}`);
    if (notes.length) container.append(element("p", { class: "result-note" }, notes.join(", ")));
    after.forEach((run) => run());
  }

  rtd.results = { showResult };
})(globalThis.rtd ??= {});
