import { afterEach, describe, expect, it } from "vitest";
import { getConfig } from "@/core/config";

// Puts the variable back as the environment had it after each test.
function restoreAfterEach(name: string) {
  const saved = process.env[name];
  afterEach(() => {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  });
}

const NAME = "PARLEY_RECONCILE_INTERVAL_SECONDS";
restoreAfterEach(NAME);

describe("PARLEY_RECONCILE_INTERVAL_SECONDS", () => {
  it("defaults to six hours and takes whole seconds from 5 to a week", () => {
    delete process.env[NAME];
    expect(getConfig().reconcileIntervalSeconds).toBe(21_600);
    process.env[NAME] = "8";
    expect(getConfig().reconcileIntervalSeconds).toBe(8);
    process.env[NAME] = "604800";
    expect(getConfig().reconcileIntervalSeconds).toBe(604_800);
  });

  it.each([
    ["4", "must be at least 5"],
    ["604801", "must be at most 604800"],
    ["1.5", "must be a whole number"],
    ["6h", "must be a number"],
  ])("refuses %s with the variable's name", (value, message) => {
    process.env[NAME] = value;
    expect(() => getConfig()).toThrow(`${NAME} ${message}`);
  });
});

describe("PARLEY_WORKER_PREFETCH", () => {
  const PREFETCH = "PARLEY_WORKER_PREFETCH";
  restoreAfterEach(PREFETCH);

  it("is left to the worker (as many as its concurrency) unless set to a whole number", () => {
    delete process.env[PREFETCH];
    expect(getConfig().worker.prefetch).toBeUndefined();
    process.env[PREFETCH] = "";
    expect(getConfig().worker.prefetch).toBeUndefined();
    process.env[PREFETCH] = "0";
    expect(getConfig().worker.prefetch).toBe(0);
    process.env[PREFETCH] = "12";
    expect(getConfig().worker.prefetch).toBe(12);
    process.env[PREFETCH] = "-1";
    expect(() => getConfig()).toThrow(`${PREFETCH} must be at least 0`);
    process.env[PREFETCH] = "two";
    expect(() => getConfig()).toThrow(`${PREFETCH} must be a number`);
  });
});
