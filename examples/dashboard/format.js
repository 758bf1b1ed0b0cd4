// Number and time formatting shared by every panel.
// Classic script, not an ES module: Chromium refuses module scripts from file:// pages, and the
// dashboard must also work when opened from disk. Each file adds its part to `globalThis.rtd`.
(function (rtd) {
  "use strict";

  // Amounts in the protocol are plain numbers without a currency; dollars read naturally.
  const currencyFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  const compactCurrencyFormat = new Intl.NumberFormat("en-US", {
    style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 1,
  });
  const wholeCurrencyFormat = new Intl.NumberFormat("en-US", {
    style: "currency", currency: "USD", maximumFractionDigits: 0,
  });
  const decimalFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

  const isNumber = (value) => typeof value === "number" && Number.isFinite(value);
  const DASH = "–";

  function currency(value) {
    return isNumber(value) ? currencyFormat.format(value) : DASH;
  }

  function wholeCurrency(value) {
    return isNumber(value) ? wholeCurrencyFormat.format(value) : DASH;
  }

  function compactCurrency(value) {
    return isNumber(value) ? compactCurrencyFormat.format(value) : DASH;
  }

  /** A ratio (0.095) as a percentage ("9.50%"). */
  function percent(ratio, digits = 2) {
    return isNumber(ratio) ? `${(ratio * 100).toFixed(digits)}%` : DASH;
  }

  function decimal(value) {
    return isNumber(value) ? decimalFormat.format(value) : DASH;
  }

  function integer(value) {
    return isNumber(value) ? integerFormat.format(value) : DASH;
  }

  /** A difference with an explicit sign, so "+0.12" and "-0.12" line up. */
  function signed(value, digits = 2, unit = "") {
    if (!isNumber(value)) return DASH;
    const sign = value > 0 ? "+" : value < 0 ? "-" : "±";
    return `${sign}${Math.abs(value).toFixed(digits)}${unit}`;
  }

  function periods(value) {
    return isNumber(value) ? `${value.toFixed(2)} years` : "never";
  }

  function milliseconds(value) {
    return isNumber(value) ? `${value < 10 ? value.toFixed(2) : Math.round(value)} ms` : DASH;
  }

  function seconds(totalSeconds) {
    if (!isNumber(totalSeconds)) return DASH;
    const s = Math.floor(totalSeconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
  }

  function bytes(value) {
    if (!isNumber(value)) return DASH;
    const units = ["B", "KiB", "MiB", "GiB"];
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
  }

  /** Local wall-clock time of an RFC 3339 timestamp (or of now). */
  function clock(timestamp) {
    const date = timestamp ? new Date(timestamp) : new Date();
    return Number.isNaN(date.getTime()) ? DASH : date.toLocaleTimeString();
  }

  /** Seconds since the epoch, the x unit of every time chart. */
  function epochSeconds(timestamp) {
    const ms = Date.parse(timestamp);
    return Number.isNaN(ms) ? Date.now() / 1000 : ms / 1000;
  }

  rtd.format = {
    currency, wholeCurrency, compactCurrency, percent, decimal, integer, signed, periods, milliseconds,
    seconds, bytes, clock, epochSeconds,
  };
})(globalThis.rtd ??= {});
