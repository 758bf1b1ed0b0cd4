// What each calculation type takes, and the server's rules for it (docs/protocol.md,
// "Calculations"), checked before sending so that mistakes are shown at once, next to the field.
// The server checks again: a rule missing here only costs a round trip.
(function (rtd) {
  "use strict";

  const MAX_CASH_FLOWS = 10000;
  const MAX_ITERATIONS = 10000000;

  class FieldError extends Error {}

  function parseNumber(text, name) {
    const trimmed = String(text).trim();
    const value = Number(trimmed);
    if (trimmed === "" || !Number.isFinite(value)) throw new FieldError(`${name} must be a finite number`);
    return value;
  }

  function parseCashFlows(text) {
    const parts = String(text).split(/[\s,;]+/).filter(Boolean);
    if (parts.length < 1 || parts.length > MAX_CASH_FLOWS) {
      throw new FieldError(`cash_flows needs 1 to ${MAX_CASH_FLOWS} numbers, got ${parts.length}`);
    }
    return parts.map((part, i) => {
      const value = Number(part);
      if (!Number.isFinite(value)) throw new FieldError(`cash_flows[${i}] "${part}" is not a finite number`);
      return value;
    });
  }

  function parseRate(text, name) {
    const value = parseNumber(text, name);
    if (value <= -1) throw new FieldError(`${name} must be > -1`);
    return value;
  }

  function parseRateOrMarket(text, name) {
    return String(text).trim().toLowerCase() === "market" ? "market" : parseRate(text, name);
  }

  function parseInteger(text, name, min, max) {
    const value = parseNumber(text, name);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new FieldError(`${name} must be a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}`);
    }
    return value;
  }

  const FIELDS = {
    cash_flows: {
      label: "Cash flows", hint: "one per year, separated by commas or spaces",
      initial: "100000, 120000, 140000", parse: parseCashFlows,
    },
    initial_investment: { label: "Initial investment", initial: "300000", parse: parseNumber },
    discount_rate: {
      label: "Discount rate", hint: "a fraction: 0.10 is 10%", initial: "0.10", parse: parseRate,
    },
    market_discount_rate: {
      name: "discount_rate", label: "Discount rate",
      hint: "a fraction (0.10 is 10%) or market for the live market rate",
      initial: "0.10", parse: parseRateOrMarket,
    },
    optional_discount_rate: {
      name: "discount_rate", label: "Discount rate", optional: true,
      hint: "optional: gives the discounted payback", initial: "0.10", parse: parseRate,
    },
    volatility: {
      label: "Volatility", hint: "a fraction of each cash flow, >= 0", initial: "0.2",
      parse(text, name) {
        const value = parseNumber(text, name);
        if (value < 0) throw new FieldError(`${name} must be >= 0`);
        return value;
      },
    },
    iterations: {
      label: "Iterations", hint: `1 to ${MAX_ITERATIONS.toLocaleString("en-US")}`, optional: true,
      initial: "100000", parse: (text, name) => parseInteger(text, name, 1, MAX_ITERATIONS),
    },
    seed: {
      label: "Seed", hint: "optional: the same seed gives the same result", optional: true,
      initial: "42", parse: (text, name) => parseInteger(text, name, 0, Number.MAX_SAFE_INTEGER),
    },
    variation: {
      label: "Variation", hint: "optional, a fraction: 0.2 moves each input by ±20%", optional: true,
      initial: "0.2",
      parse(text, name) {
        const value = parseNumber(text, name);
        if (value < 0) throw new FieldError(`${name} must be >= 0`);
        return value;
      },
    },
  };

  // Rules that involve more than one field, as the server applies them.
  function needsSignChange(parameters) {
    const flows = [-parameters.initial_investment, ...parameters.cash_flows];
    if (!(flows.some((v) => v > 0) && flows.some((v) => v < 0))) {
      return { cash_flows: "IRR needs a sign change: -initial_investment followed by the cash flows" };
    }
    return {};
  }

  function needsPositiveInvestment(parameters) {
    return parameters.initial_investment > 0 ? {} : { initial_investment: "initial_investment must be > 0 for ROI" };
  }

  function variationKeepsRateValid(parameters) {
    const { discount_rate: rate, variation = 0.2 } = parameters;
    if (typeof rate !== "number") return {};
    const ok = [1 - variation, 1 + variation].every((scale) => rate * scale > -1);
    return ok ? {} : { variation: "discount_rate * (1 ± variation) must stay > -1" };
  }

  const CALCULATIONS = {
    npv: { label: "NPV", fields: ["cash_flows", "market_discount_rate", "initial_investment"] },
    irr: { label: "IRR", fields: ["cash_flows", "initial_investment"], check: needsSignChange },
    roi: { label: "ROI", fields: ["cash_flows", "initial_investment"], check: needsPositiveInvestment },
    payback: { label: "Payback", fields: ["cash_flows", "initial_investment", "optional_discount_rate"] },
    monte_carlo: {
      label: "Monte Carlo",
      fields: ["cash_flows", "discount_rate", "initial_investment", "volatility", "iterations", "seed"],
    },
    sensitivity: {
      label: "Sensitivity",
      fields: ["cash_flows", "market_discount_rate", "initial_investment", "variation"],
      check: variationKeepsRateValid,
    },
  };

  /** The wire name of a field key ("market_discount_rate" is sent as "discount_rate"). */
  function fieldName(key) {
    return FIELDS[key].name || key;
  }

  /**
   * Checks the texts typed for one calculation type.
   * @param type   a key of CALCULATIONS
   * @param texts  {wire field name: text typed}
   * @returns {parameters, errors}: errors maps wire field names to messages; empty when valid
   */
  function validate(type, texts) {
    const parameters = {};
    const errors = {};
    for (const key of CALCULATIONS[type].fields) {
      const field = FIELDS[key];
      const name = fieldName(key);
      const text = texts[name] ?? "";
      if (field.optional && String(text).trim() === "") continue;
      try {
        parameters[name] = field.parse(text, name);
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        errors[name] = error.message;
      }
    }
    const check = CALCULATIONS[type].check;
    if (check && Object.keys(errors).length === 0) Object.assign(errors, check(parameters));
    return { parameters, errors };
  }

  rtd.validation = { CALCULATIONS, FIELDS, fieldName, validate };
})(globalThis.rtd ??= {});
