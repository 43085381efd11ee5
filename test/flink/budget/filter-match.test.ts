/** Flink's filter semantics (DefaultMetricFilter): whole matches, `*` any text, `,` alternatives, excludes first. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { metricMatcher } from "../../../flink/budget/filter-match.js";

describe("Flink reporter filter semantics", () => {
  it("sends everything without includes (Flink's default *:*:*)", () => {
    assert.ok(metricMatcher(undefined)("taskmanager.job.task", "numRecordsIn"));
    assert.ok(metricMatcher([])("jobmanager", "anything"));
  });

  it("matches scope and name whole, with * and , alternatives", () => {
    const sends = metricMatcher(["taskmanager.Status.JVM.GarbageCollector.*:Count,Time", "jobmanager"]);
    assert.ok(sends("taskmanager.Status.JVM.GarbageCollector.G1_Young_Generation", "Time"));
    assert.ok(!sends("taskmanager.Status.JVM.GarbageCollector.G1_Young_Generation", "TimeMsPerSecond"));
    assert.ok(sends("jobmanager", "numRunningJobs"), "an entry without names sends every name of its scope");
    assert.ok(!sends("jobmanager.job", "uptime"), "the scope is matched whole");
  });

  it("lets an exclude win over an include", () => {
    const sends = metricMatcher(["*:*"], ["taskmanager.job.task:numBytes*"]);
    assert.ok(!sends("taskmanager.job.task", "numBytesInPerSecond"));
    assert.ok(sends("taskmanager.job.task", "numRecordsIn"));
  });
});
