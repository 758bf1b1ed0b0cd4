// Forecast panel: a form for a `forecast` calculation and its fan chart (uPlot): the point
// forecast with its 80% and 95% prediction intervals, step by step.
(function (rtd) {
  "use strict";

  const INDICATORS = ["discount_rate", "inflation_rate", "market_growth", "tech_index", "ai_adoption_rate"];
  const HEIGHT = 220;

  class ForecastPanel {
    constructor(root, connection) {
      this.connection = connection;
      this.nextId = 1;
      this.current = null; // calculation_id of the forecast shown
      this.form = root.querySelector("[data-role=forecast-form]");
      this.indicator = root.querySelector("#forecast-indicator");
      this.horizon = root.querySelector("#forecast-horizon");
      this.method = root.querySelector("#forecast-method");
      this.status = root.querySelector("[data-role=forecast-status]");
      this.container = root.querySelector("[data-role=forecast-chart]");
      for (const name of INDICATORS) this.indicator.append(rtd.dom.element("option", { value: name }, name));
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.request();
      });
      // The chart keeps the width of its container (a phone, a resized window).
      new ResizeObserver(() => {
        const width = Math.floor(this.container.clientWidth);
        if (this.chart && width > 0 && width !== this.chart.width) this.chart.setSize({ width, height: HEIGHT });
      }).observe(this.container);
    }

    request() {
      const horizon = Number(this.horizon.value);
      if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1000) {
        this.status.textContent = "The horizon must be a whole number of steps from 1 to 1000.";
        this.horizon.setAttribute("aria-invalid", "true");
        return;
      }
      this.horizon.removeAttribute("aria-invalid");
      this.current = `forecast-${this.nextId++}`;
      const sent = this.connection.send({
        type: "calculate", id: this.current, calculation_id: this.current, calculation_type: "forecast",
        parameters: { indicator: this.indicator.value, horizon, method: this.method.value },
      });
      this.status.textContent = sent ? "Forecasting…" : "Not connected.";
    }

    /** A calculation_update; returns false when it is not the forecast shown. */
    onUpdate(update) {
      if (update.calculation_id !== this.current) return false;
      if (update.status === "completed") this.draw(update.result);
      else if (update.status === "failed") this.status.textContent = `Failed: ${update.error?.message ?? ""}`;
      return true;
    }

    /** An error reply to our request; returns false when it is not ours. */
    onError(error) {
      if (!this.current || error.calculation_id !== this.current) return false;
      this.status.textContent = `${error.message} (${error.code})`;
      return true;
    }

    draw(result) {
      const points = result.points;
      const column = (key) => points.map((p) => p[key]);
      const data = [column("step"), column("lower_95"), column("lower_80"), column("value"),
        column("upper_80"), column("upper_95")];
      this.container.dataset.points = String(points.length);
      this.status.textContent = `${result.method}: ${points.length} steps, ` +
        `next ${points[0].value.toPrecision(4)} (95%: ${points[0].lower_95.toPrecision(4)}…${points[0].upper_95.toPrecision(4)})`;
      if (typeof globalThis.uPlot !== "function") {
        this.container.textContent = "Chart unavailable: vendor/uPlot.iife.min.js did not load.";
        return;
      }
      this.chart?.destroy();
      const band = (color) => ({ stroke: color, width: 1, points: { show: false } });
      this.chart = new uPlot({
        width: Math.max(Math.floor(this.container.clientWidth), 100),
        height: HEIGHT,
        legend: { show: false },
        scales: { x: { time: false } },
        series: [{ label: "step" }, { label: "lower 95%", ...band("#9ab") }, { label: "lower 80%", ...band("#678") },
          { label: "forecast", stroke: "#2a7", width: 2, points: { show: false } },
          { label: "upper 80%", ...band("#678") }, { label: "upper 95%", ...band("#9ab") }],
        bands: [{ series: [5, 1], fill: "rgba(42, 119, 170, 0.12)" }, { series: [4, 2], fill: "rgba(42, 119, 170, 0.25)" }],
      }, data, this.container);
    }
  }

  rtd.ForecastPanel = ForecastPanel;
})(globalThis.rtd ??= {});
