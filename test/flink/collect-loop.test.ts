/** The collect loop's waits: the rest of the interval when healthy, doubling while failing, capped at 5 minutes. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { nextWaitMs, MAX_BACKOFF_MS } from "../../flink/collect-loop.js";

describe("collect backoff", () => {
  it("waits the rest of the interval after a good cycle, never less than zero", () => {
    assert.equal(nextWaitMs(15, 0, 4_000), 11_000);
    assert.equal(nextWaitMs(15, 0, 20_000), 0, "a cycle longer than the interval starts the next at once");
  });

  it("doubles per failure in a row and stops growing at five minutes", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 9].map((f) => nextWaitMs(15, f, 1_000)),
      [30_000, 60_000, 120_000, 240_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS, MAX_BACKOFF_MS],
    );
  });
});
