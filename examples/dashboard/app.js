// Wires the panels to one rtd connection and routes each incoming message to its panel.
(function (rtd) {
  "use strict";

  const CHANNELS = ["market_data", "notifications", "system", "analytics"];

  function start() {
    const connection = new rtd.Connection(CHANNELS);
    const panels = {
      connection: new rtd.ConnectionPanel(document.getElementById("connection-panel"),
        document.getElementById("header-state"), connection),
      market: new rtd.MarketPanel(document.getElementById("market-panel"), connection),
      analytics: new rtd.AnalyticsPanel(document.getElementById("analytics-panel")),
      forecast: new rtd.ForecastPanel(document.getElementById("forecast-panel"), connection),
      calculations: new rtd.CalculationsPanel(document.getElementById("calculations-panel"), connection),
      notifications: new rtd.NotificationsPanel(document.getElementById("notifications-panel")),
      alerts: new rtd.AlertsPanel(document.getElementById("alerts-panel"), connection),
      system: new rtd.SystemPanel(document.getElementById("system-panel")),
    };

    connection.addEventListener("state", ({ detail }) => {
      panels.connection.onState(detail);
      panels.calculations.onState(detail.state);
      panels.alerts.onState(detail.state);
      panels.market.onState(detail.state);
    });

    connection.addEventListener("message", ({ detail: message }) => {
      switch (message.type) {
        case "market_update": return panels.market.update(message);
        case "system_status": return panels.system.update(message);
        case "notification": return panels.notifications.add(message);
        case "analytics_update": return panels.analytics.update(message);
        case "calculation_update":
          return panels.forecast.onUpdate(message) || panels.calculations.onUpdate(message);
        case "history": return panels.market.fill(message);
        case "alert_set":
        case "alert_removed": return panels.alerts.onReply(message);
        case "error":
          if (!panels.forecast.onError(message) && !panels.calculations.onError(message) &&
              !panels.alerts.onError(message)) {
            panels.connection.showError(message);
          }
          return undefined;
        default: return undefined; // welcome, subscribed, pong: the connection keeps their state
      }
    });

    panels.connection.start();
  }

  document.addEventListener("DOMContentLoaded", start);
})(globalThis.rtd ??= {});
