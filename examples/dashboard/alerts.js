// Alerts panel: a form to set an alert on a market indicator, an analytics figure (z-score,
// volatility, trend strength, trend reversal) or a number of one of this page's live
// calculations (`calculation:<id>.<field>`), the alerts set (each with Remove), and what the
// server said about them. The server keeps a client's alerts for
// its connection only: after a reconnect they are set again.
(function (rtd) {
  "use strict";

  const { element } = rtd.dom;
  const INDICATORS = ["discount_rate", "inflation_rate", "market_growth", "tech_index", "ai_adoption_rate"];
  const MEASURES = ["zscore", "volatility", "trend_strength", "trend_reversal"];
  const METRICS = [...INDICATORS,
    ...INDICATORS.flatMap((name) => MEASURES.map((measure) => `analytics.${name}.${measure}`))];
  const CALCULATION = "calculation"; // the option that takes the metric from the text field

  function isReversal(metric) {
    return metric.endsWith(".trend_reversal");
  }

  class AlertsPanel {
    constructor(root, connection) {
      this.connection = connection;
      this.alerts = new Map(); // alert_id -> {metric, condition, threshold, set: confirmed}
      this.nextId = 1;
      this.form = root.querySelector("[data-role=alert-form]");
      this.metric = root.querySelector("#alert-metric");
      this.condition = root.querySelector("#alert-condition");
      this.threshold = root.querySelector("#alert-threshold");
      this.calculation = root.querySelector("#alert-calculation");
      this.list = root.querySelector("[data-role=alert-list]");
      this.none = root.querySelector("[data-role=no-alerts]");
      this.error = root.querySelector("[data-role=alert-error]");
      for (const metric of METRICS) this.metric.append(element("option", { value: metric }, metric));
      this.metric.append(element("option", { value: CALCULATION }, "a live calculation's result…"));
      this.metric.addEventListener("change", () => this.fitForm());
      this.fitForm();
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.add();
      });
    }

    /** A trend reversal takes the condition `reversal` and no threshold; a calculation's
     *  result is named in the text field. */
    fitForm() {
      const reversal = isReversal(this.metric.value);
      for (const option of this.condition.options) option.disabled = (option.value === "reversal") !== reversal;
      this.condition.value = reversal ? "reversal" : (this.condition.value === "reversal" ? "above" : this.condition.value);
      this.threshold.disabled = reversal;
      this.calculation.disabled = this.metric.value !== CALCULATION;
    }

    add() {
      const metric = this.metric.value === CALCULATION ? this.calculation.value.trim() : this.metric.value;
      if (!/^calculation:.+\.[a-z_0-9]+$/.test(metric) && this.metric.value === CALCULATION) {
        this.error.textContent = "Name the result as calculation:<calculation_id>.<field>, e.g. calculation:live-npv-1.npv.";
        this.calculation.setAttribute("aria-invalid", "true");
        return;
      }
      this.calculation.removeAttribute("aria-invalid");
      const reversal = isReversal(metric);
      const threshold = Number(this.threshold.value);
      if (!reversal && (this.threshold.value.trim() === "" || !Number.isFinite(threshold))) {
        this.error.textContent = "The threshold must be a number.";
        this.threshold.setAttribute("aria-invalid", "true");
        return;
      }
      this.threshold.removeAttribute("aria-invalid");
      this.error.textContent = "";
      const id = `alert-${this.nextId++}`;
      this.alerts.set(id, { metric, condition: this.condition.value, threshold: reversal ? undefined : threshold, set: false });
      if (!this.send(id)) this.error.textContent = "Not connected: the alert is set once live.";
      this.render();
    }

    send(id) {
      const { metric, condition, threshold } = this.alerts.get(id);
      return this.connection.send({ type: "set_alert", id, alert_id: id, metric, condition, threshold });
    }

    remove(id) {
      if (!this.alerts.get(id)?.set || !this.connection.send({ type: "remove_alert", id: `remove-${id}`, alert_id: id })) {
        this.alerts.delete(id); // never set on this connection: nothing to tell the server
        this.render();
      }
    }

    /** alert_set and alert_removed replies (an alert_removed with a reason comes unasked:
     *  its live calculation ended). */
    onReply(message) {
      const alert = this.alerts.get(message.alert_id);
      if (message.type === "alert_set" && alert) alert.set = true;
      if (message.type === "alert_removed") this.alerts.delete(message.alert_id);
      if (message.reason === "calculation_ended") {
        this.error.textContent = `${message.alert_id} ended with its calculation.`;
      }
      this.render();
    }

    /** An error reply to one of our requests; returns false when it is not ours. */
    onError(error) {
      if (!["set_alert", "remove_alert"].includes(error.request_type)) return false;
      if (error.request_type === "set_alert") this.alerts.delete(error.id);
      this.error.textContent = `${error.message} (${error.code})`;
      this.render();
      return true;
    }

    /** A new connection has none of our alerts: set them again. */
    onState(state) {
      for (const alert of this.alerts.values()) alert.set = false;
      if (state === "live") for (const id of this.alerts.keys()) this.send(id);
      this.render();
    }

    render() {
      this.list.replaceChildren(...[...this.alerts].map(([id, alert]) => {
        const item = element("li", { class: "alert-item", "data-alert-id": id, "data-set": String(alert.set) });
        const button = element("button", { type: "button", "aria-label": `Remove ${id}` }, "Remove");
        button.addEventListener("click", () => this.remove(id));
        item.append(element("span", { class: "mono" }, id),
          element("span", {}, `${alert.metric} ${alert.condition} ${alert.threshold ?? ""}`.trim()),
          element("span", { class: "muted" }, alert.set ? "set" : "sending…"), button);
        return item;
      }));
      this.none.hidden = this.alerts.size > 0;
    }
  }

  rtd.AlertsPanel = AlertsPanel;
})(globalThis.rtd ??= {});
