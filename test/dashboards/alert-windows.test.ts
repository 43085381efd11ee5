/** Alert windows follow the scrape interval, as panel windows do; at the default interval they are 5m and 10 min. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../config/load.js";
import { alertWindows } from "../../dashboards/alerts/alert-kit.js";

const at = (interval: string) => alertWindows(configFromObject({ flink: { interval } }));

describe("alert windows", () => {
  it("keep a 5-minute rate and a 10-minute look-back at the usual intervals", () => {
    assert.deepEqual(at("15s"), { rateWindow: "5m", bucket: "1m", lookbackSeconds: 600 });
    assert.deepEqual(at("5s"), { rateWindow: "5m", bucket: "20s", lookbackSeconds: 600 });
  });

  it("grow with slow scrapes: four scrapes per rate, ten buckets per look-back", () => {
    assert.deepEqual(at("2m"), { rateWindow: "8m", bucket: "8m", lookbackSeconds: 4800 });
  });
});
