/** The collect loop's waits: the rest of the interval when healthy (overrun cycles skipped), doubling while failing. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { nextWaitMs, skippedCycles, MAX_BACKOFF_MS } from "../../flink/collect-loop.js";

describe("collect backoff", () => {
  it("waits the rest of the interval after a good cycle", () => {
    assert.equal(nextWaitMs(15, 0, 4_000), 11_000);
    assert.equal(skippedCycles(15, 4_000), 0);
  });

  it("skips the cycles an overrunning cycle overlapped instead of stacking them", () => {
    // 20 s into a 15 s interval: the cycle due at 15 s is skipped, the next starts at 30 s.
    assert.equal(nextWaitMs(15, 0, 20_000), 10_000);
    assert.equal(skippedCycles(15, 20_000), 1);
    assert.equal(skippedCycles(15, 46_000), 3);
  });

  it("doubles per failure in a row and stops growing at five minutes", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 9].map((f) => nextWaitMs(15, f, 1_000)),
      [30_000, 60_000, 120_000, 240_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS, MAX_BACKOFF_MS],
    );
  });
});
