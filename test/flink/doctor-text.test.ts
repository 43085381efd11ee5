/** The doctor's text stays readable on a large cluster: problems first, counts instead of 200 lines. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatDoctorText } from "../../flink/doctor.js";
import type { DoctorReport } from "../../flink/doctor.js";

function report(taskManagers: number, jobs: number): DoctorReport {
  return {
    restUrl: "http://jm:8081",
    flinkVersion: "1.20.1",
    taskManagers: Array.from({ length: taskManagers }, (_, i) => ({
      id: `tm-${i}`,
      slotsFree: i % 2,
      slotsTotal: 4,
      heartbeatAgeMs: 1000 + i * 10,
    })),
    jobs: Array.from({ length: jobs }, (_, i) => ({
      id: `j${i}`,
      name: `job-${i}`,
      state: i < 2 ? "FAILED" : "RUNNING",
    })),
    checks: [
      { name: "Prometheus reporter configured", ok: true },
      { name: 'job "job-0"', ok: false, detail: "state FAILED", fix: "see http://jm:8081/jobs/j0/exceptions" },
    ],
    missingEndpoints: [],
    healthy: false,
  };
}

describe("doctor text", () => {
  it("puts problems first and summarises 200 TaskManagers and 50 jobs in one line each", () => {
    const text = formatDoctorText(report(200, 50));
    const lines = text.trimEnd().split("\n");
    assert.equal(lines[1], "Problems (1):");
    assert.match(lines[2]!, /^ {2}FAIL job "job-0": state FAILED$/);
    assert.ok(lines.includes("TaskManagers: 200, slots 100/800 free, oldest heartbeat 3.0 s ago"), text);
    assert.ok(lines.includes("Jobs: 50 (2 FAILED, 48 RUNNING)"), text);
    assert.ok(lines.length < 15, `${lines.length} lines`);
    assert.equal(lines.at(-1), "1 problem(s) found");
  });

  it("lists a small cluster in full", () => {
    const text = formatDoctorText(report(2, 1));
    assert.match(text, /TaskManagers \(2\):\n {2}tm-0 {2}slots 0\/4 free {2}heartbeat 1\.0 s ago\n/);
    assert.match(text, /Jobs \(1\):\n {2}job-0 {2}FAILED\n/);
    assert.match(text, /Checks passed \(1\):\n {2}ok {3}Prometheus reporter configured\n/);
  });
});
