/** `flinkmon budget` and the series limit `check` holds a config to. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/servers.js";

/** 200 TaskManagers, 50 jobs × 10 vertices × parallelism 16: the bench cluster. */
const GRAPH = {
  taskManagers: 200,
  jobs: Array.from({ length: 50 }, (_, j) => ({
    name: `job${j}`,
    vertices: Array.from({ length: 10 }, () => ({ parallelism: 16, operators: 1 })),
  })),
};

function project(config: unknown): string {
  const dir = tempDir("budget");
  writeFileSync(join(dir, "flinkmon.config.yaml"), stringify(config));
  return dir;
}

describe("flinkmon budget", () => {
  it("estimates the described graph per store, with and without the generated filters", () => {
    const dir = project({
      flink: { version: "1.20", reporters: ["prometheus", "influxdb"] },
      budget: { graph: GRAPH },
    });
    const r = runCli(["budget", "--format", "json"], dir);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.match(report.source, /^budget\.graph: 200 TaskManagers, 50 jobs, 8,000 subtasks/);
    for (const store of report.estimate.stores) assert.ok(store.sent < store.all * 0.3, JSON.stringify(store));
    const text = runCli(["budget"], dir).stdout;
    assert.match(text, /^Prometheus\s+prometheus\s+[\d,]+\s+[\d,]+ \(\d+ % fewer\)$/m);
  });

  it("asks for a cluster when there is neither --rest-url nor budget.graph", () => {
    const r = runCli(["budget"], project({}));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /--rest-url: no cluster to estimate: ask a live one \(--rest-url\), or describe one in budget\.graph/,
    );
  });

  it("over budget.maxSeries: budget exits 1, and check fails naming what grows most", () => {
    const dir = project({ flink: { version: "1.20" }, budget: { maxSeries: 1000, graph: GRAPH } });
    assert.equal(runCli(["budget"], dir).code, 1);
    mkdirSync(join(dir, "generated"));
    assert.equal(runCli(["generate"], dir).code, 0);
    const check = runCli(["check"], dir);
    assert.equal(check.code, 1);
    assert.match(
      check.stderr,
      /flinkmon: Prometheus would hold about [\d,]+ series, over budget\.maxSeries 1,000 \(budget\.graph: .*\); grows most: taskmanager\.job\.task(\.operator)? \S+ \([\d,]+ series\)/,
    );
  });

  it("refuses budget.maxSeries without a graph to estimate", () => {
    const r = runCli(["check"], project({ budget: { maxSeries: 10 } }));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /budget\.maxSeries: needs budget\.graph/);
  });
});
