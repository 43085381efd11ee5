/**
 * Panel queries whose value matters at the edges, evaluated by promtool's PromQL engine (`promql_expr_test`) on
 * series that cross the edge: the Prometheus binary the tests install, not a re-implementation.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { tempDir, promtool } from "../helpers/servers.js";
import { dashboardTargets, substitute } from "../helpers/grafana-targets.js";

const BUILTINS = { $__rate_interval: "2m", $__range: "1h", $__interval: "1m" };

describe("panel queries under promtool", () => {
  const dir = tempDir("promql");
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("time since a checkpoint completed (before Flink 2.0) shows the look-back window, not nothing, when none completed in it", () => {
    const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"], interval: "1m" } });
    const dashboard = JSON.parse(build(config).artifacts.get("grafana/dashboards/prometheus/flink-job.json")!);
    const target = dashboardTargets("job", dashboard).find((t) => t.panel === "Time since a checkpoint completed")!;
    const expr = substitute(target.text, { cluster: "default", job_name: "etl" }, BUILTINS);
    const window = config.alerts.rules.noCompletedCheckpoint.threshold * 4 * 60;
    writeFileSync(join(dir, "rules.yml"), "groups: []\n");
    const tests = {
      rule_files: ["rules.yml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          // Checkpoints complete every minute for 10 minutes, then never again. Within one range window (4m) of a
          // completion the value is only known to that window's precision, so the samples are beyond it.
          input_series: [
            {
              series: 'flink_jobmanager_job_numberOfCompletedCheckpoints{cluster="default",job_name="etl"}',
              values: "0+1x10 10x120",
            },
          ],
          promql_expr_test: [
            { expr, eval_time: "20m", exp_samples: [{ labels: '{job_name="etl"}', value: 600 }] },
            { expr, eval_time: "100m", exp_samples: [{ labels: '{job_name="etl"}', value: window }] },
          ],
        },
      ],
    };
    writeFileSync(join(dir, "tests.yml"), stringify(tests));
    const r = promtool(["test", "rules", join(dir, "tests.yml")]);
    assert.equal(r.code, 0, `${expr}\n${r.output}`);
  });

  it("the job dashboard marks a restart once, where the restart counter changed", () => {
    const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"], interval: "15s" } });
    const dashboard = JSON.parse(build(config).artifacts.get("grafana/dashboards/prometheus/flink-job.json")!);
    const [restarts] = dashboard.annotations.list;
    assert.equal(restarts.name, "Restarts");
    const expr = substitute(restarts.expr, { cluster: "default", job_name: "etl" }, BUILTINS);
    const series = 'flink_jobmanager_job_numRestarts{cluster="default",job_name="etl"}';
    writeFileSync(join(dir, "rules.yml"), "groups: []\n");
    const at = (time: string, value?: number) => ({
      expr,
      eval_time: time,
      exp_samples: value === undefined ? [] : [{ labels: '{cluster="default", job_name="etl"}', value }],
    });
    const tests = {
      rule_files: ["rules.yml"],
      evaluation_interval: "15s",
      tests: [
        {
          interval: "15s",
          // One restart after 10 minutes (the counter goes from 0 to 1).
          input_series: [{ series, values: "0x40 1x40" }],
          // The window is a minute (four scrapes): marked while the change is in it, never before or well after.
          promql_expr_test: [at("9m"), at("10m30s", 1), at("13m")],
        },
      ],
    };
    writeFileSync(join(dir, "tests.yml"), stringify(tests));
    const r = promtool(["test", "rules", join(dir, "tests.yml")]);
    assert.equal(r.code, 0, `${expr}\n${r.output}`);
    assert.equal(restarts.step, restarts.expr.match(/\[(\w+)\]/)[1], "evaluated once per window: one mark per restart");
  });
});
