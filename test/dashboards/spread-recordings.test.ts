/** The recordings All views read: ordered after what they read, each read by a panel, gated by the variables. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { dashboardRecordingRules } from "../../dashboards/index.js";
import { unlessAll } from "../../dashboards/dialects/promql.js";

const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"] } });

describe("spread recordings", () => {
  const rules = dashboardRecordingRules(config);

  it("a rule that reads another recording comes after it (Prometheus evaluates a group in order)", () => {
    rules.forEach((rule, i) => {
      for (const read of rules.filter((r) => new RegExp(`\\b${r.record}\\b`).test(rule.expr) && r !== rule))
        assert.ok(rules.indexOf(read) < i, `${rule.record} reads ${read.record}, evaluated after it`);
    });
    assert.ok(rules.some((r) => r.readsRecordings));
  });

  it("every distribution recording is read by a Prometheus panel, gated on its variables", () => {
    const dashboards = [...build(config).artifacts]
      .filter(([path]) => path.startsWith("grafana/dashboards/prometheus/"))
      .map(([, text]) => text)
      .join("\n");
    for (const r of rules.filter((r) => r.readsRecordings))
      assert.match(dashboards, new RegExp(`__name__=~\\\\"(\\(\\$\\w+\\))+${r.record}\\\\"`), r.record);
  });

  it("unlessAll empties every selector while the variables are on All", () => {
    assert.equal(
      unlessAll('max(a:b{cluster=~"$cluster"}) + rate(c{}[1m])', ["job_name", "task_name"]),
      'max({__name__="a:b", __name__!~"($job_name)($task_name)a:b", cluster=~"$cluster"}) + rate({__name__="c", __name__!~"($job_name)($task_name)c"}[1m])',
    );
  });
});
