// The dashboard's client-side checks (examples/dashboard/validation.js) mirror the server's
// rules in docs/protocol.md; no browser needed. The file is a classic script: importing it
// runs it and it adds rtd.validation to globalThis.
import assert from "node:assert/strict";
import { test } from "node:test";
import "../../examples/dashboard/validation.js";

const { validate } = globalThis.rtd.validation;
const SEED = { cash_flows: "100000, 120000, 140000", discount_rate: "0.10", initial_investment: "300000" };

test("the seed example is valid and parsed as numbers", () => {
  assert.deepEqual(validate("npv", SEED), {
    parameters: { cash_flows: [100000, 120000, 140000], discount_rate: 0.1, initial_investment: 300000 },
    errors: {},
  });
});

test("npv and sensitivity take the market rate; other types do not", () => {
  assert.equal(validate("npv", { ...SEED, discount_rate: "market" }).parameters.discount_rate, "market");
  assert.equal(validate("sensitivity", { ...SEED, discount_rate: "market" }).parameters.discount_rate, "market");
  assert.ok(validate("monte_carlo", { ...SEED, discount_rate: "market", volatility: "0.2" }).errors.discount_rate);
});

test("numbers must be finite and rates > -1", () => {
  assert.match(validate("npv", { ...SEED, discount_rate: "-1" }).errors.discount_rate, /> -1/);
  assert.match(validate("npv", { ...SEED, initial_investment: "Infinity" }).errors.initial_investment, /finite/);
  assert.match(validate("npv", { ...SEED, cash_flows: "1, x" }).errors.cash_flows, /cash_flows\[1\]/);
});

test("cash_flows takes 1 to 10000 entries", () => {
  assert.ok(validate("npv", { ...SEED, cash_flows: "" }).errors.cash_flows);
  assert.deepEqual(validate("npv", { ...SEED, cash_flows: Array(10000).fill("1").join(" ") }).errors, {});
  assert.ok(validate("npv", { ...SEED, cash_flows: Array(10001).fill("1").join(" ") }).errors.cash_flows);
});

test("type-specific rules", () => {
  assert.ok(validate("roi", { ...SEED, initial_investment: "0" }).errors.initial_investment);
  assert.ok(validate("irr", { cash_flows: "1, 2", initial_investment: "-1" }).errors.cash_flows);
  const monteCarlo = { ...SEED, volatility: "0.2", iterations: "100000", seed: "" };
  assert.deepEqual(validate("monte_carlo", monteCarlo).errors, {});
  assert.ok(validate("monte_carlo", { ...monteCarlo, volatility: "-0.1" }).errors.volatility);
  assert.ok(validate("monte_carlo", { ...monteCarlo, iterations: "0" }).errors.iterations);
  assert.ok(validate("monte_carlo", { ...monteCarlo, iterations: "10000001" }).errors.iterations);
  assert.ok(validate("monte_carlo", { ...monteCarlo, iterations: "2.5" }).errors.iterations);
  assert.ok(validate("sensitivity", { ...SEED, variation: "-0.1" }).errors.variation);
  assert.ok(validate("sensitivity", { ...SEED, discount_rate: "-0.9", variation: "0.5" }).errors.variation);
  assert.equal(validate("payback", { ...SEED, discount_rate: "" }).parameters.discount_rate, undefined);
});
